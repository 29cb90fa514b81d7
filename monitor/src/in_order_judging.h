#pragma once
// Judges a list of schools on two threads and hands every result to one
// writer in list order, so that what is written (and the ids it gets) does
// not depend on the threads' timing.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <future>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

// Judging reads each page of a school's records about once. A large page
// cache (the ingest's, sqlite_db.h) mallocs and faults in a fresh buffer for
// every page read until it is full, a third of an incremental run's time on
// the benchmark's store; a small one recycles its buffers. What judging
// reads again (index interior pages) fits easily.
inline constexpr int kJudgingCacheKib = 8 * 1024;

// Shrinks a connection's page cache to kJudgingCacheKib for as long as it
// lives, and gives the connection its own size back after.
class JudgingCache {
 public:
  explicit JudgingCache(SqliteDb& db) : db_(db), before_(db.pragma_int("PRAGMA cache_size")) {
    set(-kJudgingCacheKib);
  }
  ~JudgingCache() {
    try {
      set(before_);
    } catch (...) {  // cannot restore: the connection keeps the smaller cache, which is only slower
    }
  }
  JudgingCache(const JudgingCache&) = delete;
  JudgingCache& operator=(const JudgingCache&) = delete;

 private:
  // Negative: KiB; positive: pages (sqlite's PRAGMA cache_size).
  void set(std::int64_t size) { db_.exec("PRAGMA cache_size=" + std::to_string(size)); }

  SqliteDb& db_;
  std::int64_t before_;
};

// Both threads take the next school not yet taken; the calling thread writes
// every result in order (write(i, result)), judging further schools while it
// waits for the next one in order, so neither thread idles while the other
// has work. A judge is made per thread by make_judge(SqliteDb&): the calling
// thread's on `db`, the second thread's on a connection of its own to the
// same file, opened when it first has work. A judge is called as judge(i)
// for the schools its thread takes and may keep buffers between them.
// Judging must only read the store (the writer commits as it goes; records
// are not changed meanwhile). A judge's failure is rethrown to the caller
// when its turn to be written comes; the second thread stops after the
// school it is on.
//
// A store a second connection cannot see (SqliteDb::reopenable) and a single
// school are judged on the calling thread alone. Nothing to judge touches
// nothing, not even the connection's page cache.
template <typename MakeJudge, typename Write>
void judge_in_order(SqliteDb& db, std::size_t count, MakeJudge make_judge, Write write) {
  if (count == 0) return;
  using Judge = std::invoke_result_t<MakeJudge&, SqliteDb&>;
  using Result = std::invoke_result_t<Judge&, std::size_t>;
  std::vector<std::promise<Result>> promised(count);
  std::vector<std::future<Result>> judged;
  judged.reserve(count);
  for (auto& promise : promised) judged.push_back(promise.get_future());
  std::atomic<std::size_t> next{0};
  // Judges the next school not yet taken, if any, with the judge judge_of()
  // gives; the result or failure goes to the school's promise, to be rethrown
  // in order by the writer (a second connection that cannot be opened too).
  const auto judge_next = [&](const auto& judge_of) {
    const std::size_t i = next.fetch_add(1);
    if (i >= count) return false;
    try {
      promised[i].set_value(judge_of()(i));
    } catch (...) {  // not handled here: handed to the writer, which rethrows it
      promised[i].set_exception(std::current_exception());
    }
    return true;
  };
  // Declared after the promises, so it is joined before they go.
  std::jthread worker;
  if (db.reopenable() && count > 1) {
    worker = std::jthread([&](const std::stop_token& stop) {
      std::optional<SqliteDb> own;
      std::optional<Judge> judge;
      const auto own_judge = [&]() -> Judge& {
        if (!own) own.emplace(db.path(), SqliteOptions{.cache_size_kib = kJudgingCacheKib});
        if (!judge) judge.emplace(make_judge(*own));
        return *judge;
      };
      while (!stop.stop_requested() && judge_next(own_judge)) {
      }
    });
  }
  const JudgingCache small_cache(db);
  Judge judge = make_judge(db);
  const auto writer_judge = [&]() -> Judge& { return judge; };
  for (std::size_t i = 0; i < count; ++i) {
    while (judged[i].wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
           judge_next(writer_judge)) {
    }
    write(i, judged[i].get());
  }
}

}  // namespace sfmon
