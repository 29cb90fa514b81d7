#include "sfmon/monitor/worker_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sfmon::worker_pool_test {
namespace {

TEST(WorkerPoolTest, FuturesKeepTheSubmissionOrderWhenLaterJobsFinishFirst) {
  std::promise<void> last_done;
  std::shared_future<void> last_finished = last_done.get_future().share();
  std::vector<int> finished;  // completion order, guarded by `guard`
  std::mutex guard;
  const auto note = [&](int job) {
    const std::lock_guard lock(guard);
    finished.push_back(job);
  };
  std::vector<std::future<int>> results;
  {
    WorkerPool pool(3);
    // The first job cannot end before the last one has.
    results.push_back(pool.submit([&] {
      last_finished.wait();
      note(0);
      return 0;
    }));
    results.push_back(pool.submit([&] {
      note(1);
      return 1;
    }));
    results.push_back(pool.submit([&] {
      note(2);
      last_done.set_value();
      return 2;
    }));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(results[static_cast<std::size_t>(i)].get(), i);
  }
  ASSERT_EQ(finished.size(), 3u);
  // It really did finish after a job submitted later.
  const auto position = [&](int job) { return std::find(finished.begin(), finished.end(), job); };
  EXPECT_GT(position(0), position(2));
}

TEST(WorkerPoolTest, AJobsExceptionIsRethrownByItsFutureAndLaterJobsStillRun) {
  WorkerPool pool(1);
  std::future<int> bad = pool.submit([]() -> int { throw std::runtime_error("job failed"); });
  std::future<int> good = pool.submit([] { return 7; });
  try {
    bad.get();
    ADD_FAILURE() << "the job's exception was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "job failed");
  }
  EXPECT_EQ(good.get(), 7);
}

TEST(WorkerPoolTest, WithoutThreadsAJobRunsInsideSubmitOnTheCallingThread) {
  WorkerPool pool(0);
  bool ran = false;
  std::future<std::thread::id> ran_on = pool.submit([&] {
    ran = true;
    return std::this_thread::get_id();
  });
  EXPECT_TRUE(ran);  // before anyone waited for it
  EXPECT_EQ(ran_on.get(), std::this_thread::get_id());
  std::future<int> bad = pool.submit([]() -> int { throw std::runtime_error("inline"); });
  EXPECT_THROW(bad.get(), std::runtime_error);
}

TEST(WorkerPoolTest, DestroyingThePoolFinishesTheRunningJobAndDropsTheWaitingOnes) {
  std::promise<void> started;
  std::promise<void> go;
  std::shared_future<void> may_finish = go.get_future().share();
  std::future<int> running;
  std::future<int> waiting;
  std::thread releaser;
  {
    WorkerPool pool(1);
    running = pool.submit([&] {
      started.set_value();
      may_finish.wait();
      return 1;
    });
    waiting = pool.submit([] { return 2; });
    started.get_future().wait();
    // The running job may end once the waiting one is dropped, which
    // readies its future; the timeout turns a pool that never drops it into
    // a failure instead of a hang.
    releaser = std::thread([&] {
      waiting.wait_for(std::chrono::seconds(10));
      go.set_value();
    });
  }
  releaser.join();
  EXPECT_EQ(running.get(), 1);
  try {
    waiting.get();
    ADD_FAILURE() << "a job that never started reported a result";
  } catch (const std::future_error& e) {
    EXPECT_EQ(e.code(), std::future_errc::broken_promise);
  }
}

}  // namespace
}  // namespace sfmon::worker_pool_test
