// AlertLifecycleStore: each action writes the alert's status and one
// alert_events row together; refusals write nothing.
#include "sfmon/monitor/alert_lifecycle_store.h"

#include <gtest/gtest.h>

#include "alert_fixture.h"

namespace sfmon::alert_lifecycle_store_test {
namespace {

using alerts::AlertStatus;
using testing::AlertFixtureDb;

class AlertLifecycleStoreTest : public ::testing::Test {
 protected:
  AlertFixtureDb fixture;
  AlertLifecycleStore store{fixture.db, fixture.clock};
  std::int64_t alert = fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Orange);
};

TEST_F(AlertLifecycleStoreTest, AcknowledgeWritesStatusAndEvent) {
  fixture.now += 60;
  const AlertEvent event = store.acknowledge(alert, "张三");
  EXPECT_EQ(fixture.status_of(alert), "acknowledged");
  EXPECT_EQ(event.actor, "张三");
  EXPECT_EQ(event.action, "acknowledge");
  EXPECT_EQ(event.from, AlertStatus::Open);
  EXPECT_EQ(event.to, AlertStatus::Acknowledged);
  EXPECT_EQ(event.at, testing::kT0 + 60);
  const auto history = store.history(alert);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].id, event.id);
  EXPECT_EQ(history[0].at, testing::kT0 + 60);
}

TEST_F(AlertLifecycleStoreTest, HistoryKeepsEveryStepWithWhoWhenAndComment) {
  store.acknowledge(alert, "张三", "looking");
  fixture.now += 3600;
  store.resolve(alert, "李四", "refund confirmed");
  fixture.now += 60;
  store.comment(alert, "王五", "closed after audit");
  const auto history = store.history(alert);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].comment, "looking");
  EXPECT_EQ(history[1].actor, "李四");
  EXPECT_EQ(history[1].from, AlertStatus::Acknowledged);
  EXPECT_EQ(history[1].to, AlertStatus::Resolved);
  EXPECT_EQ(history[1].comment, "refund confirmed");
  EXPECT_EQ(history[2].action, "comment");
  EXPECT_EQ(history[2].from, AlertStatus::Resolved);
  EXPECT_EQ(history[2].to, AlertStatus::Resolved);
  EXPECT_EQ(fixture.status_of(alert), "resolved");
}

TEST_F(AlertLifecycleStoreTest, DismissFromOpen) {
  store.dismiss(alert, "张三", "expected transfer");
  EXPECT_EQ(fixture.status_of(alert), "dismissed");
}

TEST_F(AlertLifecycleStoreTest, IllegalTransitionWritesNothing) {
  store.resolve(alert, "张三", "done");
  EXPECT_THROW(store.acknowledge(alert, "李四"), alerts::LifecycleError);
  EXPECT_EQ(fixture.status_of(alert), "resolved");
  EXPECT_EQ(store.history(alert).size(), 1u);
}

TEST_F(AlertLifecycleStoreTest, MissingCommentWritesNothing) {
  EXPECT_THROW(store.dismiss(alert, "张三", ""), alerts::LifecycleError);
  EXPECT_EQ(fixture.status_of(alert), "open");
  EXPECT_TRUE(store.history(alert).empty());
}

TEST_F(AlertLifecycleStoreTest, UnknownAlertIsNotActionable) {
  try {
    store.acknowledge(9999, "张三");
    FAIL() << "expected AlertNotActionable";
  } catch (const AlertNotActionable& error) {
    EXPECT_STREQ(error.what(), "alert 9999 does not exist");
  }
}

TEST_F(AlertLifecycleStoreTest, WithdrawnAlertIsNotActionable) {
  // Re-evaluation finds nothing at the firing's time: the alert is withdrawn.
  const std::int64_t time = testing::kT0 - 86400;
  AlertStore(fixture.db, fixture.clock).replace_firings("CS-0101", time, time, {});
  EXPECT_THROW(store.acknowledge(alert, "张三"), AlertNotActionable);
}

TEST_F(AlertLifecycleStoreTest, ReplayAlertIsNotActionable) {
  AlertStore alerts(fixture.db, fixture.clock);
  const std::string replay = alerts.begin_replay("test");
  rules::Firing firing;
  firing.rule_id = "FUND-LARGE";
  firing.school_id = "CS-0102";
  firing.dedup_key = "r";
  firing.time = testing::kT0;
  alerts.replace_firings("CS-0102", testing::kT0, testing::kT0, {firing}, replay);
  const std::int64_t replayed = fixture.count("SELECT max(id) FROM alerts");
  try {
    store.acknowledge(replayed, "张三");
    FAIL() << "expected AlertNotActionable";
  } catch (const AlertNotActionable& error) {
    EXPECT_NE(std::string(error.what()).find("not a live alert"), std::string::npos);
  }
}

TEST_F(AlertLifecycleStoreTest, EmptyUserIsRejected) {
  EXPECT_THROW(store.acknowledge(alert, " "), std::invalid_argument);
  EXPECT_EQ(fixture.status_of(alert), "open");
}

TEST_F(AlertLifecycleStoreTest, RegroupingKeepsTheStatus) {
  store.acknowledge(alert, "张三");
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Orange, "k", testing::kT0 - 3600);
  EXPECT_EQ(fixture.status_of(alert), "acknowledged");
  EXPECT_EQ(fixture.count("SELECT count FROM alerts WHERE id = " + std::to_string(alert)), 2);
}

}  // namespace
}  // namespace sfmon::alert_lifecycle_store_test
