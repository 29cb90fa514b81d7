// judge_in_order: results reach the writer in list order whichever thread
// judged them, each thread judges with a judge of its own (on its own
// connection for the second one), a failure is rethrown when its turn comes,
// after every earlier result was written, and both connections judge with a
// small page cache.

#include "../../monitor/src/in_order_judging.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "scratch_db_file.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon::in_order_judging_test {
namespace {

class InOrderJudgingTest : public ::testing::Test {
 protected:
  ScratchDbFile file_{"sfmon-in-order"};
  std::unique_ptr<SqliteDb> db_ = std::make_unique<SqliteDb>(file_.path());
};

// A judge that reads through the connection it was made on, so that a judge
// used on the wrong thread's connection would show.
struct RecordingJudge {
  SqliteDb* db;
  std::thread::id made_on;
  int operator()(std::size_t i) const {
    EXPECT_EQ(std::this_thread::get_id(), made_on);
    Statement& one = db->prepare("SELECT ?1 * ?1");
    ResetGuard guard(one);
    one.bind_int64(1, static_cast<std::int64_t>(i));
    EXPECT_TRUE(one.step());
    return static_cast<int>(one.column_int64(0));
  }
};

TEST_F(InOrderJudgingTest, WritesEveryResultInOrderWithOneJudgePerThreadAndConnection) {
  constexpr std::size_t kCount = 400;
  std::set<const SqliteDb*> connections;
  std::mutex made;
  const auto make_judge = [&](SqliteDb& db) {
    const std::lock_guard lock(made);
    connections.insert(&db);
    return RecordingJudge{&db, std::this_thread::get_id()};
  };
  std::vector<int> written;
  judge_in_order(*db_, kCount, make_judge, [&](std::size_t i, int square) {
    EXPECT_EQ(i, written.size());
    written.push_back(square);
  });
  ASSERT_EQ(written.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) EXPECT_EQ(written[i], static_cast<int>(i * i));
  // The writer's judge on the given connection, the second thread's (if it
  // got any work before the writer finished) on one of its own.
  EXPECT_TRUE(connections.count(db_.get()) == 1);
  EXPECT_LE(connections.size(), 2U);
}

TEST_F(InOrderJudgingTest, AFailureIsRethrownInItsTurnAfterTheEarlierResultsAreWritten) {
  const auto make_judge = [](SqliteDb&) {
    return [](std::size_t i) {
      if (i == 7) throw std::runtime_error("school 7 cannot be read");
      return static_cast<int>(i);
    };
  };
  std::vector<int> written;
  try {
    judge_in_order(*db_, 50, make_judge, [&](std::size_t, int value) { written.push_back(value); });
    FAIL() << "the failure of school 7 was not rethrown";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "school 7 cannot be read");
  }
  EXPECT_EQ(written, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
}

TEST_F(InOrderJudgingTest, AnInMemoryStoreIsJudgedOnTheCallingThreadOnly) {
  SqliteDb memory(":memory:");
  std::atomic<int> judges{0};
  const auto make_judge = [&](SqliteDb& db) {
    ++judges;
    EXPECT_EQ(&db, &memory);
    return RecordingJudge{&db, std::this_thread::get_id()};
  };
  int count = 0;
  judge_in_order(memory, 30, make_judge, [&](std::size_t, int) { ++count; });
  EXPECT_EQ(count, 30);
  EXPECT_EQ(judges.load(), 1);
}

std::int64_t cache_size(SqliteDb& db) {
  return db.pragma_int("PRAGMA cache_size");
}

TEST_F(InOrderJudgingTest, JudgingUsesSmallPageCachesAndGivesTheConnectionItsOwnBack) {
  const std::int64_t before = cache_size(*db_);
  ASSERT_NE(before, -kJudgingCacheKib);
  std::mutex seen_lock;
  std::set<std::int64_t> seen;
  const auto make_judge = [&](SqliteDb& db) {
    return [&](std::size_t) {
      const std::lock_guard lock(seen_lock);
      seen.insert(cache_size(db));
      return 0;
    };
  };
  judge_in_order(*db_, 100, make_judge, [](std::size_t, int) {});
  EXPECT_EQ(seen, std::set<std::int64_t>{-kJudgingCacheKib});
  EXPECT_EQ(cache_size(*db_), before);
}

TEST_F(InOrderJudgingTest, NothingToJudgeMakesNoJudgeAndWritesNothing) {
  int judges = 0;
  int count = 0;
  judge_in_order(
      *db_, 0,
      [&](SqliteDb&) {
        ++judges;
        return [](std::size_t) { return 0; };
      },
      [&](std::size_t, int) { ++count; });
  EXPECT_EQ(judges, 0);
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace sfmon::in_order_judging_test
