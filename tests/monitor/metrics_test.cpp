#include "sfmon/monitor/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sfmon::metrics_test {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(Metrics, EmptyRenderHasEveryFamilyWithTypes) {
  const std::string text = Metrics().render({});
  for (const char* family :
       {"sfmon_records_ingested_total counter", "sfmon_rule_evaluations_total counter",
        "sfmon_alerts gauge", "sfmon_notification_failures_total counter",
        "sfmon_evaluation_seconds summary", "sfmon_connector_last_success_timestamp gauge"}) {
    EXPECT_TRUE(has_line(text, std::string("# TYPE ") + family)) << family << "\n" << text;
  }
  EXPECT_TRUE(has_line(text, "sfmon_rule_evaluations_total 0"));
  EXPECT_TRUE(has_line(text, "sfmon_evaluation_seconds_count 0"));
}

TEST(Metrics, RecordsAreCountedPerConnectorAndKind) {
  Metrics metrics;
  metrics.add_records_ingested("bank-inbox", "bank", 3);
  metrics.add_records_ingested("bank-inbox", "bank", 4);
  metrics.add_records_ingested("fee-inbox", "fee", 2);
  const std::string text = metrics.render({});
  EXPECT_TRUE(
      has_line(text, "sfmon_records_ingested_total{connector=\"bank-inbox\",kind=\"bank\"} 7"))
      << text;
  EXPECT_TRUE(
      has_line(text, "sfmon_records_ingested_total{connector=\"fee-inbox\",kind=\"fee\"} 2"));
}

TEST(Metrics, AlertGaugeComesFromTheCallerIncludingZeros) {
  const std::string text = Metrics().render({{"red", 2}, {"blue", 0}});
  EXPECT_TRUE(has_line(text, "sfmon_alerts{level=\"red\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "sfmon_alerts{level=\"blue\"} 0"));
}

TEST(Metrics, EvaluationSummaryAddsSumAndCount) {
  Metrics metrics;
  metrics.observe_evaluation_seconds(0.5);
  metrics.observe_evaluation_seconds(0.25);
  metrics.add_rule_evaluations(3);
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, "sfmon_evaluation_seconds_sum 0.75")) << text;
  EXPECT_TRUE(has_line(text, "sfmon_evaluation_seconds_count 2"));
  EXPECT_TRUE(has_line(text, "sfmon_rule_evaluations_total 3"));
}

TEST(Metrics, LastSuccessKeepsTheLatestTimestamp) {
  Metrics metrics;
  metrics.set_connector_last_success("fee-api", 1700000000);
  metrics.set_connector_last_success("fee-api", 1700000060);
  metrics.add_notifications(3, 2, 1);
  metrics.add_escalations(4);
  const std::string text = metrics.render({});
  EXPECT_TRUE(
      has_line(text, "sfmon_connector_last_success_timestamp{connector=\"fee-api\"} 1700000060"))
      << text;
  EXPECT_TRUE(has_line(text, "sfmon_notification_failures_total 2"));
  EXPECT_TRUE(has_line(text, "sfmon_notifications_sent_total 3"));
  EXPECT_TRUE(has_line(text, "sfmon_notification_dead_letters_total 1"));
  EXPECT_TRUE(has_line(text, "sfmon_escalations_total 4"));
}

TEST(Metrics, ConnectorStateBecomesPerConnectorGauges) {
  Metrics metrics;
  ConnectorState fees;
  fees.source = "fee-api";
  fees.records_read = 1200;
  fees.consecutive_failures = 3;
  fees.lag_seconds = 86400;
  ConnectorState bank;
  bank.source = "bank-inbox";
  bank.records_read = 7;
  const std::string text = metrics.render({}, {fees, bank});
  EXPECT_TRUE(has_line(text, "sfmon_connector_records_read_total{connector=\"fee-api\"} 1200"))
      << text;
  EXPECT_TRUE(has_line(text, "sfmon_connector_records_read_total{connector=\"bank-inbox\"} 7"));
  EXPECT_TRUE(has_line(text, "sfmon_connector_consecutive_failures{connector=\"fee-api\"} 3"));
  EXPECT_TRUE(has_line(text, "sfmon_connector_lag_seconds{connector=\"fee-api\"} 86400"));
  // No record read yet: no lag sample rather than a made-up 0.
  EXPECT_EQ(text.find("sfmon_connector_lag_seconds{connector=\"bank-inbox\"}"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(prometheus_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics metrics;
  metrics.add_records_ingested("odd\"name", "bank", 1);
  EXPECT_NE(metrics.render({}).find("connector=\"odd\\\"name\""), std::string::npos);
}

TEST(Metrics, ConcurrentWritersLoseNothing) {
  Metrics metrics;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        metrics.add_records_ingested("c", "bank", 1);
        metrics.add_rule_evaluations(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, "sfmon_records_ingested_total{connector=\"c\",kind=\"bank\"} 4000"));
  EXPECT_TRUE(has_line(text, "sfmon_rule_evaluations_total 4000"));
}

}  // namespace
}  // namespace sfmon::metrics_test
