// The pack reader: YAML text → PackDocument items with exact positions.
// Expressions are not parsed here; only structure is checked.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::pack_reader_test {
namespace {

// Joins lines with '\n', so that a test names line numbers as index + 1.
std::string lines(std::initializer_list<const char*> text) {
  std::string joined;
  for (const char* line : text) joined += std::string(line) + "\n";
  return joined;
}

PackDocument read(const std::string& yaml) {
  PackDocument doc;
  read_rules_file(yaml, "pack.yaml", doc);
  return doc;
}

std::vector<std::string> texts_of(const PackError& error) {
  std::vector<std::string> texts;
  for (const Diagnostic& diagnostic : error.errors()) texts.push_back(diagnostic.to_string());
  return texts;
}

// Every error of reading `yaml` as "file:line:column: message"; empty when
// it reads fine.
std::vector<std::string> errors_of(const std::string& yaml) {
  try {
    read(yaml);
  } catch (const PackError& error) {
    return texts_of(error);
  }
  return {};
}

std::string position(const SourceRef& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// A valid rule; tests append keys to it (line 7 onwards).
const std::string kMinimalRule = lines({
    "- rule: R-1",
    "  title: 测试",
    "  level: yellow",
    "  source: bank",
    "  condition: record.debit",
    "  message: m",
});

// ---- Structure ----------------------------------------------------------------

TEST(PackReaderTest, ReadsEveryKindOfItem) {
  const PackDocument doc = read(lines({
      "- list: cash_words",
      "  items: [现金, 取现, ATM]",
      "- macro: is_debit",
      "  condition: record.debit",
      "- param: large_day_total",
      "  type: money",
      "  default: \"2000000.00\"",
      "  description: PBOC large-value line",
      "- rule: FUND-LARGE",
      "  title: 单日大额资金转出",
      "  version: 2",
      "  level: orange",
      "  enabled: false",
      "  regulation: \"PBOC 2016年第3号令\"",
      "  tags: [fund, large]",
      "  source: bank",
      "  where: is_debit",
      "  key: [record.account]",
      "  window: {tumbling: day}",
      "  aggregates:",
      "    total: sum(-record.amount)",
      "    debits: count()",
      "  condition: total >= $large_day_total",
      "  escalate:",
      "    - {level: red, when: total >= 2 * $large_day_total}",
      "  message: \"账户 {record.account} 转出合计 {total}\"",
      "  dedup: \"{record.account}:{window.day}\"",
      "  group_window: 2d",
  }));
  ASSERT_EQ(doc.lists.size(), 1u);
  EXPECT_EQ(doc.lists[0].name, "cash_words");
  EXPECT_EQ(doc.lists[0].items, (std::vector<std::string>{"现金", "取现", "ATM"}));
  EXPECT_EQ(position(doc.lists[0].where), "pack.yaml:1:3");
  ASSERT_EQ(doc.macros.size(), 1u);
  EXPECT_EQ(doc.macros[0].name, "is_debit");
  EXPECT_EQ(doc.macros[0].condition.text, "record.debit");
  ASSERT_EQ(doc.params.size(), 1u);
  EXPECT_EQ(doc.params[0].name, "large_day_total");
  EXPECT_EQ(doc.params[0].type, "money");
  EXPECT_EQ(doc.params[0].default_value.text, "2000000.00");
  EXPECT_EQ(doc.params[0].description, "PBOC large-value line");
  ASSERT_EQ(doc.rules.size(), 1u);
  const RuleDoc& rule = doc.rules[0];
  EXPECT_EQ(rule.id, "FUND-LARGE");
  EXPECT_EQ(rule.title, "单日大额资金转出");
  EXPECT_EQ(rule.version, 2);
  EXPECT_EQ(rule.level, "orange");
  EXPECT_FALSE(rule.enabled);
  EXPECT_EQ(rule.regulation, "PBOC 2016年第3号令");
  EXPECT_EQ(rule.tags, (std::vector<std::string>{"fund", "large"}));
  EXPECT_EQ(rule.sources, (std::vector<std::string>{"bank"}));
  ASSERT_TRUE(rule.where.has_value());
  EXPECT_EQ(rule.where->text, "is_debit");
  ASSERT_EQ(rule.key.size(), 1u);
  EXPECT_EQ(rule.key[0].text, "record.account");
  EXPECT_EQ(rule.window.kind, WindowKind::TumblingDay);
  ASSERT_EQ(rule.aggregates.size(), 2u);
  EXPECT_EQ(rule.aggregates[0].first, "total");
  EXPECT_EQ(rule.aggregates[0].second.text, "sum(-record.amount)");
  EXPECT_EQ(rule.aggregates[1].first, "debits");
  EXPECT_EQ(rule.condition.text, "total >= $large_day_total");
  ASSERT_EQ(rule.escalate.size(), 1u);
  EXPECT_EQ(rule.escalate[0].level, "red");
  EXPECT_EQ(rule.escalate[0].when.text, "total >= 2 * $large_day_total");
  EXPECT_EQ(rule.message.text, "账户 {record.account} 转出合计 {total}");
  ASSERT_TRUE(rule.dedup.has_value());
  EXPECT_EQ(rule.dedup->text, "{record.account}:{window.day}");
  EXPECT_EQ(rule.group_window_seconds, 2 * 86400);
  EXPECT_EQ(position(rule.where_defined), "pack.yaml:9:3");
  EXPECT_TRUE(doc.warnings.empty());
}

TEST(PackReaderTest, OptionalRuleFieldsHaveTheirDefaults) {
  const RuleDoc rule = read(kMinimalRule).rules.at(0);
  EXPECT_EQ(rule.version, 1);
  EXPECT_TRUE(rule.enabled);
  EXPECT_FALSE(rule.where.has_value());
  EXPECT_TRUE(rule.key.empty());
  EXPECT_EQ(rule.window.kind, WindowKind::None);
  EXPECT_TRUE(rule.aggregates.empty());
  EXPECT_TRUE(rule.escalate.empty());
  EXPECT_FALSE(rule.dedup.has_value());
  EXPECT_EQ(rule.group_window_seconds, 86400);
}

TEST(PackReaderTest, ItemsOfSeveralFilesAccumulate) {
  PackDocument doc;
  read_rules_file(kMinimalRule, "a.yaml", doc);
  read_rules_file(lines({"- list: words", "  items: []"}), "b.yaml", doc);
  EXPECT_EQ(doc.rules.size(), 1u);
  ASSERT_EQ(doc.lists.size(), 1u);
  EXPECT_EQ(doc.lists[0].where.file, "b.yaml");
}

TEST(PackReaderTest, AFileWithAnErrorAddsNothing) {
  PackDocument doc;
  const std::string yaml =
      lines({"- list: words", "  items: [a]"}) + kMinimalRule + "  colour: red\n";
  EXPECT_THROW(read_rules_file(yaml, "pack.yaml", doc), PackError);
  EXPECT_TRUE(doc.lists.empty());
  EXPECT_TRUE(doc.rules.empty());
}

TEST(PackReaderTest, EmptyFileWarns) {
  const PackDocument doc = read("# nothing yet\n");
  EXPECT_TRUE(doc.rules.empty());
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_EQ(doc.warnings[0].to_string(), "pack.yaml:1:1: the file has no items");
}

TEST(PackReaderTest, SourceMayBeAList) {
  const RuleDoc rule = read(lines({"- rule: R-1", "  title: t", "  level: yellow",
                                   "  source: [bank, fee]", "  condition: x", "  message: m"}))
                           .rules.at(0);
  EXPECT_EQ(rule.sources, (std::vector<std::string>{"bank", "fee"}));
}

TEST(PackReaderTest, KeyMayBeASingleExpression) {
  const RuleDoc rule = read(kMinimalRule + "  key: counterparty.key\n").rules.at(0);
  ASSERT_EQ(rule.key.size(), 1u);
  EXPECT_EQ(rule.key[0].text, "counterparty.key");
  EXPECT_EQ(position(rule.key[0].where), "pack.yaml:7:8");
}

TEST(PackReaderTest, ListParameterDefaultIsItsItemsOnePerLine) {
  const ParamDoc param =
      read(lines({"- param: lenders", "  type: list", "  default: [小额贷款, 消费金融]"}))
          .params.at(0);
  EXPECT_EQ(param.default_value.text, "小额贷款\n消费金融");
  EXPECT_EQ(position(param.default_value.where), "pack.yaml:3:12");
}

TEST(PackReaderTest, ReadsEveryWindowForm) {
  const auto window_of = [](const char* window) {
    return read(kMinimalRule + "  window: " + window + "\n  aggregates: {n: count()}\n")
        .rules.at(0)
        .window;
  };
  EXPECT_EQ(window_of("{tumbling: day}").kind, WindowKind::TumblingDay);

  const WindowDoc preceding = window_of("{preceding: 7d}");
  EXPECT_EQ(preceding.kind, WindowKind::Preceding);
  EXPECT_EQ(preceding.seconds, 7 * 86400);
  EXPECT_FALSE(preceding.closed);
  EXPECT_FALSE(preceding.exclude_current);
  EXPECT_EQ(position(preceding.where), "pack.yaml:7:11");

  const WindowDoc closed = window_of("{preceding: 24h, closed: true}");
  EXPECT_EQ(closed.seconds, 24 * 3600);
  EXPECT_TRUE(closed.closed);

  const WindowDoc baseline = window_of("{preceding: 90d, exclude_current: true}");
  EXPECT_EQ(baseline.seconds, 90 * 86400);
  EXPECT_TRUE(baseline.exclude_current);

  const WindowDoc following = window_of("{following: 180d}");
  EXPECT_EQ(following.kind, WindowKind::Following);
  EXPECT_EQ(following.seconds, 180 * 86400);
}

TEST(PackReaderTest, DurationsTakeSecondsMinutesHoursAndDays) {
  const auto group_window = [](const char* text) {
    return read(kMinimalRule + "  group_window: " + text + "\n").rules.at(0).group_window_seconds;
  };
  EXPECT_EQ(group_window("30s"), 30);
  EXPECT_EQ(group_window("15m"), 15 * 60);
  EXPECT_EQ(group_window("72h"), 72 * 3600);
  EXPECT_EQ(group_window("7d"), 7 * 86400);
  EXPECT_EQ(group_window("1d"), 86400);
}

TEST(PackReaderTest, WindowWithoutAggregatesWarns) {
  const PackDocument doc = read(kMinimalRule + "  window: {preceding: 7d}\n");
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_EQ(doc.warnings[0].to_string(),
            "pack.yaml:7:11: in rule 'R-1': the window is unused: the rule has no aggregates");
}

// ---- Positions ----------------------------------------------------------------

TEST(PackReaderTest, PlainScalarStartsAtItsMark) {
  const RuleDoc rule = read(kMinimalRule).rules.at(0);
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:5:14");
  EXPECT_EQ(position(rule.message.where), "pack.yaml:6:12");
}

TEST(PackReaderTest, QuotedScalarStartsAfterItsQuote) {
  const RuleDoc rule = read(lines({"- rule: R-1", "  title: t", "  level: yellow", "  source: bank",
                                   "  condition: \"record.debit\"", "  message: 'm {record.id}'"}))
                           .rules.at(0);
  EXPECT_EQ(rule.condition.text, "record.debit");
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:5:15");
  EXPECT_EQ(position(rule.message.where), "pack.yaml:6:13");
}

TEST(PackReaderTest, ExpressionsInFlowMapsStartAtTheirOwnColumn) {
  const RuleDoc rule =
      read(kMinimalRule + lines({
                              "  escalate:",
                              "    - {level: orange, when: record.amount < -100}",
                              "    - {when: \"record.amount < -1000\", level: red}",
                              "  window: {preceding: 7d}",
                              "  aggregates: {n: count(), s: \"sum(record.amount)\"}",
                          }))
          .rules.at(0);
  EXPECT_EQ(position(rule.escalate.at(0).when.where), "pack.yaml:8:29");
  EXPECT_EQ(position(rule.escalate.at(1).when.where), "pack.yaml:9:15");
  EXPECT_EQ(position(rule.aggregates.at(0).second.where), "pack.yaml:11:19");
  EXPECT_EQ(position(rule.aggregates.at(1).second.where), "pack.yaml:11:32");
}

TEST(PackReaderTest, ColumnsCountCharactersNotBytes) {
  // 现金支取 is 4 characters but 12 bytes: the condition is at character 68.
  const RuleDoc rule = read(
                           "- {rule: R-1, title: 现金支取, level: yellow, source: bank, "
                           "condition: record.debit, message: m}\n")
                           .rules.at(0);
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:1:68");
}

TEST(PackReaderTest, ByteOrderMarkIsNotAColumn) {
  const RuleDoc rule = read("\xEF\xBB\xBF" + kMinimalRule).rules.at(0);
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:5:14");
}

TEST(PackReaderTest, LiteralBlockExpressionStartsOnTheLineAfterTheIndicator) {
  const RuleDoc rule = read(lines({
                                "- rule: R-1",
                                "  title: t",
                                "  level: yellow",
                                "  source: bank",
                                "  condition: |",
                                "    record.debit",
                                "      and record.amount < -100",
                                "  message: m",
                            }))
                           .rules.at(0);
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:6:5");
  // Continuation lines keep their file indentation, so that positions the
  // expression parser computes on them are the file's.
  EXPECT_EQ(rule.condition.text, "record.debit\n      and record.amount < -100\n");
}

TEST(PackReaderTest, FoldedBlockSkipsLeadingBlankLines) {
  const RuleDoc rule = read(lines({
                                "- rule: R-1",
                                "  title: t",
                                "  level: yellow",
                                "  source: bank",
                                "  condition: >-  # folded",
                                "",
                                "      record.debit",
                                "      and record.credit",
                                "  message: m",
                            }))
                           .rules.at(0);
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:7:7");
  EXPECT_EQ(rule.condition.text, "record.debit and record.credit");
}

TEST(PackReaderTest, BlockWithIndentationIndicatorStartsAtItsFirstCharacter) {
  const RuleDoc rule = read(lines({
                                "- rule: R-1",
                                "  title: t",
                                "  level: yellow",
                                "  source: bank",
                                "  condition: |2",
                                "      record.debit",
                                "  message: m",
                            }))
                           .rules.at(0);
  // The block is indented 4 (2 + 2); the text keeps 2 more spaces.
  EXPECT_EQ(rule.condition.text, "  record.debit\n");
  EXPECT_EQ(position(rule.condition.where), "pack.yaml:6:5");
}

TEST(PackReaderTest, LiteralBlockTemplateKeepsItsExactText) {
  const RuleDoc rule = read(lines({
                                "- rule: R-1",
                                "  title: t",
                                "  level: yellow",
                                "  source: bank",
                                "  condition: record.debit",
                                "  message: |",
                                "    第一行 {record.id}",
                                "    第二行",
                            }))
                           .rules.at(0);
  EXPECT_EQ(position(rule.message.where), "pack.yaml:7:5");
  EXPECT_EQ(rule.message.text, "第一行 {record.id}\n第二行\n");
}

// ---- Errors -------------------------------------------------------------------

TEST(PackReaderTest, UnknownKeyIsAnErrorWithASuggestion) {
  EXPECT_EQ(errors_of(kMinimalRule + "  tagz: [a]\n"),
            std::vector<std::string>{
                "pack.yaml:7:3: in rule 'R-1': unknown key 'tagz' (did you mean 'tags'?)"});
}

TEST(PackReaderTest, UnknownKeyFarFromAnyKnownOneHasNoSuggestion) {
  EXPECT_EQ(errors_of(kMinimalRule + "  colour: red\n"),
            std::vector<std::string>{"pack.yaml:7:3: in rule 'R-1': unknown key 'colour'"});
}

TEST(PackReaderTest, DuplicateKeyIsAnError) {
  EXPECT_EQ(errors_of(kMinimalRule + "  level: red\n"),
            std::vector<std::string>{"pack.yaml:7:3: in rule 'R-1': duplicate key 'level'"});
}

TEST(PackReaderTest, MissingRequiredKeysAreEachReported) {
  EXPECT_EQ(errors_of(lines({"- rule: R-1", "  level: yellow"})),
            (std::vector<std::string>{"pack.yaml:1:3: in rule 'R-1': missing 'title'",
                                      "pack.yaml:1:3: in rule 'R-1': missing 'source'",
                                      "pack.yaml:1:3: in rule 'R-1': missing 'condition'",
                                      "pack.yaml:1:3: in rule 'R-1': missing 'message'"}));
}

TEST(PackReaderTest, EnabledMustBeTrueOrFalse) {
  EXPECT_EQ(errors_of(kMinimalRule + "  enabled: yes\n"),
            std::vector<std::string>{
                "pack.yaml:7:12: in rule 'R-1': 'enabled' must be true or false, got 'yes'"});
}

TEST(PackReaderTest, TagsMustBeAList) {
  EXPECT_EQ(
      errors_of(kMinimalRule + "  tags: fund\n"),
      std::vector<std::string>{"pack.yaml:7:9: in rule 'R-1': 'tags' must be a list, got 'fund'"});
}

TEST(PackReaderTest, EmptyConditionIsAnError) {
  EXPECT_EQ(errors_of(lines({"- rule: R-1", "  title: t", "  level: yellow", "  source: bank",
                             "  condition: \"  \"", "  message: m"})),
            std::vector<std::string>{"pack.yaml:5:15: in rule 'R-1': 'condition' is empty"});
}

TEST(PackReaderTest, ConditionWithoutValueIsAnError) {
  EXPECT_EQ(errors_of(lines({"- rule: R-1", "  title: t", "  level: yellow", "  source: bank",
                             "  condition:", "  message: m"})),
            std::vector<std::string>{"pack.yaml:5:3: in rule 'R-1': 'condition' has no value"});
}

TEST(PackReaderTest, BadRuleIdIsAnError) {
  EXPECT_EQ(errors_of(lines({"- rule: \"R 1\"", "  title: t", "  level: yellow", "  source: bank",
                             "  condition: x", "  message: m"})),
            std::vector<std::string>{
                "pack.yaml:1:9: in rule 'R 1': bad rule id 'R 1' (letters, digits, '-', '_' and "
                "'.')"});
}

TEST(PackReaderTest, ListNamesAreIdentifiers) {
  EXPECT_EQ(errors_of(lines({"- list: cash-words", "  items: [a]"})),
            std::vector<std::string>{
                "pack.yaml:1:9: in list 'cash-words': bad name 'cash-words' (a letter or '_', "
                "then letters, digits or '_')"});
}

TEST(PackReaderTest, UnknownParameterTypeIsAnError) {
  EXPECT_EQ(errors_of(lines({"- param: share", "  type: float", "  default: 0.5"})),
            std::vector<std::string>{
                "pack.yaml:2:9: in param 'share': unknown type 'float' (expected money, number, "
                "integer, duration, string or list)"});
}

TEST(PackReaderTest, ScalarParameterDefaultMustNotBeAList) {
  EXPECT_EQ(errors_of(lines({"- param: share", "  type: number", "  default: [1]"})),
            std::vector<std::string>{
                "pack.yaml:3:12: in param 'share': 'default' must be a single value, got a list"});
}

TEST(PackReaderTest, ItemOfNoKnownKindIsAnError) {
  EXPECT_EQ(errors_of(lines({"- rules: R-1", "  title: t"})),
            std::vector<std::string>{
                "pack.yaml:1:3: an item must be a map with one of the keys list, macro, param or "
                "rule"});
}

TEST(PackReaderTest, ItemOfTwoKindsIsAnError) {
  EXPECT_EQ(errors_of(lines({"- list: a", "  macro: b"})),
            std::vector<std::string>{
                "pack.yaml:1:3: an item must have only one of the keys list, macro, param or "
                "rule"});
}

TEST(PackReaderTest, FileMustBeAList) {
  EXPECT_EQ(errors_of("rule: R-1\n"),
            std::vector<std::string>{
                "pack.yaml:1:1: a rules file must be a list of items (- list:, - macro:, - "
                "param:, - rule:)"});
}

TEST(PackReaderTest, YamlSyntaxErrorHasItsPosition) {
  EXPECT_EQ(errors_of(lines({"- rule: R-1", "  title: [a, b", "  level: yellow"})),
            std::vector<std::string>{"pack.yaml:3:8: YAML syntax error: end of sequence flow "
                                     "not found"});
}

TEST(PackReaderTest, EscalationMustBeAboveTheRuleLevel) {
  EXPECT_EQ(errors_of(kMinimalRule + "  escalate: [{level: blue, when: record.credit}]\n"),
            std::vector<std::string>{
                "pack.yaml:7:34: in rule 'R-1': escalation level 'blue' is not above the rule's "
                "level 'yellow'"});
}

TEST(PackReaderTest, EscalationLevelGivenTwiceIsAnError) {
  EXPECT_EQ(errors_of(kMinimalRule + lines({"  escalate:", "    - {level: red, when: a}",
                                            "    - {level: red, when: b}"})),
            std::vector<std::string>{
                "pack.yaml:9:26: in rule 'R-1': escalation level 'red' is given twice"});
}

TEST(PackReaderTest, EscalationWithUnknownKeyIsAnError) {
  EXPECT_EQ(errors_of(kMinimalRule + "  escalate: [{level: red, if: a}]\n"),
            (std::vector<std::string>{"pack.yaml:7:14: in rule 'R-1': missing 'when'",
                                      "pack.yaml:7:27: in rule 'R-1': unknown key 'if'"}));
}

TEST(PackReaderTest, ClosedAppliesToPrecedingWindowsOnly) {
  EXPECT_EQ(errors_of(kMinimalRule +
                      "  window: {following: 7d, closed: true}\n  aggregates: {n: count()}\n"),
            std::vector<std::string>{
                "pack.yaml:7:27: in rule 'R-1': 'closed' applies to preceding windows only"});
}

TEST(PackReaderTest, WindowWithTwoKindsIsAnError) {
  EXPECT_EQ(errors_of(kMinimalRule +
                      "  window: {preceding: 7d, following: 7d}\n  aggregates: {n: count()}\n"),
            std::vector<std::string>{
                "pack.yaml:7:27: in rule 'R-1': a window has one kind, got both 'preceding' and "
                "'following'"});
}

TEST(PackReaderTest, ZeroDurationIsAnError) {
  EXPECT_EQ(errors_of(kMinimalRule + "  group_window: 0d\n"),
            std::vector<std::string>{
                "pack.yaml:7:17: in rule 'R-1': bad duration '0d' for 'group_window' (expected a "
                "whole number followed by s, m, h or d, e.g. 30s, 15m, 72h, 7d)"});
}

TEST(PackReaderTest, ErrorsOfSeveralItemsAreAllReportedInFileOrder) {
  EXPECT_EQ(errors_of(lines({
                "- rule: A",
                "  title: t",
                "  level: yellow",
                "  source: bank",
                "  condition: x",
                "  mesage: m",
                "- list: words",
                "  items: {a: 1}",
            })),
            (std::vector<std::string>{
                "pack.yaml:1:3: in rule 'A': missing 'message'",
                "pack.yaml:6:3: in rule 'A': unknown key 'mesage' (did you mean 'message'?)",
                "pack.yaml:8:10: in list 'words': 'items' must be a list, got a map"}));
}

// ---- Levels and kinds ---------------------------------------------------------

TEST(PackReaderTest, LevelsRoundTripThroughText) {
  for (Level level : {Level::Blue, Level::Yellow, Level::Orange, Level::Red}) {
    EXPECT_EQ(level_from_string(to_string(level)), level);
  }
  EXPECT_EQ(level_from_string("Red"), std::nullopt);
  EXPECT_EQ(level_from_string(""), std::nullopt);
  EXPECT_STREQ(to_string(FactKind::Bank), "bank");
  EXPECT_STREQ(to_string(FactKind::Fee), "fee");
  EXPECT_STREQ(to_string(FactKind::Balance), "balance");
}

// ---- Tests files --------------------------------------------------------------

PackDocument read_tests(const std::string& yaml) {
  PackDocument doc;
  read_tests_file(yaml, "tests/fund.yaml", doc);
  return doc;
}

std::vector<std::string> test_errors_of(const std::string& yaml) {
  try {
    read_tests(yaml);
  } catch (const PackError& error) {
    return texts_of(error);
  }
  return {};
}

TEST(TestsReaderTest, ReadsACase) {
  const PackDocument doc = read_tests(lines({
      "- test: FUND-LARGE fires at exactly 2,000,000.00",
      "  registry: schools.yaml",
      "  bank:",
      "    - {txn_id: T1, account: \"4305\", booked_at: 2024-10-08, amount: \"-2000000.00\"}",
      "    - {txn_id: T2, account: \"4305\", booked_at: 2024-10-08, amount: \"-1.00\", purpose: ~}",
      "  fees: []",
      "  balances:",
      "    - {account: \"4305\", date: 2024-10-07, amount: \"5000000.00\"}",
      "  parameters: {large_day_total: \"100.00\", lenders: [a, b]}",
      "  expect:",
      "    - {rule: FUND-LARGE, school: CS-0001, level: orange, evidence: [T1, T2]}",
      "    - {rule: FUND-LARGE, school: CS-0002}",
      "  rules: [FUND-LARGE, FUND-CASH]",
  }));
  ASSERT_EQ(doc.tests.size(), 1u);
  const TestCaseDoc& test = doc.tests[0];
  EXPECT_EQ(test.name, "FUND-LARGE fires at exactly 2,000,000.00");
  EXPECT_EQ(test.registry_file, "schools.yaml");
  EXPECT_TRUE(test.registry_yaml.empty());
  ASSERT_EQ(test.bank.size(), 2u);
  EXPECT_EQ(test.bank[0].at("txn_id"), "T1");
  EXPECT_EQ(test.bank[0].at("booked_at"), "2024-10-08");
  EXPECT_EQ(test.bank[0].at("amount"), "-2000000.00");
  EXPECT_EQ(test.bank[1].at("purpose"), "");
  EXPECT_TRUE(test.fees.empty());
  ASSERT_EQ(test.balances.size(), 1u);
  EXPECT_EQ(test.balances[0].at("amount"), "5000000.00");
  EXPECT_EQ(test.parameters.at("large_day_total"), "100.00");
  EXPECT_EQ(test.parameters.at("lenders"), "a\nb");
  ASSERT_EQ(test.expect.size(), 2u);
  EXPECT_EQ(test.expect[0].rule, "FUND-LARGE");
  EXPECT_EQ(test.expect[0].school, "CS-0001");
  EXPECT_EQ(test.expect[0].level, "orange");
  EXPECT_EQ(test.expect[0].evidence, (std::vector<std::string>{"T1", "T2"}));
  EXPECT_EQ(test.expect[1].level, std::nullopt);
  EXPECT_TRUE(test.expect[1].evidence.empty());
  EXPECT_EQ(test.rules, (std::vector<std::string>{"FUND-LARGE", "FUND-CASH"}));
  EXPECT_EQ(position(test.where), "tests/fund.yaml:1:3");
}

TEST(TestsReaderTest, InlineSchoolsAreReEmittedKeepingQuotes) {
  const PackDocument doc = read_tests(lines({
      "- test: inline registry",
      "  schools:",
      "    - id: CS-0001",
      "      nonprofit: true",
      "      min_balance: \"2000000.00\"",
      "      accounts:",
      "        - {number: \"4305\", role: supervised}",
      "  expect: []",
      "  rules: [FUND-MINBAL]",
  }));
  const std::string& registry = doc.tests.at(0).registry_yaml;
  // Quoted text stays text and plain values stay plain for the registry
  // loader, which tells them apart.
  EXPECT_NE(registry.find("schools:"), std::string::npos);
  EXPECT_NE(registry.find("nonprofit: true"), std::string::npos);
  EXPECT_NE(registry.find("min_balance: \"2000000.00\""), std::string::npos);
  EXPECT_NE(registry.find("number: \"4305\""), std::string::npos);
  EXPECT_FALSE(doc.tests[0].registry_file.has_value());
}

TEST(TestsReaderTest, NearMissMustNameItsRules) {
  EXPECT_EQ(test_errors_of(lines({"- test: quiet", "  registry: s.yaml", "  expect: []"})),
            std::vector<std::string>{
                "tests/fund.yaml:1:3: in test 'quiet': a near miss (expect: []) must name the "
                "rules it judges in 'rules'"});
}

TEST(TestsReaderTest, RegistryIsEitherAFileOrInline) {
  EXPECT_EQ(test_errors_of(lines({"- test: both", "  registry: s.yaml", "  schools: []",
                                  "  expect: [{rule: R, school: S}]"})),
            std::vector<std::string>{
                "tests/fund.yaml:1:3: in test 'both': a test needs either 'registry: file' or an "
                "inline 'schools:' list"});
}

TEST(TestsReaderTest, UnknownKeysAndBadExpectationsAreErrors) {
  EXPECT_EQ(test_errors_of(lines({
                "- test: typo",
                "  registry: s.yaml",
                "  banks: []",
                "  expect:",
                "    - {rule: R, school: S, level: scarlet}",
                "    - {rule: R}",
            })),
            (std::vector<std::string>{
                "tests/fund.yaml:3:3: in test 'typo': unknown key 'banks' (did you mean 'bank'?)",
                "tests/fund.yaml:5:35: in test 'typo': unknown level 'scarlet' (expected blue, "
                "yellow, orange or red)",
                "tests/fund.yaml:6:7: in test 'typo': missing 'school'"}));
}

TEST(TestsReaderTest, RowValuesMustBeScalars) {
  EXPECT_EQ(test_errors_of(lines({"- test: nested", "  registry: s.yaml",
                                  "  bank: [{txn_id: [T1]}]", "  expect: [{rule: R, school: S}]"})),
            std::vector<std::string>{
                "tests/fund.yaml:3:19: in test 'nested': 'txn_id' must be a single value, got a "
                "list"});
}

TEST(TestsReaderTest, ItemWithoutTestKeyIsAnError) {
  EXPECT_EQ(test_errors_of(lines({"- rule: R-1"})),
            std::vector<std::string>{
                "tests/fund.yaml:1:3: a test case must be a map starting with 'test:'"});
}

}  // namespace
}  // namespace sfmon::rules::pack_reader_test
