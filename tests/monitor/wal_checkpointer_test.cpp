#include "sfmon/monitor/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "../polling.h"
#include "scratch_db_file.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr milliseconds kPatience{10000};

// Writes `rows` rows of a page each in one transaction: about as many WAL
// frames.
void write_pages(SqliteDb& db, int rows) {
  db.exec("CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  Transaction transaction(db);
  Statement& insert = db.prepare("INSERT INTO pages (body) VALUES (zeroblob(4000))");
  for (int i = 0; i < rows; ++i) insert.run();
  transaction.commit();
}

std::int64_t rows_seen_by_a_new_connection(const std::string& path) {
  SqliteDb reader(path);
  return reader.pragma_int("SELECT count(*) FROM pages");
}

// For the tests whose checkpointer is not expected to fail.
void ignore_failure(const std::string& /*message*/) {}

// The automatic checkpoint kept out of the way, so only the thread copies.
SqliteOptions no_automatic_checkpoint() {
  return SqliteOptions{.wal_autocheckpoint_pages = 0};
}

// A store whose writer never checkpoints on its own, so only the thread
// (or nothing) copies its log into the database file.
class WalCheckpointerTest : public ::testing::Test {
 protected:
  // Pages of the database file itself, not of the log beside it.
  std::uintmax_t database_pages() const { return fs::file_size(file_.path()) / 4096u; }

  const ScratchDbFile file_{"wal-checkpointer"};
  SqliteDb writer_{file_.path(), no_automatic_checkpoint()};
};

TEST_F(WalCheckpointerTest, CopiesTheLogIntoTheStoreAfterACommit) {
  std::vector<std::string> failures;
  WalCheckpointer checkpointer(
      writer_, [&](const std::string& message) { failures.push_back(message); }, 16);
  write_pages(writer_, 300);

  ASSERT_TRUE(checkpointer.wait_until_caught_up(kPatience));
  const WalCheckpointer::Progress progress = checkpointer.progress();
  EXPECT_GE(progress.checkpoints, 1);
  EXPECT_GE(progress.copied_frames, 300);
  EXPECT_EQ(progress.copied_frames, progress.log_frames);
  EXPECT_GE(database_pages(), 300u);
  EXPECT_EQ(rows_seen_by_a_new_connection(file_.path()), 300);
  EXPECT_TRUE(failures.empty());
}

TEST_F(WalCheckpointerTest, WithoutItTheCommitLeavesThePagesInTheLog) {
  // The near miss of the test above: the same commit, nothing copies it.
  write_pages(writer_, 300);
  EXPECT_LT(database_pages(), 300u);
  EXPECT_EQ(rows_seen_by_a_new_connection(file_.path()), 300);
}

TEST_F(WalCheckpointerTest, CommitsBelowTheThresholdLeaveTheLogAlone) {
  WalCheckpointer checkpointer(writer_, ignore_failure, 1000);
  write_pages(writer_, 20);
  EXPECT_FALSE(checkpointer.wait_until_caught_up(milliseconds(200)));
  EXPECT_EQ(checkpointer.progress().checkpoints, 0);
  EXPECT_LT(database_pages(), 20u);
}

TEST_F(WalCheckpointerTest, OnlyFramesNotCopiedYetCountTowardsTheThreshold) {
  WalCheckpointer checkpointer(writer_, ignore_failure, 64);
  write_pages(writer_, 100);
  ASSERT_TRUE(checkpointer.wait_until_caught_up(kPatience));
  EXPECT_EQ(checkpointer.progress().checkpoints, 1);
  // The log holds over 100 frames now, but only about 10 new ones.
  write_pages(writer_, 10);
  EXPECT_FALSE(checkpointer.wait_until_caught_up(milliseconds(200)));
  EXPECT_EQ(checkpointer.progress().checkpoints, 1);
  // Enough new ones: copied, the 10 with them.
  write_pages(writer_, 60);
  ASSERT_TRUE(checkpointer.wait_until_caught_up(kPatience));
  EXPECT_EQ(checkpointer.progress().checkpoints, 2);
  EXPECT_GE(database_pages(), 170u);
}

TEST_F(WalCheckpointerTest, LaterCommitsAreCopiedToo) {
  WalCheckpointer checkpointer(writer_, ignore_failure, 16);
  // Rounds of one size: each log after the first starts again from its
  // first frame and ends where the one before ended.
  for (int round = 1; round <= 3; ++round) {
    write_pages(writer_, 100);
    ASSERT_TRUE(checkpointer.wait_until_caught_up(kPatience)) << "round " << round;
    EXPECT_GE(database_pages(), static_cast<std::uintmax_t>(round) * 100u);
  }
  EXPECT_EQ(rows_seen_by_a_new_connection(file_.path()), 300);
}

// Whether `condition` holds within kPatience (polled: the thread gives no
// other sign of a checkpoint that copied nothing).
bool eventually(const std::function<bool()>& condition) {
  return test_support::eventually(static_cast<int>(kPatience.count()), condition, 1);
}

TEST_F(WalCheckpointerTest, ABusyCheckpointIsNoFailureAndTheNextCommitTriesAgain) {
  std::vector<std::string> failures;
  // Busy while another connection checkpoints, then while one recovers the
  // log (an extended code), then sqlite's own checkpoint.
  std::atomic<int> calls{0};
  const auto busy_at_first = [&](sqlite3* db, int* log_frames, int* copied_frames) {
    const int call = ++calls;
    if (call == 1) return SQLITE_BUSY;
    if (call == 2) return SQLITE_BUSY_RECOVERY;
    return WalCheckpointer::sqlite_passive_checkpoint(db, log_frames, copied_frames);
  };
  WalCheckpointer checkpointer(
      writer_, [&](const std::string& message) { failures.push_back(message); }, 64, busy_at_first);
  write_pages(writer_, 100);
  ASSERT_TRUE(eventually([&] { return calls == 1; }));
  // Nothing copied yet, so any commit wakes the thread again.
  write_pages(writer_, 1);
  ASSERT_TRUE(eventually([&] { return calls == 2; }));
  EXPECT_EQ(checkpointer.progress().checkpoints, 0);
  EXPECT_LT(database_pages(), 100u);
  write_pages(writer_, 1);
  ASSERT_TRUE(checkpointer.wait_until_caught_up(kPatience));
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(checkpointer.progress().checkpoints, 1);
  EXPECT_GE(database_pages(), 100u);
  EXPECT_TRUE(failures.empty()) << failures.front();
}

TEST_F(WalCheckpointerTest, ACheckpointErrorIsReportedOnceWithSqlitesReason) {
  std::vector<std::string> failures;
  // A real error of the thread's connection, with sqlite's own message.
  const auto failing = [](sqlite3* db, int* /*log_frames*/, int* /*copied_frames*/) {
    return sqlite3_exec(db, "SELECT * FROM no_such_table", nullptr, nullptr, nullptr);
  };
  WalCheckpointer checkpointer(
      writer_, [&](const std::string& message) { failures.push_back(message); }, 64, failing);
  write_pages(writer_, 100);
  EXPECT_FALSE(checkpointer.wait_until_caught_up(kPatience));
  // The thread has ended: the writer carries on, and nothing is reported again.
  write_pages(writer_, 100);
  EXPECT_EQ(rows_seen_by_a_new_connection(file_.path()), 200);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].find("background checkpoint of " + file_.path() +
                             " failed: no such table: no_such_table (sqlite code 1); the writer "
                             "checkpoints on its own from now on"),
            std::string::npos)
      << failures[0];
}

TEST(WalCheckpointer, TheWritersAutomaticCheckpointStaysTheBackstop) {
  const ScratchDbFile file("wal-checkpointer");
  SqliteDb writer(file.path(), SqliteOptions{.wal_autocheckpoint_pages = 50});
  {
    // A threshold the commit does not reach: only the backstop can copy.
    WalCheckpointer checkpointer(writer, ignore_failure, 1'000'000);
    write_pages(writer, 200);
    // Copied inside the commit, before it returned.
    EXPECT_GE(fs::file_size(file.path()), 200u * 4096u);
    EXPECT_EQ(checkpointer.progress().checkpoints, 0);
  }
  // sqlite's own automatic checkpoint is back, with the same threshold.
  EXPECT_EQ(writer.pragma_int("PRAGMA wal_autocheckpoint"), 50);
}

TEST(WalCheckpointer, AStoreMovedOverAnotherStopsTheOthersCheckpointerFirst) {
  // As a reload replaces the daemon's store (AppContext is moved over): the
  // replaced connection's checkpointer must stop before it closes.
  const ScratchDbFile first_file("wal-checkpointer-first");
  const ScratchDbFile second_file("wal-checkpointer-second");
  SqliteDb store(first_file.path());
  store.checkpoint_in_background(ignore_failure);
  write_pages(store, 50);
  SqliteDb second(second_file.path());
  second.checkpoint_in_background(ignore_failure);
  store = std::move(second);
  write_pages(store, 70);
  EXPECT_EQ(store.path(), second_file.path());
  EXPECT_EQ(rows_seen_by_a_new_connection(first_file.path()), 50);
  EXPECT_EQ(rows_seen_by_a_new_connection(second_file.path()), 70);
}

TEST(WalCheckpointer, AFailureIsReportedOnceAndTheWriterCarriesOn) {
  // The store is opened through a link. Once the writer has its files open,
  // the link is pointed at a folder, so the thread's connection, opened by
  // the same path, finds no database there. (A limit on open files would do
  // too, but the sanitizers' runtime needs files of its own.)
  const fs::path dir =
      fs::temp_directory_path() / ("wal-checkpointer-" + std::to_string(::getpid()) + "-failure");
  fs::remove_all(dir);
  fs::create_directories(dir / "folder");
  const fs::path link = dir / "store.db";
  fs::create_symlink(dir / "real.db", link);
  std::vector<std::string> failures;
  {
    SqliteDb writer(link.string(), no_automatic_checkpoint());
    WalCheckpointer checkpointer(
        writer, [&](const std::string& message) { failures.push_back(message); }, 16);
    write_pages(writer, 1);  // below the threshold: the writer opens its log, no thread yet
    fs::remove(link);
    fs::create_directory_symlink(dir / "folder", link);
    write_pages(writer, 100);
    EXPECT_FALSE(checkpointer.wait_until_caught_up(kPatience));
    write_pages(writer, 100);
    EXPECT_EQ(writer.pragma_int("SELECT count(*) FROM pages"), 201);
    EXPECT_EQ(checkpointer.progress().checkpoints, 0);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("background checkpoint of " + link.string() +
                               " cannot open the store: cannot open database"),
              std::string::npos)
        << failures[0];
    EXPECT_NE(failures[0].find("; the writer checkpoints on its own from now on"),
              std::string::npos)
        << failures[0];
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sfmon
