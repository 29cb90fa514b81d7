// The bundled demo city through the real binary: every planted case of
// tests/data/demo_city_expected.json is found with its evidence, nothing else
// fires, re-reading adds nothing, and the alerts do not depend on the order
// the files arrive in.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "sfmon_process.h"

namespace sfmon::e2e::demo_city_e2e_test {
namespace {

namespace fs = std::filesystem;

const std::string kDemo = std::string(SFMON_SOURCE_DIR) + "/examples/demo-city";

// rule, school, sorted "kind:id" evidence
using AlertKey = std::tuple<std::string, std::string, std::vector<std::string>>;

std::vector<std::string> evidence_of(const Poco::JSON::Array::Ptr& evidence) {
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < evidence->size(); ++i) {
    const auto ref = evidence->getObject(static_cast<unsigned>(i));
    refs.push_back(ref->getValue<std::string>("kind") + ":" + ref->getValue<std::string>("id"));
  }
  std::sort(refs.begin(), refs.end());
  return refs;
}

std::set<AlertKey> planted() {
  const auto root =
      Poco::JSON::Parser()
          .parse(read_text(std::string(SFMON_TEST_DATA_DIR) + "/demo_city_expected.json"))
          .extract<Poco::JSON::Object::Ptr>();
  std::set<AlertKey> keys;
  const auto cases = root->getArray("planted");
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const auto item = cases->getObject(static_cast<unsigned>(i));
    keys.insert({item->getValue<std::string>("rule_id"), item->getValue<std::string>("school_id"),
                 evidence_of(item->getArray("evidence"))});
  }
  return keys;
}

Poco::JSON::Array::Ptr alerts_json(const std::string& config) {
  const RunResult listed = run_sfmon({"alerts", "list", "--config", config, "--format", "json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  return Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
}

std::set<AlertKey> alert_keys(const Poco::JSON::Array::Ptr& alerts) {
  std::set<AlertKey> keys;
  for (std::size_t i = 0; i < alerts->size(); ++i) {
    const auto alert = alerts->getObject(static_cast<unsigned>(i));
    keys.insert({alert->getValue<std::string>("rule_id"), alert->getValue<std::string>("school_id"),
                 evidence_of(alert->getArray("evidence"))});
  }
  return keys;
}

// The alerts as text without their ids, which depend on insertion order.
std::string alerts_without_ids(const std::string& config) {
  auto alerts = alerts_json(config);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < alerts->size(); ++i) {
    auto alert = alerts->getObject(static_cast<unsigned>(i));
    alert->remove("id");
    std::ostringstream line;
    alert->stringify(line);
    lines.push_back(line.str());
  }
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// A copy of the demo city whose inbox files the test feeds by hand.
struct CityCopy {
  TempDir dir;
  std::string config = dir / "city/sfmon.yaml";
  std::vector<std::string> bank;
  std::vector<std::string> fees;

  CityCopy() {
    copy_tree(kDemo, dir / "city");
    for (const auto& name : files_in(dir / "city/inbox/bank"))
      bank.push_back(dir / "city/inbox/bank/" + name);
    for (const auto& name : files_in(dir / "city/inbox/fees"))
      fees.push_back(dir / "city/inbox/fees/" + name);
  }

  void ingest(const std::string& kind, const std::vector<std::string>& files) const {
    std::vector<std::string> args = {"ingest", "--config", config, "--kind", kind};
    args.insert(args.end(), files.begin(), files.end());
    const RunResult result = run_sfmon(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
};

// "...-202410.csv" → "202410"
std::string month_of(const std::string& path) {
  const std::string stem = fs::path(path).stem().string();
  return stem.substr(stem.size() - 6);
}

TEST(DemoCityE2E, RunOnceFindsEveryPlantedCaseAndNothingElse) {
  CityCopy city;
  const RunResult run = run_sfmon({"run-once", "--config", city.config});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(files_in(city.dir / "city/inbox/bank").empty()) << "accepted files leave the inbox";
  EXPECT_EQ(files_in(city.dir / "city/inbox/bank/archive").size(), city.bank.size());
  EXPECT_NE(run.err.find("unregistered account"), std::string::npos);

  const auto alerts = alerts_json(city.config);
  const std::set<AlertKey> got = alert_keys(alerts);
  const std::set<AlertKey> want = planted();
  for (const auto& key : want) {
    EXPECT_TRUE(got.count(key)) << "missed planted " << std::get<0>(key) << " at "
                                << std::get<1>(key);
  }
  for (const auto& key : got) {
    EXPECT_TRUE(want.count(key)) << "unexpected " << std::get<0>(key) << " at " << std::get<1>(key);
  }
  for (std::size_t i = 0; i < alerts->size(); ++i) {
    const auto school =
        alerts->getObject(static_cast<unsigned>(i))->getValue<std::string>("school_id");
    EXPECT_NE(school, "CS-0109") << "a clean school was flagged";
    EXPECT_NE(school, "CS-0110") << "a clean school was flagged";
  }

  // Every flagged record is evidence of an alert, and every evidence record is flagged.
  const RunResult flagged =
      run_sfmon({"records", "list", "--config", city.config, "--flagged", "--format", "json"});
  ASSERT_EQ(flagged.exit_code, 0) << flagged.err;
  const auto records = Poco::JSON::Parser().parse(flagged.out).extract<Poco::JSON::Array::Ptr>();
  std::set<std::string> evidence_records;
  for (const auto& key : got) {
    for (const auto& ref : std::get<2>(key)) {
      if (ref.rfind("balance:", 0) != 0) evidence_records.insert(ref);
    }
  }
  std::set<std::string> flagged_records;
  for (std::size_t i = 0; i < records->size(); ++i) {
    const auto record = records->getObject(static_cast<unsigned>(i));
    flagged_records.insert(record->getValue<std::string>("kind") + ":" +
                           record->getValue<std::string>("id"));
    EXPECT_GT(record->getArray("alert_ids")->size(), 0u);
  }
  EXPECT_EQ(flagged_records, evidence_records);
}

TEST(DemoCityE2E, ReadingTheSameFilesAgainChangesNothing) {
  CityCopy city;
  ASSERT_EQ(run_sfmon({"run-once", "--config", city.config}).exit_code, 0);
  const std::string alerts = alerts_without_ids(city.config);
  const RunResult records =
      run_sfmon({"records", "list", "--config", city.config, "--format", "json"});
  // The bank sends everything again, under other names.
  for (const auto& path : city.bank) {
    const std::string archived =
        city.dir / "city/inbox/bank/archive/" + fs::path(path).filename().string();
    write_text(city.dir / "city/inbox/bank/again-" + fs::path(path).filename().string(),
               read_text(archived));
  }
  const RunResult again = run_sfmon({"run-once", "--config", city.config});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(alerts_without_ids(city.config), alerts);
  EXPECT_EQ(run_sfmon({"records", "list", "--config", city.config, "--format", "json"}).out,
            records.out);
}

TEST(DemoCityE2E, AlertsDoNotDependOnTheOrderFilesArriveIn) {
  // 1. Everything at once, bank then fees.
  CityCopy all_at_once;
  all_at_once.ingest("bank", all_at_once.bank);
  all_at_once.ingest("fee", all_at_once.fees);
  const std::string expected = alerts_without_ids(all_at_once.config);
  ASSERT_GT(expected.size(), 100u);

  // 2. Fees first, then bank files newest first, one file per command, so
  //    rules run after every file on partial data.
  CityCopy one_by_one;
  for (auto it = one_by_one.fees.rbegin(); it != one_by_one.fees.rend(); ++it)
    one_by_one.ingest("fee", {*it});
  for (auto it = one_by_one.bank.rbegin(); it != one_by_one.bank.rend(); ++it)
    one_by_one.ingest("bank", {*it});
  EXPECT_EQ(alerts_without_ids(one_by_one.config), expected);

  // 3. Month by month, November first, bank and fees of a month together.
  CityCopy months;
  for (const std::string month : {"202411", "202409", "202410"}) {
    std::vector<std::string> bank, fees;
    for (const auto& path : months.bank)
      if (month_of(path) == month) bank.push_back(path);
    for (const auto& path : months.fees)
      if (month_of(path) == month) fees.push_back(path);
    months.ingest("fee", fees);
    months.ingest("bank", bank);
  }
  EXPECT_EQ(alerts_without_ids(months.config), expected);
}

}  // namespace
}  // namespace sfmon::e2e::demo_city_e2e_test
