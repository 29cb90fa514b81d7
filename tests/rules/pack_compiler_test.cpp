// The pack compiler (lists, macros, parameters and overrides resolved, every
// expression type-checked) and the file-system front end load_pack().

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::pack_compiler_test {
namespace {

std::string lines(std::initializer_list<const char*> text) {
  std::string joined;
  for (const char* line : text) joined += std::string(line) + "\n";
  return joined;
}

// One rule with the given source and condition, plus extra keys.
std::string rule(const char* id, const char* source, const char* condition,
                 const std::string& extra = {}) {
  return std::string("- rule: ") + id + "\n  title: t\n  level: yellow\n  source: " + source +
         "\n  condition: " + condition + "\n  message: m\n" + extra;
}

using Overrides = std::map<std::string, std::string>;

std::unique_ptr<CompiledPack> compile(const std::string& yaml, const Overrides& overrides = {}) {
  PackDocument doc;
  read_rules_file(yaml, "pack.yaml", doc);
  return compile_pack(doc, overrides);
}

std::vector<std::string> texts_of(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> texts;
  texts.reserve(diagnostics.size());
  for (const Diagnostic& diagnostic : diagnostics) texts.push_back(diagnostic.to_string());
  return texts;
}

std::vector<std::string> errors_of(const PackDocument& doc, const Overrides& overrides = {}) {
  try {
    compile_pack(doc, overrides);
  } catch (const PackError& error) {
    return texts_of(error.errors());
  }
  return {};
}

std::vector<std::string> errors_of(const std::string& yaml, const Overrides& overrides = {}) {
  PackDocument doc;
  read_rules_file(yaml, "pack.yaml", doc);
  return errors_of(doc, overrides);
}

const CompiledRule& find_rule(const CompiledPack& pack, const std::string& id) {
  for (const CompiledRule& compiled : pack.rules) {
    if (compiled.id == id) return compiled;
  }
  throw std::out_of_range("no rule " + id);
}

// Answers fields from a map; aggregates and parameters by slot.
class FakeContext : public EvalContext {
 public:
  std::map<FieldId, Value> fields;
  std::vector<Value> aggregates;
  std::vector<Value> params;

  Value field(FieldId id) const override {
    const auto found = fields.find(id);
    return found == fields.end() ? Value::null() : found->second;
  }
  Value aggregate(int slot) const override { return aggregates.at(static_cast<std::size_t>(slot)); }
  Value param(int slot) const override { return params.at(static_cast<std::size_t>(slot)); }
  Value closing_balance(std::int64_t) const override { return Value::null(); }
};

// ---- Lists, macros, parameters -------------------------------------------------

TEST(PackCompilerTest, ListsAreResolvedByName) {
  const auto pack = compile(lines({"- list: cash_words", "  items: [现金, 取现, ATM]"}) +
                            rule("FUND-CASH", "bank", "record.purpose contains_any cash_words"));
  EXPECT_EQ(pack->lists.at("cash_words"), (std::vector<std::string>{"现金", "取现", "ATM"}));
  FakeContext context;
  context.fields[FieldId::RecordPurpose] = Value::string("ATM取现");
  EXPECT_TRUE(find_rule(*pack, "FUND-CASH").condition->eval(context).truthy());
  context.fields[FieldId::RecordPurpose] = Value::string("工资");
  EXPECT_FALSE(find_rule(*pack, "FUND-CASH").condition->eval(context).truthy());
}

TEST(PackCompilerTest, MacrosAreParsedAndInlined) {
  const auto pack = compile(lines({"- macro: is_debit", "  condition: record.debit"}) +
                            rule("R-1", "bank", "is_debit"));
  const ExprNode& macro = pack->macros.at("is_debit");
  EXPECT_EQ(macro.op, ExprOp::Field);
  EXPECT_EQ(macro.name, "record.debit");
  EXPECT_EQ(macro.where.line, 2);
  EXPECT_EQ(macro.where.column, 14);
  FakeContext context;
  context.fields[FieldId::RecordDebit] = Value::boolean(true);
  EXPECT_TRUE(find_rule(*pack, "R-1").condition->eval(context).truthy());
}

TEST(PackCompilerTest, ParameterDefaultsAreParsedExactlyForTheirType) {
  const auto pack = compile(lines({
                                "- {param: large, type: money, default: \"2000000.01\"}",
                                "- {param: share, type: number, default: 0.8}",
                                "- {param: count, type: integer, default: 30}",
                                "- {param: span, type: duration, default: 72h}",
                                "- {param: word, type: string, default: 工资}",
                                "- {param: lenders, type: list, default: [小额贷款, 分期]}",
                            }) +
                            rule("R-1", "bank",
                                 "-record.amount >= $large and $share > 0 and $count > 0 and "
                                 "$span > 1h and record.purpose contains $word and "
                                 "counterparty.name contains_any $lenders"));
  const auto value = [&](const char* name) {
    return pack->param_values.at(static_cast<std::size_t>(pack->param_symbols.at(name).slot));
  };
  EXPECT_EQ(value("large").type, ValueType::Money);
  EXPECT_EQ(value("large").i, 200000001);
  EXPECT_EQ(value("share").type, ValueType::Number);
  EXPECT_DOUBLE_EQ(value("share").number, 0.8);
  EXPECT_EQ(value("count").type, ValueType::Integer);
  EXPECT_EQ(value("count").i, 30);
  EXPECT_EQ(value("span").type, ValueType::Duration);
  EXPECT_EQ(value("span").i, 72 * 3600);
  EXPECT_EQ(value("word").type, ValueType::String);
  EXPECT_EQ(value("word").text, "工资");
  ASSERT_EQ(value("lenders").type, ValueType::List);
  ASSERT_NE(value("lenders").list, nullptr);
  EXPECT_EQ(*value("lenders").list, (std::vector<std::string>{"小额贷款", "分期"}));
  EXPECT_EQ(pack->param_texts.at(0), "2000000.01");
  EXPECT_TRUE(pack->warnings.empty());
}

TEST(PackCompilerTest, OverridesReplaceDefaults) {
  const auto pack = compile(lines({"- {param: large, type: money, default: \"2000000.00\"}",
                                   "- {param: lenders, type: list, default: []}"}) +
                                rule("R-1", "bank",
                                     "-record.amount >= $large and counterparty.name "
                                     "contains_any $lenders"),
                            {{"large", "100.50"}, {"lenders", "花呗\n借呗"}});
  const int large = pack->param_symbols.at("large").slot;
  EXPECT_EQ(pack->param_values.at(static_cast<std::size_t>(large)).i, 10050);
  EXPECT_EQ(pack->param_texts.at(static_cast<std::size_t>(large)), "100.50");
  const int lenders = pack->param_symbols.at("lenders").slot;
  EXPECT_EQ(*pack->param_values.at(static_cast<std::size_t>(lenders)).list,
            (std::vector<std::string>{"花呗", "借呗"}));
}

TEST(PackCompilerTest, UnknownOverrideIsAnError) {
  EXPECT_EQ(errors_of(rule("R-1", "bank", "record.debit"), {{"large_totl", "1.00"}}),
            std::vector<std::string>{"unknown parameter 'large_totl' in config overrides"});
}

TEST(PackCompilerTest, OverrideOfTheWrongTypeIsAnError) {
  EXPECT_EQ(errors_of(lines({"- {param: count, type: integer, default: 3}"}) +
                          rule("R-1", "bank", "$count > 1"),
                      {{"count", "3.5"}}),
            std::vector<std::string>{
                "pack.yaml:1:3: in param 'count': bad integer value '3.5' in config overrides "
                "(not a whole number)"});
}

TEST(PackCompilerTest, BadDefaultsAreErrorsForEveryType) {
  EXPECT_EQ(errors_of(lines({"- {param: a, type: money, default: \"1.005\"}",
                             "- {param: b, type: number, default: 'eighty'}",
                             "- {param: c, type: integer, default: 3.5}",
                             "- {param: d, type: duration, default: 3 days}"}) +
                      rule("R-1", "bank", "$a > 0 and $b > 0 and $c > 0 and $d > 1s")),
            (std::vector<std::string>{
                "pack.yaml:1:37: in param 'a': bad money default '1.005' (more than two "
                "decimals (not an exact amount in fen))",
                "pack.yaml:2:38: in param 'b': bad number default 'eighty' (not a number, e.g. "
                "0.8)",
                "pack.yaml:3:38: in param 'c': bad integer default '3.5' (not a whole number)",
                "pack.yaml:4:39: in param 'd': bad duration default '3 days' (expected a whole "
                "number followed by s, m, h or d, e.g. 30s, 15m, 72h, 7d)"}));
}

TEST(PackCompilerTest, DuplicateNamesAreErrors) {
  EXPECT_EQ(errors_of(lines({"- {list: words, items: [a]}", "- {macro: words, condition: true}",
                             "- {param: p, type: integer, default: 1}",
                             "- {param: p, type: integer, default: 2}"}) +
                      rule("R-1", "bank", "record.purpose in words and $p > 0")),
            (std::vector<std::string>{
                "pack.yaml:2:3: duplicate name 'words' (first defined at pack.yaml:1:3)",
                "pack.yaml:4:3: duplicate param 'p' (first defined at pack.yaml:3:3)"}));
}

TEST(PackCompilerTest, UnusedListsMacrosAndParamsWarn) {
  const auto pack =
      compile(lines({"- {list: used_words, items: [a]}", "- {list: spare_words, items: [b]}",
                     "- {macro: outer, condition: inner}",
                     "- {macro: inner, condition: record.purpose in used_words}",
                     "- {macro: spare, condition: record.debit}",
                     "- {param: used, type: integer, default: 1}",
                     "- {param: spare_param, type: integer, default: 1}"}) +
              rule("R-1", "bank", "outer and $used > 0"));
  EXPECT_EQ(texts_of(pack->warnings),
            (std::vector<std::string>{"pack.yaml:2:3: list 'spare_words' is never used",
                                      "pack.yaml:5:3: macro 'spare' is never used",
                                      "pack.yaml:7:3: param 'spare_param' is never used"}));
}

// ---- Rules ----------------------------------------------------------------------

TEST(PackCompilerTest, RuleFieldsAreCarriedOver) {
  const auto pack = compile(lines({
      "- rule: FUND-LARGE",
      "  title: 单日大额资金转出",
      "  version: 3",
      "  level: orange",
      "  regulation: PBOC",
      "  tags: [fund]",
      "  source: [bank, balance]",
      "  condition: true",
      "  message: m",
      "  group_window: 3d",
  }));
  const CompiledRule& compiled = find_rule(*pack, "FUND-LARGE");
  EXPECT_EQ(compiled.title, "单日大额资金转出");
  EXPECT_EQ(compiled.version, 3);
  EXPECT_EQ(compiled.level, Level::Orange);
  EXPECT_TRUE(compiled.enabled);
  EXPECT_EQ(compiled.regulation, "PBOC");
  EXPECT_EQ(compiled.tags, std::vector<std::string>{"fund"});
  EXPECT_EQ(compiled.sources, kBankFacts | kBalanceFacts);
  EXPECT_EQ(compiled.where, nullptr);
  EXPECT_TRUE(compiled.key.empty());
  EXPECT_EQ(compiled.group_window_seconds, 3 * 86400);
  EXPECT_EQ(compiled.where_defined.line, 1);
}

TEST(PackCompilerTest, AggregatesGetSlotsAndTypes) {
  const auto pack = compile(rule(
      "R-1", "bank", "total >= 100.00 and n >= 3 and avg > 0",
      lines({"  window: {preceding: 7d}",
             "  aggregates:", "    total: sum(-record.amount) where record.debit", "    n: count()",
             "    avg: mean(school.enrollment)", "    people: distinct(counterparty.key)"})));
  const CompiledRule& compiled = find_rule(*pack, "R-1");
  ASSERT_EQ(compiled.aggregates.size(), 4u);
  EXPECT_EQ(compiled.aggregates[0].name, "total");
  EXPECT_EQ(compiled.aggregates[0].func, AggregateFunc::Sum);
  EXPECT_EQ(compiled.aggregates[0].type, ValueType::Money);
  EXPECT_NE(compiled.aggregates[0].argument, nullptr);
  EXPECT_NE(compiled.aggregates[0].filter, nullptr);
  EXPECT_EQ(compiled.aggregates[1].type, ValueType::Integer);
  EXPECT_EQ(compiled.aggregates[1].argument, nullptr);
  EXPECT_EQ(compiled.aggregates[1].filter, nullptr);
  EXPECT_EQ(compiled.aggregates[2].type, ValueType::Number);
  EXPECT_EQ(compiled.aggregates[3].type, ValueType::Integer);

  FakeContext context;
  context.aggregates = {Value::money(10000), Value::integer(3), Value::real(1.5),
                        Value::integer(1)};
  EXPECT_TRUE(compiled.condition->eval(context).truthy());
  context.aggregates[0] = Value::money(9999);
  EXPECT_FALSE(compiled.condition->eval(context).truthy());
}

TEST(PackCompilerTest, AggregateOfTheWrongTypeIsAnError) {
  EXPECT_EQ(errors_of(rule("R-1", "bank", "total > 0",
                           lines({"  window: {preceding: 7d}",
                                  "  aggregates: {total: sum(record.purpose)}"}))),
            std::vector<std::string>{
                "pack.yaml:8:27: in rule 'R-1': aggregate 'total': sum() cannot take string"});
}

TEST(PackCompilerTest, AggregateInWhereIsAnError) {
  EXPECT_EQ(errors_of(rule("R-1", "bank", "n > 1",
                           lines({"  where: n > 0", "  window: {preceding: 7d}",
                                  "  aggregates: {n: count()}"}))),
            std::vector<std::string>{
                "pack.yaml:7:10: in rule 'R-1': aggregate 'n' cannot be used in 'where': "
                "aggregates are computed over the window's records"});
}

TEST(PackCompilerTest, AggregateNamedLikeAListIsAnError) {
  EXPECT_EQ(errors_of(lines({"- {list: n, items: [a]}"}) +
                      rule("R-1", "bank", "record.purpose in n",
                           lines({"  window: {preceding: 7d}", "  aggregates: {n: count()}"}))),
            std::vector<std::string>{
                "pack.yaml:9:19: in rule 'R-1': aggregate 'n' has the name of a list"});
}

TEST(PackCompilerTest, EscalationsAreSortedHighestFirst) {
  const auto pack = compile(rule("R-1", "bank", "record.debit",
                                 lines({"  escalate:", "    - {level: orange, when: record.debit}",
                                        "    - {level: red, when: record.credit}"})));
  const CompiledRule& compiled = find_rule(*pack, "R-1");
  ASSERT_EQ(compiled.escalate.size(), 2u);
  EXPECT_EQ(compiled.escalate[0].level, Level::Red);
  EXPECT_EQ(compiled.escalate[1].level, Level::Orange);
  FakeContext context;
  context.fields[FieldId::RecordCredit] = Value::boolean(true);
  context.fields[FieldId::RecordDebit] = Value::boolean(false);
  EXPECT_TRUE(compiled.escalate[0].when->eval(context).truthy());
  EXPECT_FALSE(compiled.escalate[1].when->eval(context).truthy());
}

TEST(PackCompilerTest, EscalationMustBeACondition) {
  EXPECT_EQ(errors_of(rule("R-1", "bank", "record.debit",
                           "  escalate: [{level: red, when: record.amount}]\n")),
            std::vector<std::string>{"pack.yaml:7:33: in rule 'R-1': expected bool, got money"});
}

TEST(PackCompilerTest, ConditionMustBeACondition) {
  EXPECT_EQ(errors_of(rule("R-1", "bank", "record.amount")),
            std::vector<std::string>{"pack.yaml:5:14: in rule 'R-1': expected bool, got money"});
}

TEST(PackCompilerTest, MessageRendersItsHoles) {
  const auto pack =
      compile(lines({"- rule: R-1", "  title: t", "  level: yellow", "  source: bank",
                     "  condition: record.debit",
                     "  message: \"账户 {record.account} 付款给 {counterparty.name}\""}));
  FakeContext context;
  context.fields[FieldId::RecordAccount] = Value::string("4305");
  context.fields[FieldId::CounterpartyName] = Value::string("张三");
  EXPECT_EQ(find_rule(*pack, "R-1").message.render(context), "账户 4305 付款给 张三");
}

TEST(PackCompilerTest, DefaultDedupIsTheKeyJoinedWithColons) {
  const auto pack =
      compile(rule("R-1", "bank", "record.debit", "  key: [record.account, counterparty.key]\n"));
  FakeContext context;
  context.fields[FieldId::RecordAccount] = Value::string("4305");
  context.fields[FieldId::CounterpartyKey] = Value::string("acme");
  const CompiledRule& compiled = find_rule(*pack, "R-1");
  EXPECT_EQ(compiled.key.size(), 2u);
  EXPECT_EQ(compiled.dedup.render(context), "4305:acme");
}

TEST(PackCompilerTest, AKeyOfTheSchoolAloneIsMarked) {
  const auto pack =
      compile(rule("R-NONE", "bank", "record.debit") +
              rule("R-SCHOOL", "bank", "record.debit", "  key: [school.id]\n") +
              rule("R-ACCOUNT", "bank", "record.debit", "  key: [record.account]\n") +
              rule("R-BOTH", "bank", "record.debit", "  key: [school.id, record.account]\n") +
              rule("R-NAME", "bank", "record.debit", "  key: [school.name]\n"));
  EXPECT_TRUE(find_rule(*pack, "R-NONE").key_is_school);
  EXPECT_TRUE(find_rule(*pack, "R-SCHOOL").key_is_school);
  EXPECT_FALSE(find_rule(*pack, "R-ACCOUNT").key_is_school);
  EXPECT_FALSE(find_rule(*pack, "R-BOTH").key_is_school);
  EXPECT_FALSE(find_rule(*pack, "R-NAME").key_is_school) << "one per school too, but not marked";
}

TEST(PackCompilerTest, DefaultDedupWithoutKeyIsTheSchool) {
  const auto pack = compile(rule("R-1", "fee", "fee.refund"));
  FakeContext context;
  context.fields[FieldId::SchoolId] = Value::string("CS-0001");
  EXPECT_EQ(find_rule(*pack, "R-1").dedup.render(context), "CS-0001");
}

TEST(PackCompilerTest, DedupTemplateIsCompiledWithAggregates) {
  const auto pack = compile(rule("R-1", "bank", "n > 1",
                                 lines({"  window: {preceding: 7d}", "  aggregates: {n: count()}",
                                        "  dedup: \"{record.account}/{n}\""})));
  FakeContext context;
  context.fields[FieldId::RecordAccount] = Value::string("4305");
  context.aggregates = {Value::integer(4)};
  EXPECT_EQ(find_rule(*pack, "R-1").dedup.render(context), "4305/4");
}

TEST(PackCompilerTest, FieldsOfOtherSourcesAreErrors) {
  EXPECT_EQ(errors_of(rule("R-1", "fee", "record.purpose contains 'x'")),
            std::vector<std::string>{
                "pack.yaml:5:14: in rule 'R-1': field 'record.purpose' is not available on fee "
                "records"});
}

TEST(PackCompilerTest, DisabledRulesAreCompiledAndKept) {
  const auto pack = compile(rule("R-1", "bank", "record.debit", "  enabled: false\n"));
  EXPECT_FALSE(find_rule(*pack, "R-1").enabled);
  EXPECT_NE(find_rule(*pack, "R-1").condition, nullptr);
  EXPECT_EQ(errors_of(rule("R-1", "bank", "record.debitt", "  enabled: false\n")).size(), 1u);
}

TEST(PackCompilerTest, DuplicateRuleAcrossFilesPointsAtTheSecond) {
  PackDocument doc;
  read_rules_file(rule("R-1", "bank", "record.debit"), "a.yaml", doc);
  read_rules_file(lines({"# second file"}) + rule("R-1", "bank", "record.credit"), "b.yaml", doc);
  EXPECT_EQ(errors_of(doc),
            std::vector<std::string>{"b.yaml:2:3: duplicate rule id 'R-1' (first defined at "
                                     "a.yaml:1:3)"});
}

TEST(PackCompilerTest, EveryErrorOfEveryFileIsCollected) {
  PackDocument doc;
  read_rules_file(rule("R-1", "bank", "record.amout < 0") + rule("R-2", "bank", "record.amount"),
                  "a.yaml", doc);
  read_rules_file(rule("R-3", "bank", "$nope > 1"), "b.yaml", doc);
  EXPECT_EQ(errors_of(doc),
            (std::vector<std::string>{
                "a.yaml:5:14: in rule 'R-1': unknown field 'record.amout' (did you mean "
                "'record.amount'?)",
                "a.yaml:11:14: in rule 'R-2': expected bool, got money",
                "b.yaml:5:14: in rule 'R-3': unknown parameter '$nope'"}));
}

TEST(PackCompilerTest, MacroErrorIsReportedOnceForAllItsUsers) {
  EXPECT_EQ(errors_of(lines({"- macro: is_cash", "  condition: record.purpse contains '现金'"}) +
                      rule("R-1", "bank", "is_cash") + rule("R-2", "bank", "not is_cash")),
            std::vector<std::string>{
                "pack.yaml:2:14: in macro 'is_cash': unknown field 'record.purpse' (did you "
                "mean 'record.purpose'?)"});
}

TEST(PackCompilerTest, MacroMustBeACondition) {
  EXPECT_EQ(errors_of(lines({"- macro: amount", "  condition: record.amount"}) +
                      rule("R-1", "bank", "record.debit")),
            std::vector<std::string>{
                "pack.yaml:2:14: in macro 'amount': a macro must be a condition (bool), got "
                "money"});
}

// ---- Test cases -------------------------------------------------------------------

TEST(PackCompilerTest, TestCasesAreCheckedAgainstThePack) {
  PackDocument doc;
  read_rules_file(lines({"- {param: large, type: money, default: \"1.00\"}"}) +
                      rule("R-1", "bank", "-record.amount >= $large"),
                  "pack.yaml", doc);
  read_tests_file(lines({"- test: case", "  registry: schools.yaml",
                         "  parameters: {large: lots, small: \"1.00\"}",
                         "  expect: [{rule: R-2, school: S}]", "  rules: [R-1]"}),
                  "tests/a.yaml", doc);
  EXPECT_EQ(errors_of(doc),
            (std::vector<std::string>{
                "tests/a.yaml:1:3: in test 'case': unknown rule 'R-2'",
                "tests/a.yaml:1:3: in test 'case': bad money value 'lots' for parameter 'large' "
                "(not a decimal amount)",
                "tests/a.yaml:1:3: in test 'case': unknown parameter 'small'"}));
}

TEST(PackCompilerTest, TestCasesAreKept) {
  PackDocument doc;
  read_rules_file(rule("R-1", "bank", "record.debit"), "pack.yaml", doc);
  read_tests_file(
      lines({"- test: case", "  registry: schools.yaml", "  expect: [{rule: R-1, school: S}]"}),
      "tests/a.yaml", doc);
  const auto pack = compile_pack(doc, {});
  ASSERT_EQ(pack->tests.size(), 1u);
  EXPECT_EQ(pack->tests[0].name, "case");
}

TEST(PackCompilerTest, PackCompiledFromADocumentHasNoDigest) {
  EXPECT_TRUE(compile(rule("R-1", "bank", "record.debit"))->source_digest.empty());
}

// ---- load_pack ----------------------------------------------------------------------

class PackLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = std::filesystem::temp_directory_path() /
              ("sfmon_pack_loader_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::filesystem::path path = folder_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::string folder() const { return folder_.string(); }

  std::filesystem::path folder_;
};

TEST_F(PackLoaderTest, ReadsAFolderInNameOrderWithItsTests) {
  write("b.yaml", rule("R-B", "bank", "record.debit"));
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("notes.txt", "not yaml: [");
  write("tests/cases.yaml",
        lines({"- test: case", "  registry: s.yaml", "  expect: [{rule: R-A, school: S}]"}));
  const auto pack = load_pack({folder()}, {}, PackParts::RulesAndTests);
  ASSERT_EQ(pack->rules.size(), 2u);
  EXPECT_EQ(pack->rules[0].id, "R-A");
  EXPECT_EQ(pack->rules[1].id, "R-B");
  EXPECT_EQ(pack->rules[0].where_defined.file, folder() + "/a.yaml");
  ASSERT_EQ(pack->tests.size(), 1u);
  EXPECT_EQ(pack->tests[0].where.file, folder() + "/tests/cases.yaml");
}

TEST_F(PackLoaderTest, ReadsASingleFile) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  const std::string file = write("extra.yaml", rule("R-X", "bank", "record.credit"));
  const auto pack = load_pack({file}, {});
  ASSERT_EQ(pack->rules.size(), 1u);
  EXPECT_EQ(pack->rules[0].id, "R-X");
}

TEST_F(PackLoaderTest, AppliesOverrides) {
  write("a.yaml",
        lines({"- {param: n, type: integer, default: 1}"}) + rule("R-A", "bank", "$n > 0"));
  const auto pack = load_pack({folder()}, {{"n", "7"}});
  EXPECT_EQ(pack->param_values.at(0).i, 7);
}

TEST_F(PackLoaderTest, CollectsTheErrorsOfEveryFile) {
  write("a.yaml", rule("R-A", "bank", "record.debit", "  colour: red\n"));
  write("b.yaml", rule("R-B", "bank", "record.debit", "  level: red\n"));
  try {
    load_pack({folder()}, {});
    FAIL() << "expected a PackError";
  } catch (const PackError& error) {
    EXPECT_EQ(
        texts_of(error.errors()),
        (std::vector<std::string>{folder() + "/a.yaml:7:3: in rule 'R-A': unknown key 'colour'",
                                  folder() + "/b.yaml:7:3: in rule 'R-B': duplicate key 'level'"}));
  }
}

TEST_F(PackLoaderTest, MissingPathIsAnErrorNamingIt) {
  const std::string missing = folder() + "/nowhere";
  try {
    load_pack({missing}, {});
    FAIL() << "expected a PackError";
  } catch (const PackError& error) {
    EXPECT_EQ(texts_of(error.errors()),
              std::vector<std::string>{missing + ": no such rule file or folder"});
  }
}

TEST_F(PackLoaderTest, FolderWithoutRulesIsAnError) {
  write("readme.txt", "rules go here");
  try {
    load_pack({folder()}, {});
    FAIL() << "expected a PackError";
  } catch (const PackError& error) {
    EXPECT_EQ(texts_of(error.errors()),
              std::vector<std::string>{folder() + ": no rule files (*.yaml) in the folder"});
  }
}

TEST_F(PackLoaderTest, NoPathsIsAnError) {
  EXPECT_THROW(load_pack({}, {}), PackError);
}

// ---- Judging loads no tests ---------------------------------------------------------

// Two structural errors on lines 3 and 5; the rule it names exists.
const char* const kBrokenTests =
    "- test: typo\n"
    "  registry: s.yaml\n"
    "  banks: []\n"
    "  expect:\n"
    "    - {rule: R-A, school: S, level: scarlet}\n";

TEST_F(PackLoaderTest, JudgingLoadReadsNoTestsSoABrokenTestsFileDoesNotStopIt) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("tests/cases.yaml", kBrokenTests);
  write("tests/unknown_rule.yaml",
        lines({"- test: case", "  registry: s.yaml", "  expect: [{rule: R-NONE, school: S}]"}));
  const auto by_default = load_pack({folder()}, {});
  ASSERT_EQ(by_default->rules.size(), 1u);
  EXPECT_TRUE(by_default->tests.empty());
  EXPECT_TRUE(load_pack({folder()}, {}, PackParts::RulesOnly)->tests.empty());
  EXPECT_TRUE(read_pack({folder()}, PackParts::RulesOnly).tests.empty());
}

TEST_F(PackLoaderTest, CheckLoadReportsABrokenTestsFileWithFileAndLine) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("tests/cases.yaml", kBrokenTests);
  const std::string file = folder() + "/tests/cases.yaml";
  const std::vector<std::string> expected{
      file + ":3:3: in test 'typo': unknown key 'banks' (did you mean 'bank'?)",
      file +
          ":5:37: in test 'typo': unknown level 'scarlet' (expected blue, yellow, orange "
          "or red)"};
  try {
    load_pack({folder()}, {}, PackParts::RulesAndTests);
    FAIL() << "expected a PackError from load_pack";
  } catch (const PackError& error) {
    EXPECT_EQ(texts_of(error.errors()), expected);
  }
  try {
    read_pack({folder()}, PackParts::RulesAndTests);
    FAIL() << "expected a PackError from read_pack";
  } catch (const PackError& error) {
    EXPECT_EQ(texts_of(error.errors()), expected);
  }
}

TEST_F(PackLoaderTest, CheckLoadReportsATestOfAnUnknownRule) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("tests/cases.yaml",
        lines({"- test: case", "  registry: s.yaml", "  expect: [{rule: R-NONE, school: S}]"}));
  try {
    load_pack({folder()}, {}, PackParts::RulesAndTests);
    FAIL() << "expected a PackError";
  } catch (const PackError& error) {
    EXPECT_EQ(
        texts_of(error.errors()),
        std::vector<std::string>{folder() + "/tests/cases.yaml:1:3: in test 'case': unknown rule "
                                            "'R-NONE'"});
  }
}

TEST_F(PackLoaderTest, ReadPackWithTestsKeepsThemForTheTestRunner) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("tests/cases.yaml",
        lines({"- test: case", "  registry: s.yaml", "  expect: [{rule: R-A, school: S}]"}));
  const PackDocument doc = read_pack({folder()}, PackParts::RulesAndTests);
  ASSERT_EQ(doc.tests.size(), 1u);
  EXPECT_EQ(doc.tests[0].name, "case");
  EXPECT_EQ(doc.rules.size(), 1u);
}

// ---- source_digest ------------------------------------------------------------------

TEST_F(PackLoaderTest, DigestIsLowerCaseHexSha256AndTheSameForTheSameFiles) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("b.yaml", rule("R-B", "bank", "record.credit"));
  const std::string digest = load_pack({folder()}, {})->source_digest;
  ASSERT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos) << digest;
  EXPECT_EQ(load_pack({folder()}, {})->source_digest, digest);
}

TEST_F(PackLoaderTest, DigestChangesWithOneCharacterOfARuleFile) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("b.yaml", rule("R-B", "bank", "record.credit", "  regulation: r1\n"));
  const std::string before = load_pack({folder()}, {})->source_digest;
  write("b.yaml", rule("R-B", "bank", "record.credit", "  regulation: r2\n"));
  EXPECT_NE(load_pack({folder()}, {})->source_digest, before);
}

TEST_F(PackLoaderTest, DigestCountsFileBoundaries) {
  // The same rules in the same order, split between the files differently.
  write("a.yaml", rule("R-A", "bank", "record.debit") + rule("R-B", "bank", "record.debit"));
  write("b.yaml", rule("R-C", "bank", "record.debit"));
  const std::string before = load_pack({folder()}, {})->source_digest;
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("b.yaml", rule("R-B", "bank", "record.debit") + rule("R-C", "bank", "record.debit"));
  EXPECT_NE(load_pack({folder()}, {})->source_digest, before);
}

TEST_F(PackLoaderTest, DigestChangesWithTheOverrides) {
  write("a.yaml", lines({"- {param: n, type: integer, default: 1}",
                         "- {param: m, type: integer, default: 1}"}) +
                      rule("R-A", "bank", "$n > $m"));
  const std::string none = load_pack({folder()}, {})->source_digest;
  const std::string seven = load_pack({folder()}, {{"n", "7"}})->source_digest;
  EXPECT_NE(seven, none);
  EXPECT_NE(load_pack({folder()}, {{"n", "8"}})->source_digest, seven);
  EXPECT_NE(load_pack({folder()}, {{"m", "7"}})->source_digest, seven);
  EXPECT_EQ(load_pack({folder()}, {{"n", "7"}})->source_digest, seven);
}

TEST_F(PackLoaderTest, DigestIgnoresTheTestFiles) {
  write("a.yaml", rule("R-A", "bank", "record.debit"));
  write("tests/cases.yaml",
        lines({"- test: one", "  registry: s.yaml", "  expect: [{rule: R-A, school: S}]"}));
  const std::string judging = load_pack({folder()}, {})->source_digest;
  const std::string checking = load_pack({folder()}, {}, PackParts::RulesAndTests)->source_digest;
  EXPECT_EQ(checking, judging);
  write("tests/cases.yaml",
        lines({"- test: two", "  registry: s.yaml", "  expect: [{rule: R-A, school: T}]"}));
  EXPECT_EQ(load_pack({folder()}, {}, PackParts::RulesAndTests)->source_digest, judging);
}

}  // namespace
}  // namespace sfmon::rules::pack_compiler_test
