// Escalator with an injected clock: a level's time runs from when the alert
// reached it, the deadline itself escalates, each step happens once, red
// alerts notify the next recipient, and acknowledged alerts stay put.
#include "sfmon/monitor/escalation.h"

#include <gtest/gtest.h>

#include "alert_fixture.h"
#include "sfmon/monitor/alert_lifecycle_store.h"

namespace sfmon::escalation_test {
namespace {

using testing::AlertFixtureDb;
using testing::kHour;
using testing::kT0;

class EscalationTest : public ::testing::Test {
 protected:
  AlertFixtureDb fixture;
  EscalationConfig config;  // blue 72h, yellow 24h, orange 8h, red 2h
  std::vector<std::string> chain;
  std::vector<std::string> told;
  bool muted = false;

  Escalator escalator() {
    EscalationHooks hooks;
    hooks.recipients = [this](const alerts::Alert&) { return chain; };
    hooks.muted = [this](const alerts::Alert&, std::int64_t) { return muted; };
    hooks.notify = [this](const alerts::Alert& alert, const std::string& channel) {
      told.push_back(std::to_string(alert.id) + "->" + channel);
    };
    return Escalator(fixture.db, config, hooks, fixture.clock);
  }
};

TEST_F(EscalationTest, DefaultsAreTheConfiguredTimes) {
  EXPECT_EQ(config.for_level(rules::Level::Blue), 72 * kHour);
  EXPECT_EQ(config.for_level(rules::Level::Yellow), 24 * kHour);
  EXPECT_EQ(config.for_level(rules::Level::Orange), 8 * kHour);
  EXPECT_EQ(config.for_level(rules::Level::Red), 2 * kHour);
}

TEST_F(EscalationTest, NothingHappensOneSecondBeforeTheDeadline) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Orange);
  fixture.now = kT0 + 8 * kHour - 1;
  EXPECT_TRUE(escalator().run().empty());
  EXPECT_EQ(fixture.level_of(alert), "orange");
}

TEST_F(EscalationTest, ExactlyAtTheDeadlineTheLevelIsRaised) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Orange);
  fixture.now = kT0 + 8 * kHour;
  const auto steps = escalator().run();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].alert_id, alert);
  EXPECT_EQ(steps[0].step, 1);
  EXPECT_EQ(steps[0].at, kT0 + 8 * kHour);
  EXPECT_EQ(steps[0].from_level, rules::Level::Orange);
  EXPECT_EQ(steps[0].to_level, rules::Level::Red);
  EXPECT_TRUE(steps[0].notified.empty());
  EXPECT_EQ(fixture.level_of(alert), "red");
}

TEST_F(EscalationTest, EachStepHappensOnce) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Yellow);
  fixture.now = kT0 + 24 * kHour;
  EXPECT_EQ(escalator().run().size(), 1u);
  EXPECT_TRUE(escalator().run().empty());
  fixture.now += 8 * kHour - 1;  // orange's 8h run from the step, not from the alert
  EXPECT_TRUE(escalator().run().empty());
  EXPECT_EQ(fixture.level_of(alert), "orange");
  EXPECT_EQ(escalator().steps(alert).size(), 1u);
}

TEST_F(EscalationTest, StepIsRecordedInEscalationsAndHistoryAsSfmon) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Blue);
  fixture.now = kT0 + 72 * kHour;
  escalator().run();
  EXPECT_EQ(fixture.count("SELECT count(*) FROM escalations"), 1);
  const auto history = AlertLifecycleStore(fixture.db).history(alert);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].actor, "sfmon");
  EXPECT_EQ(history[0].action, "escalate");
  EXPECT_EQ(history[0].at, kT0 + 72 * kHour);
  EXPECT_EQ(history[0].comment, "not acknowledged within 72h at blue; level raised to yellow");
}

TEST_F(EscalationTest, RunAfterDowntimeCatchesUpStepByStep) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Yellow);
  fixture.now = kT0 + 24 * kHour + 8 * kHour;  // yellow's and orange's deadlines have passed
  const auto steps = escalator().run();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].at, kT0 + 24 * kHour);
  EXPECT_EQ(steps[1].at, kT0 + 32 * kHour);
  EXPECT_EQ(steps[1].step, 2);
  EXPECT_EQ(fixture.level_of(alert), "red");
}

TEST_F(EscalationTest, RedAlertNotifiesTheNextRecipientAtEachDeadline) {
  chain = {"deputy", "director"};
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Red);
  fixture.now = kT0 + 2 * kHour;
  auto steps = escalator().run();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].from_level, rules::Level::Red);
  EXPECT_EQ(steps[0].to_level, rules::Level::Red);
  EXPECT_EQ(steps[0].notified, "deputy");
  EXPECT_EQ(told, (std::vector<std::string>{std::to_string(alert) + "->deputy"}));

  fixture.now = kT0 + 4 * kHour;
  steps = escalator().run();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].notified, "director");
  fixture.now = kT0 + 100 * kHour;  // nobody left to tell
  EXPECT_TRUE(escalator().run().empty());
  EXPECT_EQ(told.size(), 2u);
  EXPECT_EQ(fixture.level_of(alert), "red");
}

TEST_F(EscalationTest, RedWithoutEscalationRecipientsStaysAsItIs) {
  fixture.fire("CS-0101", "R1", rules::Level::Red);
  fixture.now = kT0 + 10 * kHour;
  EXPECT_TRUE(escalator().run().empty());
  EXPECT_EQ(fixture.count("SELECT count(*) FROM escalations"), 0);
}

TEST_F(EscalationTest, SilenceHoldsRedNotificationsButNotLevelRaises) {
  chain = {"director"};
  muted = true;
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Orange);
  fixture.now = kT0 + 20 * kHour;
  const auto steps = escalator().run();
  ASSERT_EQ(steps.size(), 1u);  // orange -> red, then the red notification waits
  EXPECT_EQ(fixture.level_of(alert), "red");
  EXPECT_TRUE(told.empty());
  muted = false;
  EXPECT_EQ(escalator().run().size(), 1u);
  EXPECT_EQ(told.size(), 1u);
}

TEST_F(EscalationTest, AcknowledgedAlertIsNotEscalated) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Orange);
  AlertLifecycleStore(fixture.db, fixture.clock).acknowledge(alert, "张三");
  fixture.now = kT0 + 100 * kHour;
  EXPECT_TRUE(escalator().run().empty());
  EXPECT_EQ(fixture.level_of(alert), "orange");
}

TEST_F(EscalationTest, ConfiguredTimesApply) {
  config.ack_within_seconds[static_cast<std::size_t>(rules::Level::Orange)] = kHour;
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Orange);
  fixture.now = kT0 + kHour;
  EXPECT_EQ(escalator().run().size(), 1u);
  EXPECT_EQ(fixture.level_of(alert), "red");
}

TEST_F(EscalationTest, RegroupingDoesNotLowerAnEscalatedLevel) {
  const std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Orange);
  fixture.now = kT0 + 8 * kHour;
  escalator().run();
  ASSERT_EQ(fixture.level_of(alert), "red");
  // A new orange firing joins the alert; regrouping rewrites its level.
  fixture.fire("CS-0101", "R1", rules::Level::Orange, "k", kT0 - 3600);
  EXPECT_EQ(fixture.count("SELECT count FROM alerts WHERE id = " + std::to_string(alert)), 2);
  EXPECT_EQ(fixture.level_of(alert), "red");
}

TEST_F(EscalationTest, DueAtAddsTheLevelsTime) {
  EXPECT_EQ(escalation_due_at(config, rules::Level::Red, 1000), 1000 + 2 * kHour);
}

}  // namespace
}  // namespace sfmon::escalation_test
