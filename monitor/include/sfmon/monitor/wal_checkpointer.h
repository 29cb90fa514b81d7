#pragma once
// Copies a store's write-ahead log into the database file on a thread of
// its own, so that the writer's commits do not wait for the copy and its
// fsync.
//
// sqlite's automatic checkpoint runs inside the commit that takes the log
// past wal_autocheckpoint pages, on the writer's thread, and the last
// connection to close copies whatever is left. Both stay as they were: the
// backstop that keeps the log bounded when this thread falls behind, and
// the final copy. What this class adds is that the copying is mostly done
// by then, while the writer parses, stores or judges: a checkpoint copies
// only the frames no checkpoint copied before.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

class WalCheckpointer {
 public:
  // Told once, when a background checkpoint fails (the message names the
  // store and sqlite's reason). The thread ends then, and the writer's
  // automatic checkpoint alone keeps the log bounded, as without this class.
  using FailureReport = std::function<void(const std::string& message)>;

  // One passive checkpoint of the thread's connection `db`: sqlite's result
  // code, the frames in the log and how many of them are copied (as
  // sqlite3_wal_checkpoint_v2 gives them). Tests put faults in here.
  using PassiveCheckpoint = std::function<int(sqlite3* db, int* log_frames, int* copied_frames)>;
  static int sqlite_passive_checkpoint(sqlite3* db, int* log_frames, int* copied_frames);

  // Watches the commits of `writer`'s connection, which must stay open while
  // this object lives (the SqliteDb itself may move:
  // SqliteDb::checkpoint_in_background ties the two together) and be
  // reopenable (SqliteDb::reopenable()). Takes over the connection's WAL hook,
  // keeping its wal_autocheckpoint threshold as the backstop. A commit that
  // leaves at least `min_frames` frames in the log that no checkpoint has
  // copied wakes the thread; the thread and its connection start with the
  // first such commit. Smaller commits wait for more: every checkpoint costs
  // two fsyncs, whatever it copies.
  //
  // A checkpoint that is busy (another connection is checkpointing) is no
  // failure: the next commit wakes the thread again.
  WalCheckpointer(SqliteDb& writer, FailureReport report, int min_frames = 1024,
                  PassiveCheckpoint checkpoint = sqlite_passive_checkpoint);
  // Stops the thread after the checkpoint it is in, and gives the writer
  // back sqlite's own automatic checkpoint.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Background checkpoints that ran to the end; the frames in the log at
  // the last commit (or when the last checkpoint looked, if later), and how
  // many of them are in the database file, as this thread's last checkpoint
  // found (sqlite's counts; a frame is a WAL page). For tests and diagnostics.
  struct Progress {
    std::int64_t checkpoints = 0;
    std::int64_t log_frames = 0;
    std::int64_t copied_frames = 0;
  };
  Progress progress() const;
  // Waits until a background checkpoint has copied every frame of the log
  // as it was at the last commit, or the timeout passes; false on timeout
  // or after a failure.
  bool wait_until_caught_up(std::chrono::milliseconds timeout) const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void wake(int frames);
  void run();

  sqlite3* writer_;
  std::string path_;  // the writer's: this thread's connection opens it too
  FailureReport report_;
  PassiveCheckpoint checkpoint_;
  int min_frames_;
  int backstop_frames_;  // the writer's wal_autocheckpoint, read before taking the hook

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool pending_ = false;  // a commit since the thread last looked
  bool running_ = false;  // a checkpoint is under way
  bool stopping_ = false;
  bool failed_ = false;
  Progress progress_;
  std::thread thread_;  // started by the first wake()
};

}  // namespace sfmon
