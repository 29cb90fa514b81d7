#pragma once
// A fixed set of threads that run submitted jobs first come, first served,
// for work that can run ahead of the thread that uses its results (the
// ingest pipeline parses the next files while it stores the current batch).
//
// Each submit returns a future; a caller that needs results in submission
// order, however long each job takes, keeps the futures in that order. An
// exception thrown by a job is rethrown by its future's get().
//
// A pool of 0 threads runs each job inside submit(), on the calling thread.
// The destructor lets the jobs already running finish, drops the ones not
// started (their futures report std::future_errc::broken_promise) and joins
// the threads. submit() may be called from one thread at a time.

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace sfmon {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <typename Job>
  std::future<std::invoke_result_t<Job&>> submit(Job job) {
    using Result = std::invoke_result_t<Job&>;
    // std::function needs a copyable target; the task itself is move-only.
    auto task = std::make_shared<std::packaged_task<Result()>>(std::move(job));
    std::future<Result> result = task->get_future();
    run_or_queue([task] { (*task)(); });
    return result;
  }

 private:
  void run_or_queue(std::function<void()> job);
  void work();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::function<void()>> jobs_;  // guarded by mutex_
  bool stopping_ = false;                   // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace sfmon
