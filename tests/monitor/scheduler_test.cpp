#include "sfmon/monitor/scheduler.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace sfmon::scheduler_test {
namespace {

// A hand-moved monotonic clock, milliseconds.
struct FakeClock {
  std::int64_t now = 1'000'000;
  ScheduleClock fn() {
    return [this] { return now; };
  }
};

TEST(ConnectorSchedule, NewConnectorIsDueAtOnce) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn());
  schedule.add("bank", 60'000);
  EXPECT_EQ(schedule.due(), std::vector<std::string>{"bank"});
  EXPECT_EQ(schedule.ms_until_next(), 0);
}

TEST(ConnectorSchedule, SuccessRunsAgainOneIntervalLater) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn());
  schedule.add("bank", 60'000);
  schedule.succeeded("bank");
  EXPECT_TRUE(schedule.due().empty());
  EXPECT_EQ(schedule.ms_until_next(), 60'000);
  clock.now += 59'999;
  EXPECT_TRUE(schedule.due().empty());
  clock.now += 1;
  EXPECT_EQ(schedule.due(), std::vector<std::string>{"bank"});
}

TEST(ConnectorSchedule, FailuresBackOffExponentiallyUpToTheCap) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn(), BackoffPolicy{10'000});
  schedule.add("api", 1'000);
  const std::int64_t start = clock.now;
  schedule.failed("api");
  EXPECT_EQ(schedule.next_run_ms("api") - start, 2'000);
  schedule.failed("api");
  EXPECT_EQ(schedule.next_run_ms("api") - start, 4'000);
  schedule.failed("api");
  EXPECT_EQ(schedule.next_run_ms("api") - start, 8'000);
  schedule.failed("api");
  EXPECT_EQ(schedule.next_run_ms("api") - start, 10'000);  // capped
  for (int i = 0; i < 100; ++i) schedule.failed("api");    // no overflow
  EXPECT_EQ(schedule.next_run_ms("api") - start, 10'000);
  EXPECT_EQ(schedule.failures("api"), 104);
}

TEST(ConnectorSchedule, SuccessAfterFailuresResetsTheBackoff) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn());
  schedule.add("api", 1'000);
  schedule.failed("api");
  schedule.failed("api");
  schedule.succeeded("api");
  EXPECT_EQ(schedule.failures("api"), 0);
  EXPECT_EQ(schedule.next_run_ms("api") - clock.now, 1'000);
  schedule.failed("api");
  EXPECT_EQ(schedule.next_run_ms("api") - clock.now, 2'000);
}

TEST(ConnectorSchedule, CapNeverShortensALongInterval) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn(), BackoffPolicy{5'000});
  schedule.add("slow", 60'000);
  schedule.failed("slow");
  EXPECT_EQ(schedule.next_run_ms("slow") - clock.now, 60'000);
}

TEST(ConnectorSchedule, FailingConnectorDoesNotDelayTheOthers) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn(), BackoffPolicy{600'000});
  schedule.add("broken", 1'000);
  schedule.add("bank", 1'000);
  for (int round = 0; round < 5; ++round) {
    for (const std::string& name : schedule.due()) {
      if (name == "broken") {
        schedule.failed(name);
      } else {
        schedule.succeeded(name);
      }
    }
    clock.now += 1'000;
  }
  // bank ran every second; broken backed off (2 s, then 4 s, ...).
  EXPECT_EQ(schedule.due(), std::vector<std::string>{"bank"});
  EXPECT_EQ(schedule.failures("bank"), 0);
  EXPECT_EQ(schedule.failures("broken"), 2);
}

TEST(ConnectorSchedule, DueListKeepsTheOrderConnectorsWereAdded) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn());
  schedule.add("b", 1'000);
  schedule.add("a", 1'000);
  EXPECT_EQ(schedule.due(), (std::vector<std::string>{"b", "a"}));
}

TEST(ConnectorSchedule, NoConnectorsMeansNothingIsNext) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn());
  EXPECT_FALSE(schedule.ms_until_next().has_value());
  EXPECT_TRUE(schedule.due().empty());
}

TEST(ConnectorSchedule, RejectsNonPositiveIntervalAndUnknownNames) {
  FakeClock clock;
  ConnectorSchedule schedule(clock.fn());
  EXPECT_THROW(schedule.add("zero", 0), std::invalid_argument);
  EXPECT_THROW(schedule.succeeded("missing"), std::out_of_range);
  EXPECT_THROW(schedule.failures("missing"), std::out_of_range);
}

TEST(NotificationSchedule, FirstPassAtOnceThenEveryInterval) {
  std::int64_t now = 5'000;
  NotificationSchedule schedule([&] { return now; }, 60'000);
  EXPECT_TRUE(schedule.due());
  schedule.ran();
  EXPECT_FALSE(schedule.due());
  EXPECT_EQ(schedule.ms_until_due(), 60'000);
  now += 59'999;
  EXPECT_FALSE(schedule.due());
  EXPECT_EQ(schedule.ms_until_due(), 1);
  now += 1;
  EXPECT_TRUE(schedule.due());
}

TEST(NotificationSchedule, ChangedAlertsMakeAPassDueAtOnceOnlyUntilItRuns) {
  std::int64_t now = 0;
  NotificationSchedule schedule([&] { return now; }, 60'000);
  schedule.ran();
  now += 1'000;
  schedule.alerts_changed();
  EXPECT_TRUE(schedule.due());
  EXPECT_EQ(schedule.ms_until_due(), 0);
  schedule.ran();
  EXPECT_FALSE(schedule.due()) << "the change was announced; back to the interval";
  EXPECT_EQ(schedule.ms_until_due(), 60'000);
}

TEST(NotificationSchedule, RejectsNonPositiveInterval) {
  EXPECT_THROW(NotificationSchedule([] { return std::int64_t{0}; }, 0), std::invalid_argument);
}

// A gate of two connectors, restarted and through its first round of
// passes (nothing stored), judged: idle.
EvaluationGate idle_gate(FakeClock& clock, std::int64_t max_wait_ms = 600'000) {
  EvaluationGate gate(clock.fn(), max_wait_ms);
  gate.restart({"bank-inbox", "fee-inbox"});
  gate.passed("bank-inbox", false);
  gate.passed("fee-inbox", false);
  gate.judged();
  return gate;
}

TEST(EvaluationGate, AfterAStartJudgesOnceEveryConnectorHasPassed) {
  FakeClock clock;
  EvaluationGate gate(clock.fn(), 600'000);
  gate.restart({"bank-inbox", "fee-inbox"});
  EXPECT_FALSE(gate.due()) << "changes left by an earlier run wait for the first round";
  gate.passed("bank-inbox", false);
  EXPECT_FALSE(gate.due());
  gate.passed("fee-inbox", false);
  EXPECT_TRUE(gate.due());
  gate.judged();
  EXPECT_FALSE(gate.due());
  gate.passed("bank-inbox", false);
  gate.passed("fee-inbox", false);
  EXPECT_FALSE(gate.due()) << "nothing stored, nothing to judge";
}

TEST(EvaluationGate, WithoutConnectorsJudgesAtOnce) {
  FakeClock clock;
  EvaluationGate gate(clock.fn(), 600'000);
  gate.restart({});
  EXPECT_TRUE(gate.due());
}

TEST(EvaluationGate, AStoreWaitsForAPassOfEveryOtherConnector) {
  FakeClock clock;
  EvaluationGate gate = idle_gate(clock);
  gate.passed("bank-inbox", true);  // a day's bank statements
  EXPECT_FALSE(gate.due()) << "the day's fee records may be on their way";
  gate.passed("bank-inbox", false);
  EXPECT_FALSE(gate.due()) << "the connector that stored does not vouch for the others";
  gate.passed("fee-inbox", true);  // the fees arrived meanwhile
  EXPECT_FALSE(gate.due()) << "and now the bank inbox is looked at once more";
  gate.passed("fee-inbox", false);
  EXPECT_FALSE(gate.due());
  gate.passed("bank-inbox", false);
  EXPECT_TRUE(gate.due());
}

TEST(EvaluationGate, ALoneConnectorIsJudgedAfterTheStoringPass) {
  FakeClock clock;
  EvaluationGate gate(clock.fn(), 600'000);
  gate.restart({"bank-inbox"});
  gate.passed("bank-inbox", true);
  EXPECT_TRUE(gate.due());
}

TEST(EvaluationGate, NeverWaitsLongerThanTheMaximum) {
  FakeClock clock;
  EvaluationGate gate = idle_gate(clock, 60'000);
  gate.passed("bank-inbox", true);
  clock.now += 30'000;
  gate.passed("bank-inbox", true);  // a feed that keeps bringing more
  clock.now += 29'999;
  EXPECT_FALSE(gate.due());
  clock.now += 1;
  EXPECT_TRUE(gate.due()) << "counted from the first store not judged, not the last";
  gate.judged();
  EXPECT_FALSE(gate.due());
}

TEST(EvaluationGate, AFailedJudgingIsTriedAgainAfterAnotherRound) {
  FakeClock clock;
  EvaluationGate gate = idle_gate(clock);
  gate.passed("bank-inbox", true);
  gate.passed("fee-inbox", false);
  ASSERT_TRUE(gate.due());
  gate.retry();
  EXPECT_FALSE(gate.due()) << "not on every tick of the loop";
  gate.passed("fee-inbox", false);
  gate.passed("bank-inbox", false);
  EXPECT_TRUE(gate.due());
}

TEST(EvaluationGate, AFailedJudgingPastTheMaximumWaitsTheMaximumAgain) {
  FakeClock clock;
  EvaluationGate gate = idle_gate(clock, 60'000);
  gate.passed("bank-inbox", true);
  clock.now += 60'000;
  ASSERT_TRUE(gate.due());
  gate.retry();
  EXPECT_FALSE(gate.due()) << "a store that keeps failing is not judged on every tick";
  clock.now += 60'000;
  EXPECT_TRUE(gate.due());
}

TEST(DescribeLoadError, ConfigErrorGivesEveryProblem) {
  try {
    throw ConfigError({"a.yaml:1:1: first", "a.yaml:2:1: second"});
  } catch (...) {
    EXPECT_EQ(describe_load_error(std::current_exception()),
              (std::vector<std::string>{"a.yaml:1:1: first", "a.yaml:2:1: second"}));
  }
}

}  // namespace
}  // namespace sfmon::scheduler_test
