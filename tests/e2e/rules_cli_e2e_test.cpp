// `rules check`, `rules test`, `alerts list` and `replay` through the real
// binary: exit codes, one-line errors with their place, the alerts JSON
// contract after an ingest of a tiny city, and replays that never touch
// live alerts.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "sfmon_process.h"

namespace sfmon::e2e::rules_cli_e2e_test {
namespace {

namespace fs = std::filesystem;

// One rule of each kind of item, every item used, so the pack has no warnings.
const char* const kGoodPack = R"(- list: builder_words
  items: [建设, 工程]
- macro: is_debit
  condition: record.debit
- param: big_debit
  type: money
  default: "50000.00"
- rule: BIG-DEBIT
  title: 大额转出
  version: 3
  level: orange
  source: bank
  where: is_debit
  condition: -record.amount >= $big_debit
  message: "账户 {record.account} 转出 {-record.amount}"
- rule: BUILDER
  title: 向建设单位付款
  level: blue
  source: bank
  where: is_debit
  condition: counterparty.name contains_any builder_words
  message: "付款给 {counterparty.name}"
)";

const char* const kSchools = R"(schools:
  - id: CS-0001
    name: 长沙市某某实验学校
    kind: primary
    nonprofit: true
    district: 岳麓区
    accounts:
      - {number: "43050180123400000001", bank: 建设银行长沙分行, role: supervised}
)";

const char* const kTests = R"(- test: big debit fires
  registry: registry/schools.yaml
  bank:
    - {txn_id: T1, account: "43050180123400000001", booked_at: 2024-10-08, amount: "-60000.00", counterparty_name: 张三}
  expect:
    - {rule: BIG-DEBIT, school: CS-0001, level: orange, evidence: [T1]}
- test: just below the line
  registry: registry/schools.yaml
  bank:
    - {txn_id: T1, account: "43050180123400000001", booked_at: 2024-10-08, amount: "-49999.99", counterparty_name: 张三}
  expect: []
  rules: [BIG-DEBIT]
)";

const char* const kBankCsv =
    "txn_id,account,booked_at,amount,currency,counterparty_name,purpose\n"
    "T1,43050180123400000001,2024-10-08T10:00:00+08:00,-60000.00,CNY,张三,借款\n"
    "T2,43050180123400000001,2024-10-09T11:00:00+08:00,-40000.00,CNY,李四,借款\n"
    "T3,43050180123400000001,2024-10-10T09:00:00+08:00,8000.00,CNY,王五,学费\n";

void write_pack(const std::string& folder, const std::string& rules) {
  fs::create_directories(folder + "/tests/registry");
  write_text(folder + "/rules.yaml", rules);
  write_text(folder + "/tests/registry/schools.yaml", kSchools);
  write_text(folder + "/tests/cases.yaml", kTests);
}

Poco::JSON::Array::Ptr parse_array(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

// Every line of `text` that is not empty.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// ---- rules check ----------------------------------------------------------------------

TEST(RulesCheckE2E, GoodPackPrintsItsCountsAndExitsZero) {
  TempDir dir;
  write_pack(dir / "pack", kGoodPack);
  const RunResult run = run_sfmon({"rules", "check", dir / "pack"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "2 rules, 1 list, 1 macro, 1 parameter: OK\n");
  EXPECT_EQ(run.err, "");
}

TEST(RulesCheckE2E, BrokenPackExitsOneWithFileLineColumnPerProblem) {
  TempDir dir;
  write_pack(dir / "pack", kGoodPack);
  write_text(dir / "pack/zz_broken.yaml",
             "- rule: BROKEN\n"
             "  title: t\n"
             "  level: yellow\n"
             "  source: bank\n"
             "  condition: record.amout > 0.00\n"
             "  message: m\n");
  const RunResult run = run_sfmon({"rules", "check", dir / "pack"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  const std::vector<std::string> lines = lines_of(run.err);
  ASSERT_FALSE(lines.empty());
  const std::regex diagnostic(".*/pack/zz_broken\\.yaml:5:[0-9]+: .*record\\.amout.*");
  for (const std::string& line : lines) {
    EXPECT_TRUE(std::regex_match(line, diagnostic)) << line;
  }
}

TEST(RulesCheckE2E, NeedsNoConfigOrDatabase) {
  TempDir dir;
  write_pack(dir / "pack", kGoodPack);
  const RunResult run = run_sfmon({"rules", "check", "pack"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(fs::exists(dir / "sfmon.db")) << "rules check must not open a database";
}

TEST(RulesCheckE2E, MissingFolderIsAnInvalidPack) {
  TempDir dir;
  const RunResult run = run_sfmon({"rules", "check", dir / "nowhere"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(dir / "nowhere"), std::string::npos) << run.err;
}

TEST(RulesCheckE2E, WithoutArgumentsChecksTheBundledDefaultPack) {
  const RunResult run = run_sfmon({"rules", "check"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(std::regex_match(run.out, std::regex("[0-9]+ rules, [0-9]+ lists?, [0-9]+ macros?, "
                                                   "[0-9]+ parameters?: OK\n")))
      << run.out;
}

// ---- rules test -----------------------------------------------------------------------

TEST(RulesTestE2E, PassingCasesExitZeroWithOneLineEach) {
  TempDir dir;
  write_pack(dir / "pack", kGoodPack);
  const RunResult run = run_sfmon({"rules", "test", dir / "pack"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::vector<std::string> lines = lines_of(run.out);
  ASSERT_GE(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0], "PASS big debit fires");
  EXPECT_EQ(lines[1], "PASS just below the line");
  EXPECT_NE(run.out.find("rule BIG-DEBIT: 1 firing case, 1 near-miss case\n"), std::string::npos)
      << run.out;
  EXPECT_EQ(lines.back(), "2 passed, 0 failed");
}

TEST(RulesTestE2E, FailingCaseExitsOneAndSaysWhatDiffered) {
  TempDir dir;
  // A lower line turns the near miss into a firing.
  std::string rules = kGoodPack;
  rules.replace(rules.find("\"50000.00\""), 10, "\"40000.00\"");
  write_pack(dir / "pack", rules);
  const RunResult run = run_sfmon({"rules", "test", dir / "pack"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("PASS big debit fires\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("FAIL just below the line: expected nothing, got [{rule: BIG-DEBIT, "
                         "school: CS-0001, level: orange, evidence: [T1]}]\n"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(lines_of(run.out).back(), "1 passed, 1 failed");
}

TEST(RulesTestE2E, InvalidPackExitsOneWithItsDiagnostics) {
  TempDir dir;
  write_pack(dir / "pack", kGoodPack);
  write_text(dir / "pack/tests/broken.yaml", "- test: x\n  expect: [\n");
  const RunResult run = run_sfmon({"rules", "test", dir / "pack"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("/pack/tests/broken.yaml:"), std::string::npos) << run.err;
}

TEST(RulesTestE2E, WithoutArgumentsRunsTheBundledPacksOwnTests) {
  const RunResult run = run_sfmon({"rules", "test"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::vector<std::string> lines = lines_of(run.out);
  ASSERT_FALSE(lines.empty()) << run.err;
  EXPECT_TRUE(std::regex_match(lines.back(), std::regex("[1-9][0-9]* passed, 0 failed")))
      << lines.back();
}

// ---- usage errors ---------------------------------------------------------------------

struct UsageCase {
  std::vector<std::string> args;
  std::string mentions;
};

TEST(RulesCliUsageE2E, BadOptionValuesExitTwoWithOneLine) {
  const std::vector<UsageCase> cases = {
      {{"alerts", "list", "--status", "closed"}, "--status"},
      {{"alerts", "list", "--level", "purple"}, "--level"},
      {{"alerts", "list", "--from", "2024-13-01"}, "--from"},
      {{"alerts", "list", "--from", "2024-10-09", "--to", "2024-10-01"}, "--to"},
      {{"alerts", "list", "--format", "xml"}, "--format"},
      {{"alerts", "list", "--bogus"}, "--bogus"},
      {{"rules", "check", "--config", "x.yaml"}, "--config"},
      {{"rules", "test", "--verbose"}, "--verbose"},
      {{"replay", "--to", "2024-10-01"}, "--from"},
      {{"replay", "--from", "2024-10-01"}, "--to"},
      {{"replay", "--from", "yesterday", "--to", "2024-10-01"}, "--from"},
      {{"records", "list", "--to", "2024-02-30"}, "--to"},
  };
  for (const UsageCase& usage : cases) {
    TempDir dir;
    const RunResult run = run_sfmon(usage.args, dir.path());
    std::string command;
    for (const std::string& arg : usage.args) command += arg + " ";
    EXPECT_EQ(run.exit_code, 2) << command << run.err;
    EXPECT_EQ(lines_of(run.err).size(), 1u) << command << run.err;
    EXPECT_NE(run.err.find(usage.mentions), std::string::npos) << command << run.err;
    EXPECT_FALSE(fs::exists(dir / "sfmon.db")) << command << ": usage errors touch nothing";
  }
}

// ---- alerts list and replay on a tiny city ----------------------------------------------

class TinyCityE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    write_pack(dir_ / "rules", kGoodPack);
    write_text(dir_ / "schools.yaml", kSchools);
    write_text(config_, "database: sfmon.db\nregistry: schools.yaml\nrules: [rules/]\n");
    write_text(dir_ / "bank.csv", kBankCsv);
    const RunResult ingest =
        run_sfmon({"ingest", "--config", config_, "--kind", "bank", dir_ / "bank.csv"});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.out << ingest.err;
  }

  RunResult alerts_json() {
    return run_sfmon({"alerts", "list", "--config", config_, "--format", "json"});
  }

  TempDir dir_;
  std::string config_ = dir_ / "sfmon.yaml";
};

TEST_F(TinyCityE2E, AlertsListJsonHasTheContractShape) {
  const RunResult listed = alerts_json();
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto alerts = parse_array(listed.out);
  ASSERT_EQ(alerts->size(), 1u) << listed.out;
  const auto alert = alerts->getObject(0);
  for (const char* field :
       {"id", "rule_id", "rule_version", "school_id", "level", "status", "first_seen", "last_seen",
        "count", "message", "evidence", "values", "dedup_key"}) {
    EXPECT_TRUE(alert->has(field)) << field;
  }
  EXPECT_EQ(alert->getValue<std::string>("rule_id"), "BIG-DEBIT");
  EXPECT_EQ(alert->getValue<int>("rule_version"), 3);
  EXPECT_EQ(alert->getValue<std::string>("school_id"), "CS-0001");
  EXPECT_EQ(alert->getValue<std::string>("level"), "orange");
  EXPECT_EQ(alert->getValue<std::string>("status"), "open");
  EXPECT_EQ(alert->getValue<std::string>("first_seen"), "2024-10-08T10:00:00+08:00");
  EXPECT_EQ(alert->getValue<int>("count"), 1);
  EXPECT_EQ(alert->getValue<std::string>("message"), "账户 43050180123400000001 转出 60000.00");
  const auto evidence = alert->getArray("evidence");
  ASSERT_EQ(evidence->size(), 1u);
  EXPECT_EQ(evidence->getObject(0)->getValue<std::string>("kind"), "bank");
  EXPECT_EQ(evidence->getObject(0)->getValue<std::string>("id"), "T1");
  EXPECT_TRUE(alert->isObject("values"));
}

TEST_F(TinyCityE2E, AlertsListFiltersByRuleLevelAndDate) {
  const auto count = [&](const std::vector<std::string>& filter) {
    std::vector<std::string> args = {"alerts", "list", "--config", config_, "--format", "json"};
    args.insert(args.end(), filter.begin(), filter.end());
    const RunResult run = run_sfmon(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return parse_array(run.out)->size();
  };
  EXPECT_EQ(count({"--rule", "BIG-DEBIT"}), 1u);
  EXPECT_EQ(count({"--rule", "BUILDER"}), 0u);
  EXPECT_EQ(count({"--level", "orange", "--status", "open", "--school", "CS-0001"}), 1u);
  EXPECT_EQ(count({"--level", "red"}), 0u);
  EXPECT_EQ(count({"--from", "2024-10-08", "--to", "2024-10-08"}), 1u);
  EXPECT_EQ(count({"--from", "2024-10-09"}), 0u);
  EXPECT_EQ(count({"--to", "2024-10-07"}), 0u);
}

TEST_F(TinyCityE2E, AlertsListCsvHasAHeaderAndARowPerAlert) {
  const RunResult run = run_sfmon({"alerts", "list", "--config", config_, "--format", "csv"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> lines = lines_of(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_EQ(lines[0].rfind("id,rule_id,rule_version,school_id,level,status,", 0), 0u) << lines[0];
  EXPECT_NE(lines[1].find(",BIG-DEBIT,3,CS-0001,orange,open,"), std::string::npos) << lines[1];
}

TEST_F(TinyCityE2E, ReplayWithTheSameRulesFindsTheLiveAlertsAgain) {
  const RunResult replay =
      run_sfmon({"replay", "--config", config_, "--from", "2024-10-01", "--to", "2024-10-31"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_TRUE(std::regex_search(replay.out, std::regex("\nBIG-DEBIT +1 +1 +1 +0 +0 *\n")))
      << replay.out;
  EXPECT_EQ(replay.out.find("only in the replay:"), std::string::npos) << replay.out;
  EXPECT_EQ(replay.out.find("only live:"), std::string::npos) << replay.out;
}

TEST_F(TinyCityE2E, ReplayWithOtherRulesReportsTheDifferenceAndLeavesLiveAlertsUntouched) {
  const RunResult before = alerts_json();
  const RunResult flagged_before =
      run_sfmon({"records", "list", "--config", config_, "--flagged", "--format", "json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  ASSERT_EQ(flagged_before.exit_code, 0) << flagged_before.err;

  // A lower line also catches the 40,000.00 debit of 10-09.
  std::string lower = kGoodPack;
  lower.replace(lower.find("\"50000.00\""), 10, "\"30000.00\"");
  write_pack(dir_ / "lower", lower);
  const RunResult replay = run_sfmon({"replay", "--config", config_, "--from", "2024-10-01", "--to",
                                      "2024-10-31", "--rules", dir_ / "lower"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_TRUE(std::regex_search(replay.out, std::regex("\nBIG-DEBIT +2 +2 +1 +1 +0 *\n")))
      << replay.out;
  EXPECT_NE(replay.out.find("only in the replay:\n  + BIG-DEBIT CS-0001 orange"), std::string::npos)
      << replay.out;
  EXPECT_NE(replay.out.find("转出 40000.00"), std::string::npos) << replay.out;

  const RunResult after = alerts_json();
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out) << "a replay must not change live alerts";
  const RunResult flagged_after =
      run_sfmon({"records", "list", "--config", config_, "--flagged", "--format", "json"});
  EXPECT_EQ(flagged_after.out, flagged_before.out) << "a replay must not flag records";
}

TEST_F(TinyCityE2E, ReplayShowsLiveAlertsTheOtherRulesWouldNotRaise) {
  const RunResult before = alerts_json();
  std::string higher = kGoodPack;
  higher.replace(higher.find("\"50000.00\""), 10, "\"90000.00\"");
  write_pack(dir_ / "higher", higher);
  const RunResult replay = run_sfmon({"replay", "--config", config_, "--from", "2024-10-01", "--to",
                                      "2024-10-31", "--rules", dir_ / "higher"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_TRUE(std::regex_search(replay.out, std::regex("\nBIG-DEBIT +0 +0 +1 +0 +1 *\n")))
      << replay.out;
  EXPECT_NE(replay.out.find("only live:\n  - BIG-DEBIT CS-0001 orange"), std::string::npos)
      << replay.out;
  EXPECT_EQ(alerts_json().out, before.out) << "a replay must not change live alerts";
}

TEST_F(TinyCityE2E, ReplayComparesOnlyAlertsSeenInThePeriod) {
  const RunResult replay =
      run_sfmon({"replay", "--config", config_, "--from", "2024-10-09", "--to", "2024-10-31"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  // The live alert of 10-08 is outside the period: nothing to compare.
  EXPECT_TRUE(std::regex_search(replay.out, std::regex("\nBIG-DEBIT +0 +0 +0 +0 +0 *\n")))
      << replay.out;
}

}  // namespace
}  // namespace sfmon::e2e::rules_cli_e2e_test
