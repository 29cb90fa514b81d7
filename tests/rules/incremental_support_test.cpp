// What incremental evaluation relies on: how far each rule reaches from a
// firing (rule_reach), which rules the facts of a span take part in
// (rules_taking_part), which rules read closing balances
// (CompiledRule::reads_closing_balance) and evaluation with a range per rule.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sfmon/rules/evaluator.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::incremental_support_test {
namespace {

constexpr std::int64_t kDay = 86400;
const Zone kShanghai{};

std::unique_ptr<CompiledPack> compile(const std::string& yaml) {
  PackDocument doc;
  try {
    read_rules_file(yaml, "pack.yaml", doc);
    return compile_pack(doc, {});
  } catch (const PackError& error) {
    for (const Diagnostic& diagnostic : error.errors()) ADD_FAILURE() << diagnostic.to_string();
  }
  return nullptr;
}

const CompiledPack& default_pack() {
  static const std::unique_ptr<CompiledPack> pack =
      load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  return *pack;
}

const CompiledRule& rule_of(const CompiledPack& pack, const std::string& id) {
  const auto it = std::find_if(pack.rules.begin(), pack.rules.end(),
                               [&](const CompiledRule& rule) { return rule.id == id; });
  if (it == pack.rules.end()) throw std::runtime_error("no rule " + id);
  return *it;
}

Fact debit(const char* id, const char* when, Fen amount, const char* counterparty = "X") {
  const Instant instant = *parse_iso_instant(when, kShanghai);
  Fact fact;
  fact.kind = FactKind::Bank;
  fact.id = id;
  fact.time = instant.utc_seconds;
  fact.day = instant.local_date(kShanghai).days_since_epoch();
  fact.account = "A1";
  fact.account_role = AccountRole::Basic;
  fact.amount = amount;
  fact.debit = true;
  fact.counterparty_name = counterparty;
  fact.counterparty_key = counterparty;
  return fact;
}

School make_school() {
  School school;
  school.id = "CS-0001";
  school.name = "长沙市某某实验学校";
  school.kind = SchoolKind::High;
  return school;
}

TEST(RuleReachTest, FollowsTheWindowOfEachDefaultRule) {
  const CompiledPack& pack = default_pack();
  const auto reach = [&](const char* id) { return rule_reach(rule_of(pack, id)); };
  EXPECT_EQ(reach("FUND-TO-PERSON").before, 0);
  EXPECT_EQ(reach("FUND-TO-PERSON").after, 0);
  EXPECT_EQ(reach("FUND-LARGE").before, kDay);  // a tumbling day fires at its end
  EXPECT_EQ(reach("FUND-LARGE").after, 0);
  EXPECT_EQ(reach("FUND-DRAIN").before, 7 * kDay);
  EXPECT_EQ(reach("FUND-ANOMALY").before, 90 * kDay);
  EXPECT_EQ(reach("FUND-ANOMALY").after, 0);
  EXPECT_EQ(reach("FUND-ROUNDTRIP").before, 0);  // the window follows the capital credit
  EXPECT_EQ(reach("FUND-ROUNDTRIP").after, 180 * kDay);
  EXPECT_EQ(reach("FUND-PASSTHRU").before, 72 * 3600);
}

TEST(RuleReachTest, OnlyFundDrainReadsClosingBalancesInTheDefaultPack) {
  for (const CompiledRule& rule : default_pack().rules) {
    EXPECT_EQ(rule.reads_closing_balance, rule.id == "FUND-DRAIN") << rule.id;
  }
}

TEST(RuleReachTest, ClosingBalanceReadThroughAMacroCounts) {
  const auto pack = compile(
      "- macro: low_balance\n"
      "  condition: closing_balance(record.day) < 100.00\n"
      "- macro: very_low\n"
      "  condition: low_balance and record.debit\n"
      "- rule: LOW\n"
      "  title: t\n  level: yellow\n  source: bank\n"
      "  condition: very_low\n"
      "  message: low\n"
      "- rule: PLAIN\n"
      "  title: t\n  level: yellow\n  source: bank\n"
      "  condition: record.debit\n"
      "  message: plain\n");
  ASSERT_NE(pack, nullptr);
  EXPECT_TRUE(rule_of(*pack, "LOW").reads_closing_balance);
  EXPECT_FALSE(rule_of(*pack, "PLAIN").reads_closing_balance);
}

TEST(RulesTakingPartTest, AFactTakesPartInRulesWhoseWhereOrFilterItPasses) {
  const CompiledPack& pack = default_pack();
  const School school = make_school();
  SchoolFacts facts;
  facts.school = &school;
  facts.facts = {debit("T1", "2024-10-08T10:00:00", -100000, "供应商")};
  const std::vector<bool> taking_part =
      rules_taking_part(pack, facts, {facts.facts[0].time, facts.facts[0].time});
  std::map<std::string, bool> by_rule;
  for (std::size_t i = 0; i < pack.rules.size(); ++i) by_rule[pack.rules[i].id] = taking_part[i];
  EXPECT_TRUE(by_rule["FUND-LARGE"]);
  EXPECT_TRUE(by_rule["FUND-ANOMALY"]);
  EXPECT_TRUE(by_rule["FUND-SPLIT"]);
  EXPECT_FALSE(by_rule["FUND-ROUNDTRIP"]);  // neither a capital credit nor a related debit
  EXPECT_FALSE(by_rule["FUND-RELATED"]);
  EXPECT_FALSE(by_rule["FEE-OVER-CAP"]);
  EXPECT_FALSE(by_rule["FUND-MINBAL"]);

  // Outside the range nothing takes part.
  const std::vector<bool> later =
      rules_taking_part(pack, facts, {facts.facts[0].time + 1, facts.facts[0].time + kDay});
  EXPECT_TRUE(std::none_of(later.begin(), later.end(), [](bool b) { return b; }));
}

TEST(RulesTakingPartTest, AnAggregateFilterAloneMakesAFactTakePart) {
  const auto pack = compile(
      "- rule: BACK\n"
      "  title: t\n  level: yellow\n  source: bank\n"
      "  where: record.credit\n"
      "  window: {following: 10d}\n"
      "  aggregates:\n"
      "    back: sum(-record.amount) where record.debit\n"
      "  condition: back > 0\n"
      "  message: back\n");
  ASSERT_NE(pack, nullptr);
  const School school = make_school();
  SchoolFacts facts;
  facts.school = &school;
  facts.facts = {debit("T1", "2024-10-08T10:00:00", -100000)};
  EXPECT_EQ(rules_taking_part(*pack, facts, {}), std::vector<bool>{true});
  facts.facts[0].debit = false;
  EXPECT_EQ(rules_taking_part(*pack, facts, {}), std::vector<bool>{false});
}

TEST(EvaluatePerRuleRangeTest, EachRuleIsJudgedOnlyInItsOwnRange) {
  const auto pack = compile(
      "- rule: A\n  title: t\n  level: yellow\n  source: bank\n"
      "  condition: record.debit\n  message: a\n"
      "- rule: B\n  title: t\n  level: yellow\n  source: bank\n"
      "  condition: record.debit\n  message: b\n");
  ASSERT_NE(pack, nullptr);
  const School school = make_school();
  SchoolFacts facts;
  facts.school = &school;
  facts.facts = {debit("T1", "2024-10-08T10:00:00", -100),
                 debit("T2", "2024-10-09T10:00:00", -100)};
  const std::int64_t t1 = facts.facts[0].time;
  const std::int64_t t2 = facts.facts[1].time;
  const std::vector<TimeRange> ranges{{t2, t2}, {1, 0}};  // A: only T2; B: skipped
  const std::vector<Firing> firings = evaluate_school(*pack, facts, ranges);
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].rule_id, "A");
  EXPECT_EQ(firings[0].time, t2);
  // One range for all rules is the same as that range for each.
  const std::vector<TimeRange> both{{t1, t2}, {t1, t2}};
  EXPECT_EQ(evaluate_school(*pack, facts, both).size(),
            evaluate_school(*pack, facts, TimeRange{t1, t2}).size());
  EXPECT_EQ(evaluate_school(*pack, facts, both).size(), 4u);
}

}  // namespace
}  // namespace sfmon::rules::incremental_support_test
