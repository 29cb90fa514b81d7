#include "sfmon/connectors/retry_policy.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "http_fakes.h"

namespace sfmon::retry_policy_test {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::HalfRandom;

RetrySettings settings(int attempts, int base_ms, int max_ms, int budget_ms = 1'000'000) {
  RetrySettings result;
  result.max_attempts = attempts;
  result.base_delay = milliseconds{base_ms};
  result.max_delay = milliseconds{max_ms};
  result.max_elapsed = milliseconds{budget_ms};
  return result;
}

TEST(RetryPolicy, CeilingDoublesFromTheBaseUpToTheCap) {
  const RetryPolicy policy(settings(10, 100, 1000));
  EXPECT_EQ(policy.ceiling(1), milliseconds{100});
  EXPECT_EQ(policy.ceiling(2), milliseconds{200});
  EXPECT_EQ(policy.ceiling(3), milliseconds{400});
  EXPECT_EQ(policy.ceiling(4), milliseconds{800});
  EXPECT_EQ(policy.ceiling(5), milliseconds{1000});
  EXPECT_EQ(policy.ceiling(200), milliseconds{1000});  // no overflow far out
}

TEST(RetryPolicy, WaitIsDrawnUniformlyUpToTheCeilingOfEachRetry) {
  const RetryPolicy policy(settings(4, 100, 1000));
  FakeClock clock;
  HalfRandom random;
  RetryRun run(policy, clock, random);

  EXPECT_EQ(run.after_failure().delay, milliseconds{50});
  EXPECT_EQ(run.after_failure().delay, milliseconds{100});
  EXPECT_EQ(run.after_failure().delay, milliseconds{200});
  EXPECT_EQ(random.bounds, (std::vector<std::int64_t>{100, 200, 400}));
}

TEST(RetryPolicy, GivesUpAfterMaxAttempts) {
  const RetryPolicy policy(settings(3, 10, 100));
  FakeClock clock;
  HalfRandom random;
  RetryRun run(policy, clock, random);

  EXPECT_TRUE(run.after_failure().retry);
  EXPECT_TRUE(run.after_failure().retry);
  const RetryDecision last = run.after_failure();
  EXPECT_FALSE(last.retry);
  EXPECT_EQ(last.reason, "gave up after 3 attempts");
  EXPECT_EQ(run.attempts(), 3);
}

TEST(RetryPolicy, OneAttemptMeansNoRetry) {
  const RetryPolicy policy(settings(1, 10, 100));
  FakeClock clock;
  HalfRandom random;
  RetryRun run(policy, clock, random);

  const RetryDecision decision = run.after_failure();
  EXPECT_FALSE(decision.retry);
  EXPECT_EQ(decision.reason, "gave up after 1 attempt");
}

TEST(RetryPolicy, ServerDelayReplacesTheJitteredWait) {
  const RetryPolicy policy(settings(3, 10, 5000));
  FakeClock clock;
  HalfRandom random;
  RetryRun run(policy, clock, random);

  const RetryDecision decision = run.after_failure(milliseconds{3000});
  EXPECT_TRUE(decision.retry);
  EXPECT_EQ(decision.delay, milliseconds{3000});
  EXPECT_TRUE(random.bounds.empty());
}

TEST(RetryPolicy, ServerDelayAboveTheCapGivesUpInsteadOfComingBackEarly) {
  const RetryPolicy policy(settings(3, 10, 5000));
  FakeClock clock;
  HalfRandom random;
  RetryRun run(policy, clock, random);

  const RetryDecision decision = run.after_failure(milliseconds{60'000});
  EXPECT_FALSE(decision.retry);
  EXPECT_EQ(decision.reason, "the server asked to retry after 60 s, more than the 5 s allowed");
}

TEST(RetryPolicy, GivesUpWhenTheNextAttemptWouldStartAfterTheBudget) {
  const RetryPolicy policy(settings(10, 1000, 1000, 2500));
  FakeClock clock;
  HalfRandom random;  // every wait is 500 ms
  RetryRun run(policy, clock, random);

  clock.advance(milliseconds{1000});       // a slow first attempt
  EXPECT_TRUE(run.after_failure().retry);  // would start at 1500 ms
  clock.advance(milliseconds{1500});
  const RetryDecision decision = run.after_failure();  // would start at 3000 ms
  EXPECT_FALSE(decision.retry);
  EXPECT_EQ(decision.reason,
            "gave up after 2 attempts: the next would start after the 2500 ms retry budget");
}

TEST(RetryPolicy, RejectsUnusableSettings) {
  EXPECT_EQ(validate(settings(0, 10, 100)), "max_attempts must be at least 1 (value 0)");
  EXPECT_EQ(validate(settings(1, 0, 100)), "base_delay must be positive");
  EXPECT_EQ(validate(settings(1, 100, 10)), "max_delay must not be below base_delay");
  EXPECT_EQ(validate(settings(1, 10, 100, 0)), "max_elapsed must be positive");
  EXPECT_EQ(validate(settings(1, 10, 100)), "");
  EXPECT_THROW(RetryPolicy(settings(0, 10, 100)), std::invalid_argument);
}

TEST(SystemRandom, StaysWithinTheBoundAndVaries) {
  SystemRandom random;
  bool saw_low = false;
  bool saw_high = false;
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t value = random.uniform(9);
    ASSERT_GE(value, 0);
    ASSERT_LE(value, 9);
    saw_low = saw_low || value == 0;
    saw_high = saw_high || value == 9;
  }
  EXPECT_TRUE(saw_low && saw_high);
  EXPECT_EQ(random.uniform(0), 0);
}

}  // namespace
}  // namespace sfmon::retry_policy_test
