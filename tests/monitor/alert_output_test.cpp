// write_alerts(): the `alerts list` JSON contract (product.md), CSV and table.

#include "sfmon/monitor/alert_output.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

namespace sfmon::alert_output_test {
namespace {

const Zone kShanghai{};

alerts::Alert sample_alert() {
  alerts::Alert alert;
  alert.id = 7;
  alert.rule_id = "FUND-LARGE";
  alert.rule_version = 2;
  alert.school_id = "CS-0001";
  alert.level = rules::Level::Orange;
  alert.status = alerts::AlertStatus::Acknowledged;
  alert.dedup_key = "4305:2024-10-08";
  alert.first_seen = parse_iso_instant("2024-10-08T10:00:00+08:00", kShanghai)->utc_seconds;
  alert.last_seen = parse_iso_instant("2024-10-08T23:59:59+08:00", kShanghai)->utc_seconds;
  alert.count = 3;
  alert.message = "账户 4305 在 2024-10-08 转出合计 2000000.00";
  alert.values = {{"total", "2000000.00"}, {"key", "4305"}};
  alert.evidence = {{"bank", "T1"}, {"fee", "F2"}, {"balance", "4305:2024-10-07"}};
  return alert;
}

std::string render(const std::vector<alerts::Alert>& alerts, OutputFormat format) {
  std::ostringstream out;
  write_alerts(alerts, format, kShanghai, out);
  return out.str();
}

Poco::JSON::Array::Ptr parse_array(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

TEST(AlertOutputTest, JsonIsOneArrayWithEveryContractField) {
  const auto array = parse_array(render({sample_alert()}, OutputFormat::Json));
  ASSERT_EQ(array->size(), 1u);
  const auto alert = array->getObject(0);
  EXPECT_EQ(alert->getValue<int>("id"), 7);
  EXPECT_EQ(alert->getValue<std::string>("rule_id"), "FUND-LARGE");
  EXPECT_EQ(alert->getValue<int>("rule_version"), 2);
  EXPECT_EQ(alert->getValue<std::string>("school_id"), "CS-0001");
  EXPECT_EQ(alert->getValue<std::string>("level"), "orange");
  EXPECT_EQ(alert->getValue<std::string>("status"), "acknowledged");
  EXPECT_EQ(alert->getValue<int>("count"), 3);
  EXPECT_EQ(alert->getValue<std::string>("message"), "账户 4305 在 2024-10-08 转出合计 2000000.00");
  EXPECT_EQ(alert->getValue<std::string>("dedup_key"), "4305:2024-10-08");
}

TEST(AlertOutputTest, JsonTimesAreIso8601InTheBureauZone) {
  const auto alert = parse_array(render({sample_alert()}, OutputFormat::Json))->getObject(0);
  EXPECT_EQ(alert->getValue<std::string>("first_seen"), "2024-10-08T10:00:00+08:00");
  EXPECT_EQ(alert->getValue<std::string>("last_seen"), "2024-10-08T23:59:59+08:00");
}

TEST(AlertOutputTest, JsonEvidenceIsAListOfKindAndId) {
  const auto evidence =
      parse_array(render({sample_alert()}, OutputFormat::Json))->getObject(0)->getArray("evidence");
  ASSERT_EQ(evidence->size(), 3u);
  EXPECT_EQ(evidence->getObject(0)->getValue<std::string>("kind"), "bank");
  EXPECT_EQ(evidence->getObject(0)->getValue<std::string>("id"), "T1");
  EXPECT_EQ(evidence->getObject(1)->getValue<std::string>("kind"), "fee");
  EXPECT_EQ(evidence->getObject(1)->getValue<std::string>("id"), "F2");
  EXPECT_EQ(evidence->getObject(2)->getValue<std::string>("kind"), "balance");
  EXPECT_EQ(evidence->getObject(2)->getValue<std::string>("id"), "4305:2024-10-07");
  EXPECT_EQ(evidence->getObject(0)->size(), 2u);
}

TEST(AlertOutputTest, JsonValuesAreAnObjectOfTexts) {
  const auto values =
      parse_array(render({sample_alert()}, OutputFormat::Json))->getObject(0)->getObject("values");
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ(values->getValue<std::string>("total"), "2000000.00");
  EXPECT_EQ(values->getValue<std::string>("key"), "4305");
  EXPECT_TRUE(values->get("total").isString()) << "money must stay an exact decimal string";
}

TEST(AlertOutputTest, NoAlertsIsAnEmptyJsonArray) {
  EXPECT_EQ(render({}, OutputFormat::Json), "[]\n");
}

TEST(AlertOutputTest, CsvHasAHeaderAndOneRowPerAlert) {
  EXPECT_EQ(render({sample_alert()}, OutputFormat::Csv),
            "id,rule_id,rule_version,school_id,level,status,first_seen,last_seen,count,dedup_key,"
            "message,values,evidence\r\n"
            "7,FUND-LARGE,2,CS-0001,orange,acknowledged,2024-10-08T10:00:00+08:00,"
            "2024-10-08T23:59:59+08:00,3,4305:2024-10-08,"
            "账户 4305 在 2024-10-08 转出合计 2000000.00,total=2000000.00; key=4305,"
            "bank:T1 fee:F2 balance:4305:2024-10-07\r\n");
}

TEST(AlertOutputTest, CsvQuotesCellsWithCommas) {
  alerts::Alert alert = sample_alert();
  alert.message = "a, \"b\"";
  const std::string csv = render({alert}, OutputFormat::Csv);
  EXPECT_NE(csv.find(",\"a, \"\"b\"\"\","), std::string::npos) << csv;
}

TEST(AlertOutputTest, TableHasAHeaderLineAndOneLinePerAlert) {
  const std::string table = render({sample_alert(), sample_alert()}, OutputFormat::Table);
  std::istringstream lines(table);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header.rfind("id", 0), 0u);
  EXPECT_NE(header.find("rule_id"), std::string::npos);
  EXPECT_NE(first.find("FUND-LARGE v2"), std::string::npos) << first;
  EXPECT_NE(first.find("bank:T1"), std::string::npos) << first;
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);
}

}  // namespace
}  // namespace sfmon::alert_output_test
