#include "sfmon/monitor/alert_lookup.h"

#include <gtest/gtest.h>

#include "alert_fixture.h"
#include "sfmon/monitor/alert_lifecycle_store.h"

namespace sfmon::alert_lookup_test {
namespace {

using testing::AlertFixtureDb;

TEST(UnresolvedAlertCounts, EveryLevelIsPresentInAnEmptyStore) {
  AlertFixtureDb fixture;
  const std::map<std::string, std::int64_t> expected = {
      {"blue", 0}, {"yellow", 0}, {"orange", 0}, {"red", 0}};
  EXPECT_EQ(unresolved_alert_counts(fixture.db), expected);
}

TEST(UnresolvedAlertCounts, CountWhatUnresolvedAlertsReturns) {
  AlertFixtureDb fixture;
  AlertLifecycleStore lifecycle(fixture.db, fixture.clock);
  fixture.fire("S1", "FUND-LARGE", rules::Level::Red, "a");
  const std::int64_t acknowledged = fixture.fire("S1", "FUND-CASH", rules::Level::Red, "b");
  lifecycle.acknowledge(acknowledged, "张三", "");
  const std::int64_t resolved = fixture.fire("S2", "FUND-CASH", rules::Level::Red, "c");
  lifecycle.resolve(resolved, "张三", "refunded");
  const std::int64_t dismissed = fixture.fire("S2", "FEE-LOAN", rules::Level::Orange, "d");
  lifecycle.dismiss(dismissed, "张三", "expected");
  fixture.fire("S3", "FUND-ANOMALY", rules::Level::Blue, "e");
  fixture.fire("S4", "FUND-ANOMALY", rules::Level::Blue, "f");
  fixture.fire("S5", "FEE-OVER-CAP", rules::Level::Yellow, "g");
  // A replay's alerts and withdrawn ones are not live.
  fixture.db.exec("UPDATE alerts SET result_set = 'replay:1' WHERE dedup_key = 'e'");
  fixture.db.exec("UPDATE alerts SET withdrawn = 1 WHERE dedup_key = 'g'");
  ASSERT_EQ(fixture.count("SELECT count(*) FROM alerts"), 7);

  const std::map<std::string, std::int64_t> counts = unresolved_alert_counts(fixture.db);
  const std::map<std::string, std::int64_t> expected = {
      {"blue", 1}, {"yellow", 0}, {"orange", 0}, {"red", 2}};
  EXPECT_EQ(counts, expected);
  std::map<std::string, std::int64_t> listed = {
      {"blue", 0}, {"yellow", 0}, {"orange", 0}, {"red", 0}};
  for (const StoredAlert& stored : unresolved_alerts(fixture.db)) {
    ++listed[rules::to_string(stored.alert.level)];
  }
  EXPECT_EQ(listed, counts);
}

}  // namespace
}  // namespace sfmon::alert_lookup_test
