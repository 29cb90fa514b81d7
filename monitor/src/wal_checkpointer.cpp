#include "sfmon/monitor/wal_checkpointer.h"

#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace sfmon {
namespace {

// The thread's connection copies frames; it reads no table, so a small page
// cache does.
constexpr int kCheckpointCacheKib = 1024;

}  // namespace

int WalCheckpointer::sqlite_passive_checkpoint(sqlite3* db, int* log_frames, int* copied_frames) {
  return sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, log_frames,
                                   copied_frames);
}

WalCheckpointer::WalCheckpointer(SqliteDb& writer, FailureReport report, int min_frames,
                                 PassiveCheckpoint checkpoint)
    : writer_(writer.handle()),
      path_(writer.path()),
      report_(std::move(report)),
      checkpoint_(std::move(checkpoint)),
      min_frames_(min_frames),
      // Read before the hook is taken: sqlite reports 0 for a hook of ours.
      backstop_frames_(static_cast<int>(writer.pragma_int("PRAGMA wal_autocheckpoint"))) {
  sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  sqlite3_wal_autocheckpoint(writer_, backstop_frames_);
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  if (checkpointer.backstop_frames_ > 0 && frames >= checkpointer.backstop_frames_) {
    // What sqlite's automatic checkpoint does, and as it does, the result is
    // not the commit's: a checkpoint that is busy (this thread's is under
    // way) or fails is tried again at the next commit.
    sqlite3_wal_checkpoint(db, schema);
  } else {
    checkpointer.wake(frames);
  }
  return SQLITE_OK;
}

void WalCheckpointer::wake(int frames) {
  std::unique_lock lock(mutex_);
  if (failed_ || stopping_) return;
  // A commit makes the log longer, unless it started the log again from its
  // first frame (sqlite does once every frame is copied): then nothing of it
  // is copied yet.
  if (frames <= progress_.log_frames) progress_.copied_frames = 0;
  progress_.log_frames = frames;
  if (frames - progress_.copied_frames < min_frames_) return;
  pending_ = true;
  if (thread_.joinable()) {
    changed_.notify_all();
    return;
  }
  try {
    thread_ = std::thread(&WalCheckpointer::run, this);
  } catch (const std::exception& error) {  // std::system_error, std::bad_alloc
    // Called from inside sqlite's commit: nothing may be thrown through it.
    failed_ = true;
    lock.unlock();
    report_("cannot start the background checkpoint of " + path_ + ": " + error.what());
  }
}

void WalCheckpointer::run() {
  std::optional<SqliteDb> own;
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return pending_ || stopping_; });
    if (stopping_) return;
    pending_ = false;
    running_ = true;
    lock.unlock();

    std::string failure;
    int rc = SQLITE_OK;
    int log_frames = 0;
    int copied_frames = 0;
    try {
      if (!own) own.emplace(path_, SqliteOptions{.cache_size_kib = kCheckpointCacheKib});
      rc = checkpoint_(own->handle(), &log_frames, &copied_frames);
      // Busy: another checkpoint (the writer's backstop, another process)
      // holds the checkpoint lock, or one is recovering the log; the next
      // commit wakes this thread again. The connection gives extended codes
      // (SQLITE_BUSY_RECOVERY, ...): busy is their low byte.
      if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) {
        failure = "background checkpoint of " + path_ +
                  " failed: " + sqlite3_errmsg(own->handle()) + " (sqlite code " +
                  std::to_string(rc) + ")";
      }
    } catch (const StoreError& error) {
      failure = "background checkpoint of " + path_ + " cannot open the store: " + error.message();
    } catch (const std::exception& error) {  // std::bad_alloc: the thread must not end in terminate
      failure = "background checkpoint of " + path_ + " failed: " + error.what();
    }

    if (!failure.empty()) {
      // Reported before failed_ is set, so that whoever sees the failure
      // (wait_until_caught_up) also sees what the report did.
      report_(failure + "; the writer checkpoints on its own from now on");
      lock.lock();
      running_ = false;
      failed_ = true;
      changed_.notify_all();
      return;
    }
    lock.lock();
    running_ = false;
    if (rc == SQLITE_OK) {
      ++progress_.checkpoints;
      // A commit since the checkpoint looked may have made the log longer.
      progress_.log_frames = std::max<std::int64_t>(progress_.log_frames, log_frames);
      progress_.copied_frames = copied_frames;
    }
    changed_.notify_all();
  }
}

WalCheckpointer::Progress WalCheckpointer::progress() const {
  const std::lock_guard lock(mutex_);
  return progress_;
}

bool WalCheckpointer::wait_until_caught_up(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  const auto caught_up = [&] {
    return !pending_ && !running_ && progress_.checkpoints > 0 &&
           progress_.copied_frames >= progress_.log_frames;
  };
  changed_.wait_for(lock, timeout, [&] { return failed_ || caught_up(); });
  return !failed_ && caught_up();
}

}  // namespace sfmon
