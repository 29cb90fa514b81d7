// run_pack_tests(): a pack's own test cases run in memory, on small inline
// packs — passing cases, failures that say what differed, near misses,
// cases that cannot run, parameters per case and per-rule coverage.

#include "sfmon/monitor/pack_test_runner.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sfmon::pack_test_runner_test {
namespace {

// Serves files from memory; any other path is "not found", as the disk would say.
class MemoryFileSystem : public FileSystem {
 public:
  std::map<std::string, std::string> files;

  std::vector<std::string> list_files(const std::string&) override { return {}; }
  std::string read_file(const std::string& path) override {
    const auto it = files.find(path);
    if (it == files.end()) throw std::runtime_error(path + ": no such file");
    return it->second;
  }
  void write_file(const std::string& path, const std::string& content) override {
    files[path] = content;
  }
  void move_file(const std::string&, const std::string&) override {
    throw std::runtime_error("not supported");
  }
  bool exists(const std::string& path) override { return files.count(path) > 0; }
  void create_directories(const std::string&) override {}
};

// BIG fires on a debit of at least $big (50,000.00 by default), red from
// twice that; alerts group per school and day. SMALL never matters unless judged.
const char* const kRules = R"(
- param: big
  type: money
  default: "50000.00"
- rule: BIG
  title: big debit
  level: yellow
  source: bank
  where: record.debit
  condition: -record.amount >= $big
  escalate:
    - {level: red, when: -record.amount >= 2 * $big}
  message: "paid {-record.amount}"
  dedup: "{record.day}"
- rule: SMALL
  title: any credit
  level: blue
  source: bank
  where: record.credit
  condition: record.amount > 0.00
  message: "received {record.amount}"
)";

const char* const kSchools = R"(
  schools:
    - id: S1
      name: 长沙市某某实验学校
      kind: primary
      accounts:
        - {number: "A1", bank: 建设银行, role: supervised}
    - id: S2
      name: 长沙市另一学校
      kind: middle
      accounts:
        - {number: "B1", bank: 建设银行, role: supervised}
)";

const char* const kTestsFile = "pack/tests/cases.yaml";

class PackTestRunnerTest : public ::testing::Test {
 protected:
  // Runs the cases in `tests` (YAML of the tests file) against kRules.
  PackTestReport run(const std::string& tests) {
    rules::PackDocument doc;
    rules::read_rules_file(kRules, "pack/rules.yaml", doc);
    rules::read_tests_file(tests, kTestsFile, doc);
    const auto base = rules::compile_pack(doc, {});
    return run_pack_tests(doc, *base, files_);
  }

  // One case with the inline schools and the given body lines.
  static std::string one_case(const std::string& name, const std::string& body) {
    return "- test: " + name + "\n" + kSchools + body;
  }

  MemoryFileSystem files_;
};

const std::string kBigDebit =
    "  bank:\n"
    "    - {txn_id: T1, account: A1, booked_at: 2024-10-08, amount: \"-60000.00\", "
    "counterparty_name: 某某建设有限公司}\n";

TEST_F(PackTestRunnerTest, CaseWhoseExpectationMatchesPasses) {
  const PackTestReport report =
      run(one_case("big debit fires", kBigDebit + "  expect:\n"
                                                  "    - {rule: BIG, school: S1, level: yellow, "
                                                  "evidence: [T1]}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
  EXPECT_EQ(report.cases[0].name, "big debit fires");
  EXPECT_EQ(report.passed(), 1);
  EXPECT_EQ(report.failed(), 0);
}

TEST_F(PackTestRunnerTest, WrongLevelFailsNamingWhatWasExpectedAndWhatFired) {
  const PackTestReport report = run(one_case(
      "wrong level", kBigDebit + "  expect:\n    - {rule: BIG, school: S1, level: red}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_EQ(report.cases[0].failure,
            "expected [{rule: BIG, school: S1, level: red}], got [{rule: BIG, school: S1, level: "
            "yellow, evidence: [T1]}]");
  EXPECT_EQ(report.failed(), 1);
}

TEST_F(PackTestRunnerTest, ExpectedFiringThatDoesNotHappenFails) {
  const PackTestReport report = run(one_case(
      "too small",
      "  bank:\n    - {txn_id: T1, account: A1, booked_at: 2024-10-08, amount: \"-49999.99\"}\n"
      "  expect:\n    - {rule: BIG, school: S1}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_EQ(report.cases[0].failure, "expected [{rule: BIG, school: S1}], got nothing");
}

TEST_F(PackTestRunnerTest, EvidenceMustBeExactlyTheExpectedIds) {
  const PackTestReport report = run(one_case(
      "evidence", kBigDebit + "  expect:\n    - {rule: BIG, school: S1, evidence: [T1, T9]}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(report.cases[0].failure.find("got [{rule: BIG, school: S1, level: yellow, evidence: "
                                         "[T1]}]"),
            std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, NearMissPassesWhenTheJudgedRuleStaysQuiet) {
  const PackTestReport report = run(one_case(
      "just below",
      "  bank:\n    - {txn_id: T1, account: A1, booked_at: 2024-10-08, amount: \"-49999.99\"}\n"
      "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, NearMissFailsWhenTheJudgedRuleFires) {
  const PackTestReport report =
      run(one_case("not a near miss", kBigDebit + "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_EQ(report.cases[0].failure,
            "expected nothing, got [{rule: BIG, school: S1, level: yellow, evidence: [T1]}]");
}

TEST_F(PackTestRunnerTest, RulesTheCaseDoesNotJudgeAreIgnored) {
  // The credit fires SMALL, which this case does not judge.
  const PackTestReport report = run(one_case(
      "only BIG is judged",
      kBigDebit + "    - {txn_id: T2, account: A1, booked_at: 2024-10-08, amount: \"10.00\"}\n"
                  "  expect:\n    - {rule: BIG, school: S1}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, FiringsWithTheSameDedupKeyMergeIntoOneAlertLikeLiveAlerts) {
  const PackTestReport report = run(one_case(
      "two debits one day",
      kBigDebit + "    - {txn_id: T2, account: A1, booked_at: \"2024-10-08T15:00:00\", amount: "
                  "\"-120000.00\"}\n"
                  "  expect:\n    - {rule: BIG, school: S1, level: red, evidence: [T1, T2]}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, TwoAlertsNeedTwoExpectations) {
  const PackTestReport report = run(one_case(
      "two days",
      kBigDebit + "    - {txn_id: T2, account: A1, booked_at: 2024-10-12, amount: \"-60000.00\"}\n"
                  "  expect:\n    - {rule: BIG, school: S1}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(report.cases[0].failure.find("unexpected [{rule: BIG, school: S1, level: yellow, "
                                         "evidence: [T2]}]"),
            std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, WildcardExpectationsStillFindAOneToOneMatch) {
  // Greedy pairing would give the first (any evidence) expectation T1's
  // alert and leave [T1] without a partner.
  const PackTestReport report = run(one_case(
      "match", kBigDebit +
                   "    - {txn_id: T2, account: A1, booked_at: 2024-10-12, amount: \"-60000.00\"}\n"
                   "  expect:\n    - {rule: BIG, school: S1}\n"
                   "    - {rule: BIG, school: S1, evidence: [T1]}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, FiringsAreAttributedToTheSchoolOwningTheAccount) {
  const PackTestReport report = run(one_case(
      "second school",
      "  bank:\n    - {txn_id: T1, account: B1, booked_at: 2024-10-08, amount: \"-60000.00\"}\n"
      "  expect:\n    - {rule: BIG, school: S2}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, CaseParametersOverrideTheDefaults) {
  const PackTestReport report = run(
      one_case("lower line", kBigDebit + "  parameters: {big: \"30000.00\"}\n"
                                         "  expect:\n    - {rule: BIG, school: S1, level: red}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, BadAmountInABankRowNamesTheRow) {
  const PackTestReport report = run(one_case(
      "bad amount",
      "  bank:\n    - {txn_id: T1, account: A1, booked_at: 2024-10-08, amount: \"-1.5.0\"}\n"
      "  expect:\n    - {rule: BIG, school: S1}\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  const std::string& failure = report.cases[0].failure;
  EXPECT_EQ(failure.rfind("pack/tests/cases.yaml#bad amount: bank row 1: column 'amount'", 0), 0u)
      << failure;
  EXPECT_NE(failure.find("(value '-1.5.0')"), std::string::npos) << failure;
}

TEST_F(PackTestRunnerTest, MisspeltColumnIsAnErrorNotIgnored) {
  const PackTestReport report = run(one_case(
      "typo",
      "  bank:\n    - {txn_id: T1, acount: A1, booked_at: 2024-10-08, amount: \"-60000.00\"}\n"
      "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(report.cases[0].failure.find("bank row 1: unknown column 'acount'"), std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, AccountOutsideTheRegistryIsAnError) {
  const PackTestReport report = run(one_case(
      "stray account",
      "  bank:\n    - {txn_id: T1, account: Z9, booked_at: 2024-10-08, amount: \"-60000.00\"}\n"
      "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(report.cases[0].failure.find("account 'Z9' is not an account of a school"),
            std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, ExpectationOfARuleTheCaseDoesNotJudgeFailsTheCase) {
  // Its firings are never looked at, so the expectation could never hold.
  const PackTestReport report =
      run(one_case("judges the wrong rule", kBigDebit + "  expect:\n    - {rule: BIG, school: S1}\n"
                                                        "  rules: [SMALL]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_EQ(report.cases[0].failure, "expect names rule 'BIG', which 'rules' does not judge");
}

TEST_F(PackTestRunnerTest, RegistryFileIsReadRelativeToTheTestsFolder) {
  files_.files["pack/tests/schools.yaml"] = kSchools;
  const PackTestReport report = run("- test: from a file\n  registry: schools.yaml\n" + kBigDebit +
                                    "  expect:\n    - {rule: BIG, school: S1}\n");
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].passed) << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, MissingRegistryFileFailsTheCase) {
  const PackTestReport report = run("- test: no file\n  registry: nowhere.yaml\n" + kBigDebit +
                                    "  expect:\n    - {rule: BIG, school: S1}\n");
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(report.cases[0].failure.find("pack/tests/nowhere.yaml"), std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, FeeRowsAreDecodedLikeFeeFiles) {
  const PackTestReport report = run(one_case(
      "fee without school",
      "  fees:\n    - {fee_id: F1, school_id: S9, paid_at: 2024-09-01, amount: \"100.00\", "
      "fee_type: tuition}\n"
      "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(
      report.cases[0].failure.find(
          "cases.yaml#fee without school: fees row 1: school 'S9' is not in the case's registry"),
      std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, InvalidFeeRowNamesTheRowAndField) {
  const PackTestReport report = run(one_case(
      "bad fee",
      "  fees:\n    - {fee_id: F1, school_id: S1, paid_at: 2024-09-01, amount: \"100.00\", "
      "fee_type: bribe}\n"
      "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(report.cases[0].failure.find("#bad fee: fees row 1: field 'fee_type'"),
            std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, InvalidBalanceRowNamesTheRow) {
  const PackTestReport report =
      run(one_case("bad balance",
                   "  balances:\n    - {account: A1, date: 2024-02-30, amount: \"1.00\"}\n"
                   "  expect: []\n  rules: [BIG]\n"));
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_FALSE(report.cases[0].passed);
  EXPECT_NE(
      report.cases[0].failure.find("balances row 1: 'date' must be YYYY-MM-DD, not '2024-02-30'"),
      std::string::npos)
      << report.cases[0].failure;
}

TEST_F(PackTestRunnerTest, CountsFiringAndNearMissCasesPerRule) {
  const PackTestReport report =
      run(one_case("fires", kBigDebit + "  expect:\n    - {rule: BIG, school: S1}\n") +
          one_case("near", kBigDebit + "  expect:\n    - {rule: BIG, school: S1}\n"
                                       "  rules: [BIG, SMALL]\n"));
  ASSERT_EQ(report.per_rule.size(), 2u);
  EXPECT_EQ(report.per_rule.at("BIG").firing_cases, 2);
  EXPECT_EQ(report.per_rule.at("BIG").near_miss_cases, 0);
  EXPECT_EQ(report.per_rule.at("SMALL").firing_cases, 0);
  EXPECT_EQ(report.per_rule.at("SMALL").near_miss_cases, 1);
}

TEST_F(PackTestRunnerTest, ReportEndsWithPassedAndFailedCounts) {
  const PackTestReport report =
      run(one_case("fires", kBigDebit + "  expect:\n    - {rule: BIG, school: S1}\n") +
          one_case("wrong", kBigDebit + "  expect:\n    - {rule: BIG, school: S2}\n"));
  std::ostringstream out;
  write_pack_test_report(report, out);
  EXPECT_EQ(out.str(),
            "PASS fires\n"
            "FAIL wrong: expected [{rule: BIG, school: S2}], got [{rule: BIG, school: S1, level: "
            "yellow, evidence: [T1]}]\n"
            "rule BIG: 2 firing cases, 0 near-miss cases\n"
            "rule SMALL: 0 firing cases, 0 near-miss cases (never shown to fire)\n"
            "1 passed, 1 failed\n");
}

}  // namespace
}  // namespace sfmon::pack_test_runner_test
