// apply_action(): the lifecycle's allowed transitions, required comments and
// the one-line errors that name the alert and its state.
#include "sfmon/alerts/alert_lifecycle.h"

#include <gtest/gtest.h>

namespace sfmon::alerts::alert_lifecycle_test {
namespace {

std::string refusal(AlertStatus from, AlertAction action, const std::string& comment = "why") {
  try {
    apply_action(12, from, action, comment);
  } catch (const LifecycleError& error) {
    EXPECT_EQ(error.alert_id(), 12);
    EXPECT_EQ(error.from(), from);
    EXPECT_EQ(error.action(), action);
    return error.what();
  }
  ADD_FAILURE() << "expected a LifecycleError";
  return "";
}

TEST(AlertLifecycleTest, OpenAlertIsAcknowledgedWithoutComment) {
  const Transition t = apply_action(1, AlertStatus::Open, AlertAction::Acknowledge, "");
  EXPECT_EQ(t.from, AlertStatus::Open);
  EXPECT_EQ(t.to, AlertStatus::Acknowledged);
}

TEST(AlertLifecycleTest, AcknowledgedAlertIsResolvedOrDismissed) {
  EXPECT_EQ(apply_action(1, AlertStatus::Acknowledged, AlertAction::Resolve, "refunded").to,
            AlertStatus::Resolved);
  EXPECT_EQ(apply_action(1, AlertStatus::Acknowledged, AlertAction::Dismiss, "false alarm").to,
            AlertStatus::Dismissed);
}

TEST(AlertLifecycleTest, OpenAlertIsResolvedOrDismissedDirectly) {
  EXPECT_EQ(apply_action(1, AlertStatus::Open, AlertAction::Resolve, "refunded").to,
            AlertStatus::Resolved);
  EXPECT_EQ(apply_action(1, AlertStatus::Open, AlertAction::Dismiss, "known payment").to,
            AlertStatus::Dismissed);
}

TEST(AlertLifecycleTest, CommentKeepsEveryState) {
  for (const AlertStatus status : {AlertStatus::Open, AlertStatus::Acknowledged,
                                   AlertStatus::Resolved, AlertStatus::Dismissed}) {
    const Transition t = apply_action(1, status, AlertAction::Comment, "note");
    EXPECT_EQ(t.from, status);
    EXPECT_EQ(t.to, status);
  }
}

TEST(AlertLifecycleTest, AcknowledgingTwiceNamesAlertAndState) {
  EXPECT_EQ(refusal(AlertStatus::Acknowledged, AlertAction::Acknowledge),
            "alert 12 is acknowledged; cannot acknowledge it (acknowledge is allowed from open)");
}

TEST(AlertLifecycleTest, ClosedAlertsCannotBeAcknowledgedResolvedOrDismissed) {
  EXPECT_EQ(refusal(AlertStatus::Resolved, AlertAction::Acknowledge),
            "alert 12 is resolved; cannot acknowledge it (acknowledge is allowed from open)");
  EXPECT_EQ(refusal(AlertStatus::Resolved, AlertAction::Dismiss),
            "alert 12 is resolved; cannot dismiss it (dismiss is allowed from open or "
            "acknowledged)");
  EXPECT_EQ(refusal(AlertStatus::Dismissed, AlertAction::Resolve),
            "alert 12 is dismissed; cannot resolve it (resolve is allowed from open or "
            "acknowledged)");
}

TEST(AlertLifecycleTest, ResolveDismissAndCommentNeedAComment) {
  EXPECT_EQ(refusal(AlertStatus::Open, AlertAction::Resolve, ""),
            "alert 12: resolve needs a comment (--comment TEXT)");
  EXPECT_EQ(refusal(AlertStatus::Acknowledged, AlertAction::Dismiss, "  \t"),
            "alert 12: dismiss needs a comment (--comment TEXT)");
  EXPECT_EQ(refusal(AlertStatus::Open, AlertAction::Comment, ""),
            "alert 12: comment needs a comment (--comment TEXT)");
}

TEST(AlertLifecycleTest, ActionNamesRoundTrip) {
  for (const AlertAction action : {AlertAction::Acknowledge, AlertAction::Resolve,
                                   AlertAction::Dismiss, AlertAction::Comment}) {
    EXPECT_EQ(alert_action_from_string(to_string(action)), action);
  }
  EXPECT_EQ(alert_action_from_string("ack"), std::nullopt);
}

TEST(AlertLifecycleTest, OnlyResolvedAndDismissedAreFinal) {
  EXPECT_FALSE(is_final(AlertStatus::Open));
  EXPECT_FALSE(is_final(AlertStatus::Acknowledged));
  EXPECT_TRUE(is_final(AlertStatus::Resolved));
  EXPECT_TRUE(is_final(AlertStatus::Dismissed));
}

}  // namespace
}  // namespace sfmon::alerts::alert_lifecycle_test
