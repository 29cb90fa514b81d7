// evaluate_school(): per-record rules, levels, messages, dedup keys, values,
// evidence, time ranges and output order; and FactContext, what expressions
// read. Window boundaries are in window_test.cpp.

#include "sfmon/rules/evaluator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "../../rules/src/expression_nodes.h"
#include "../../rules/src/fact_context.h"

namespace sfmon::rules::evaluator_test {
namespace {

const Zone kShanghai{};

std::int64_t utc(const char* text) {
  return parse_iso_instant(text, kShanghai)->utc_seconds;
}
std::int64_t day(const char* text) {
  return parse_iso_date(text)->days_since_epoch();
}

Fact bank_fact(const char* id, const char* when, Fen amount, const char* account = "A1",
               const char* counterparty = "X") {
  const Instant instant = *parse_iso_instant(when, kShanghai);
  Fact fact;
  fact.kind = FactKind::Bank;
  fact.id = id;
  fact.time = instant.utc_seconds;
  fact.day = instant.local_date(kShanghai).days_since_epoch();
  fact.account = account;
  fact.account_role = AccountRole::Supervised;
  fact.amount = amount;
  fact.debit = amount < 0;
  fact.credit = amount > 0;
  fact.counterparty_name = counterparty;
  fact.counterparty_key = counterparty;
  return fact;
}

School make_school() {
  School school;
  school.id = "CS-0001";
  school.name = "长沙市某某实验学校";
  school.kind = SchoolKind::Training;
  school.min_balance_fen = 300000000;
  return school;
}

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

// A debit rule over bank records with the given extra YAML lines.
std::string debit_rule(const char* id, const std::string& extra) {
  return std::string("- rule: ") + id +
         "\n  title: t\n  level: yellow\n  source: bank\n  where: record.debit\n" + extra;
}

class EvaluatorTest : public ::testing::Test {
 protected:
  std::vector<Firing> evaluate(const std::string& yaml, const TimeRange& range = {}) {
    pack_ = compile(yaml);
    if (!pack_) return {};
    return evaluate_school(*pack_, facts(), range);
  }
  SchoolFacts facts() const {
    SchoolFacts result;
    result.school = &school_;
    result.facts = facts_;
    std::sort(result.facts.begin(), result.facts.end(), [](const Fact& a, const Fact& b) {
      return std::tie(a.time, a.kind, a.id) < std::tie(b.time, b.kind, b.id);
    });
    result.supervised_closing = closing_;
    return result;
  }

  School school_ = make_school();
  std::vector<Fact> facts_;
  std::map<std::int64_t, Fen> closing_;
  std::unique_ptr<CompiledPack> pack_;
};

const std::string kBigDebit =
    debit_rule("BIG",
               "  key: [record.account]\n"
               "  condition: -record.amount >= 50000.00\n"
               "  message: \"{record.account} paid {-record.amount}\"\n"
               "  escalate:\n"
               "    - {level: orange, when: -record.amount >= 100000.00}\n"
               "    - {level: red, when: -record.amount >= 500000.00}\n");

// ---- per-record rules -------------------------------------------------------------

TEST_F(EvaluatorTest, PerRecordRuleFiresOnEachRecordThatMeetsItsCondition) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -6000000),
            bank_fact("T2", "2024-10-08T11:00:00", -4999999),
            bank_fact("T3", "2024-10-08T12:00:00", 9000000)};
  const std::vector<Firing> firings = evaluate(kBigDebit);
  ASSERT_EQ(firings.size(), 1u);
  const Firing& firing = firings[0];
  EXPECT_EQ(firing.rule_id, "BIG");
  EXPECT_EQ(firing.rule_version, 1);
  EXPECT_EQ(firing.school_id, "CS-0001");
  EXPECT_EQ(firing.level, Level::Yellow);
  EXPECT_EQ(firing.time, utc("2024-10-08T10:00:00"));
  EXPECT_EQ(firing.message, "A1 paid 60000.00");
  EXPECT_EQ(firing.dedup_key, "A1");
  EXPECT_EQ(firing.evidence, (std::vector<EvidenceRef>{{"bank", "T1"}}));
  EXPECT_EQ(firing.values, (std::vector<std::pair<std::string, std::string>>{{"key", "A1"}}));
  EXPECT_EQ(firing.group_window_seconds, 86400);
}

TEST_F(EvaluatorTest, AWindowKeyedBySchoolIdJudgesAsOneWithoutAKey) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -3000000, "A1"),
            bank_fact("T2", "2024-10-08T11:00:00", -3000000, "A2"),
            bank_fact("T3", "2024-10-09T11:00:00", -1000000, "A1")};
  const std::string window =
      "  window: {tumbling: day}\n  aggregates:\n    total: sum(-record.amount)\n"
      "  condition: total >= 50000.00\n  message: \"{window.day} {total}\"\n";
  const std::vector<Firing> by_school =
      evaluate(debit_rule("DAY", "  key: [school.id]\n" + window));
  const std::vector<Firing> unkeyed = evaluate(debit_rule("DAY", window));
  ASSERT_EQ(by_school.size(), 1u);
  EXPECT_EQ(by_school[0].message, "2024-10-08 60000.00");
  EXPECT_EQ(by_school[0].dedup_key, "CS-0001");
  EXPECT_EQ(by_school[0].evidence, (std::vector<EvidenceRef>{{"bank", "T1"}, {"bank", "T2"}}));
  ASSERT_EQ(unkeyed.size(), 1u);
  EXPECT_EQ(unkeyed[0].message, by_school[0].message);
  EXPECT_EQ(unkeyed[0].dedup_key, by_school[0].dedup_key);
  EXPECT_EQ(unkeyed[0].values, by_school[0].values);
  EXPECT_EQ(unkeyed[0].evidence, by_school[0].evidence);
  // Near miss: keyed by account, neither account reaches the total.
  EXPECT_TRUE(evaluate(debit_rule("DAY", "  key: [record.account]\n" + window)).empty());
}

TEST_F(EvaluatorTest, HighestEscalationThatHoldsSetsTheLevel) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -6000000),
            bank_fact("T2", "2024-10-08T11:00:00", -20000000),
            bank_fact("T3", "2024-10-08T12:00:00", -60000000)};
  const std::vector<Firing> firings = evaluate(kBigDebit);
  ASSERT_EQ(firings.size(), 3u);
  EXPECT_EQ(firings[0].level, Level::Yellow);
  EXPECT_EQ(firings[1].level, Level::Orange);
  EXPECT_EQ(firings[2].level, Level::Red);
}

TEST_F(EvaluatorTest, DisabledRuleDoesNotFire) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -6000000)};
  EXPECT_TRUE(evaluate(kBigDebit + "  enabled: false\n").empty());
}

TEST_F(EvaluatorTest, RuleSeesOnlyRecordsOfItsSource) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -6000000)};
  const std::string fee_rule =
      "- rule: FEE\n  title: t\n  level: yellow\n  source: fee\n  condition: true\n"
      "  message: m\n";
  EXPECT_TRUE(evaluate(fee_rule).empty());
}

TEST_F(EvaluatorTest, DedupTemplateAndMultiPartKeyAreRendered) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -6000000, "A1", "ACME")};
  const std::vector<Firing> firings =
      evaluate(debit_rule("PAIR",
                          "  key: [record.account, counterparty.key]\n"
                          "  condition: true\n  message: m\n"
                          "  dedup: \"{record.account}/{counterparty.key}/{record.day}\"\n"));
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].dedup_key, "A1/ACME/2024-10-08");
  EXPECT_EQ(firings[0].values,
            (std::vector<std::pair<std::string, std::string>>{{"key.1", "A1"}, {"key.2", "ACME"}}));
}

TEST_F(EvaluatorTest, DefaultKeyIsTheSchool) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -6000000)};
  const std::vector<Firing> firings =
      evaluate(debit_rule("ANY", "  condition: true\n  message: m\n"));
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].dedup_key, "CS-0001");
}

// ---- ranges and order -----------------------------------------------------------------

TEST_F(EvaluatorTest, OnlyFiringsInsideTheRangeAreReturned) {
  facts_ = {bank_fact("T1", "2024-10-07T10:00:00", -6000000),
            bank_fact("T2", "2024-10-08T10:00:00", -6000000),
            bank_fact("T3", "2024-10-09T10:00:00", -6000000)};
  const std::vector<Firing> firings =
      evaluate(kBigDebit, {utc("2024-10-08T10:00:00"), utc("2024-10-09T09:59:59")});
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].evidence, (std::vector<EvidenceRef>{{"bank", "T2"}}));
}

TEST_F(EvaluatorTest, WindowsSeeRecordsBeforeTheRange) {
  facts_ = {bank_fact("T1", "2024-10-07T10:00:00", -100),
            bank_fact("T2", "2024-10-08T10:00:00", -200)};
  const std::vector<Firing> firings =
      evaluate(debit_rule("WEEK",
                          "  window: {preceding: 7d}\n"
                          "  aggregates: {total: sum(-record.amount)}\n"
                          "  condition: true\n  message: \"{total}\"\n"),
               {utc("2024-10-08T00:00:00"), INT64_MAX});
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].message, "3.00");
  EXPECT_EQ(firings[0].evidence, (std::vector<EvidenceRef>{{"bank", "T1"}, {"bank", "T2"}}));
}

TEST_F(EvaluatorTest, FiringsAreOrderedByTimeThenRuleThenDedupKey) {
  facts_ = {bank_fact("T1", "2024-10-08T10:00:00", -100, "A2"),
            bank_fact("T2", "2024-10-08T10:00:00", -100, "A1"),
            bank_fact("T0", "2024-10-07T10:00:00", -100, "A3")};
  const std::string rules =
      debit_rule("R-B", "  key: [record.account]\n  condition: true\n  message: m\n") +
      debit_rule("R-A", "  key: [record.account]\n  condition: true\n  message: m\n");
  std::vector<std::string> order;
  for (const Firing& firing : evaluate(rules))
    order.push_back(firing.rule_id + "@" + firing.dedup_key);
  EXPECT_EQ(order,
            (std::vector<std::string>{"R-A@A3", "R-B@A3", "R-A@A1", "R-A@A2", "R-B@A1", "R-B@A2"}));
}

// ---- balances and evidence ---------------------------------------------------------------

TEST_F(EvaluatorTest, BalanceFiringListsTheBalanceAndTheDaysDebits) {
  Fact balance;
  balance.kind = FactKind::Balance;
  balance.id = "A1:2024-10-22";
  balance.account = "A1";
  balance.account_role = AccountRole::Supervised;
  balance.day = day("2024-10-22");
  balance.time = utc("2024-10-22T23:59:59");
  balance.amount = 290000000;
  balance.day_debits = {{"bank", "T9"}, {"bank", "T1"}};
  facts_ = {balance};
  const std::vector<Firing> firings = evaluate(
      "- rule: MINBAL\n  title: t\n  level: orange\n  source: balance\n"
      "  condition: balance.amount < school.min_balance\n"
      "  message: \"{balance.account} {balance.day} {balance.amount}\"\n");
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].message, "A1 2024-10-22 2900000.00");
  EXPECT_EQ(
      firings[0].evidence,
      (std::vector<EvidenceRef>{{"balance", "A1:2024-10-22"}, {"bank", "T1"}, {"bank", "T9"}}));
}

TEST_F(EvaluatorTest, EvidenceTriggerListsOnlyTheTriggeringRecord) {
  facts_ = {bank_fact("T1", "2024-10-07T10:00:00", -100),
            bank_fact("T2", "2024-10-08T10:00:00", -200)};
  pack_ = compile(debit_rule("WEEK",
                             "  window: {preceding: 7d}\n"
                             "  aggregates: {total: sum(-record.amount)}\n"
                             "  condition: total >= 3.00\n  message: m\n"));
  ASSERT_TRUE(pack_);
  pack_->rules[0].evidence_window = false;
  const std::vector<Firing> firings = evaluate_school(*pack_, facts());
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].evidence, (std::vector<EvidenceRef>{{"bank", "T2"}}));
}

TEST_F(EvaluatorTest, ClosingBalanceReadsTheLatestKnownDay) {
  closing_ = {{day("2024-10-01"), 50000}};
  facts_ = {bank_fact("T0", "2024-09-30T10:00:00", -100),
            bank_fact("T1", "2024-10-01T10:00:00", -100),
            bank_fact("T2", "2024-10-05T10:00:00", -100)};
  std::vector<std::string> fired;
  for (const Firing& firing :
       evaluate(debit_rule("LOW",
                           "  condition: closing_balance(record.day) < 1000.00\n"
                           "  message: m\n"))) {
    fired.insert(fired.end(), firing.evidence.front().id);
  }
  EXPECT_EQ(fired, (std::vector<std::string>{"T1", "T2"})) << "no balance known before Oct 1";
}

// ---- FactContext ------------------------------------------------------------------------

// A FactContext over the facts of make_school(), with one parameter
// (money 123) in slot 0. Members refer to each other: not copyable.
struct SchoolContext {
  SchoolContext() { facts.school = &school; }
  SchoolContext(const SchoolContext&) = delete;
  SchoolContext& operator=(const SchoolContext&) = delete;

  const School school = make_school();
  SchoolFacts facts;
  const std::vector<Value> params{Value::money(123)};
  FactContext context{facts, params};
};

TEST(FactContext, ReadsFieldsOfTheFactAndItsSchool) {
  SchoolContext school_context;
  FactContext& context = school_context.context;
  Fact fact = bank_fact("T1", "2024-10-08T10:00:00", -6000000, "A1", "ACME");
  fact.counterparty_class = CounterpartyClass::Person;
  context.set_fact(fact);
  EXPECT_EQ(context.field(FieldId::RecordKind).text, "bank");
  EXPECT_EQ(context.field(FieldId::RecordAmount).i, -6000000);
  EXPECT_EQ(context.field(FieldId::RecordDay).i, day("2024-10-08"));
  EXPECT_TRUE(context.field(FieldId::CounterpartyPerson).truthy());
  EXPECT_EQ(context.field(FieldId::CounterpartyClass).text, "person");
  EXPECT_EQ(context.field(FieldId::AccountRole).text, "supervised");
  EXPECT_TRUE(context.field(FieldId::RecordSupervised).truthy());
  EXPECT_EQ(context.field(FieldId::SchoolKind).text, "training");
  EXPECT_TRUE(context.field(FieldId::SchoolTraining).truthy());
  EXPECT_FALSE(context.field(FieldId::SchoolCompulsory).truthy());
  EXPECT_EQ(context.field(FieldId::SchoolMinBalance).i, 300000000);
  EXPECT_EQ(context.param(0).i, 123);
  EXPECT_TRUE(context.param(1).is_null());
}

TEST(FactContext, FieldsOfOtherKindsAndAbsentWindowsAreNull) {
  SchoolContext school_context;
  FactContext& context = school_context.context;
  const Fact fact = bank_fact("T1", "2024-10-08T10:00:00", -6000000);
  context.set_fact(fact);
  EXPECT_TRUE(context.field(FieldId::FeeAmount).is_null());
  EXPECT_TRUE(context.field(FieldId::BalanceAmount).is_null());
  EXPECT_TRUE(context.field(FieldId::WindowDay).is_null());
  EXPECT_TRUE(context.aggregate(0).is_null());
  WindowFields window;
  window.start = 10;
  window.end = 20;
  context.set_window(&window);
  EXPECT_TRUE(context.field(FieldId::WindowDay).is_null());
  EXPECT_EQ(context.field(FieldId::WindowEnd).i, 20);
}

// Delegates field() and hides the fact, so compiled field nodes take the
// virtual call FactContext's fast path (fact()) skips.
class FieldsOnly final : public EvalContext {
 public:
  explicit FieldsOnly(const EvalContext& inner) : inner_(inner) {}
  Value field(FieldId id) const override { return inner_.field(id); }
  Value aggregate(int slot) const override { return inner_.aggregate(slot); }
  Value param(int slot) const override { return inner_.param(slot); }
  Value closing_balance(std::int64_t day) const override { return inner_.closing_balance(day); }

 private:
  const EvalContext& inner_;
};

TEST(FactContext, CompiledFieldsReadWhatTheContextReads) {
  SchoolContext school_context;
  FactContext& context = school_context.context;
  WindowFields window;
  window.day = 20000;
  window.start = 10;
  window.end = 20;
  context.set_window(&window);
  // A fact of each kind with every member away from its default.
  Fact bank = bank_fact("T1", "2024-10-08T10:00:00", -6000000, "A1", "ACME");
  bank.debit = bank.own_transfer = bank.counterparty_related = bank.counterparty_listed = true;
  bank.purpose = "tuition";
  bank.tx_code = "NTRF";
  bank.counterparty_account = "6222";
  bank.counterparty_class = CounterpartyClass::Organisation;
  bank.counterparty_relation = "founder";
  bank.counterparty_list_reason = "court order";
  Fact fee;
  fee.kind = FactKind::Fee;
  fee.time = 1728353000;
  fee.day = 20004;
  fee.id = "F1";
  fee.account = "A2";
  fee.amount = -360000;
  fee.refund = fee.catalogued = fee.to_supervised = true;
  fee.student_id = "S1";
  fee.fee_type = "tuition";
  fee.grade = "g1";
  fee.period_start = 20000;
  fee.period_end = 20090;
  fee.hours = 12.5;
  fee.enrolled_at = 19900;
  fee.cap = 500000;
  fee.per = FeePer::Semester;
  fee.normalised_amount = 180000;
  fee.months = 3.0;
  fee.term_end = 20110;
  fee.account_role = AccountRole::Supervised;
  Fact balance;
  balance.kind = FactKind::Balance;
  balance.time = 1728403199;
  balance.day = 20004;
  balance.id = "A1:2024-10-08";
  balance.account = "A1";
  balance.amount = 90000000;
  const auto same = [](const Value& a, const Value& b) {
    return a.type == b.type && a.i == b.i && a.number == b.number && a.text == b.text &&
           a.list == b.list;
  };
  // Each fact again with every flag the other way round: a flag set on a
  // fact whose kind does not have the field must still test false, and each
  // flag is seen both ways.
  const auto flipped = [](Fact fact) {
    for (bool Fact::*flag :
         {&Fact::debit, &Fact::credit, &Fact::own_transfer, &Fact::counterparty_related,
          &Fact::counterparty_listed, &Fact::refund, &Fact::catalogued, &Fact::to_supervised}) {
      fact.*flag = !(fact.*flag);
    }
    fact.account_role =
        fact.account_role == AccountRole::Supervised ? AccountRole::Basic : AccountRole::Supervised;
    fact.counterparty_class = fact.counterparty_class == CounterpartyClass::Person
                                  ? CounterpartyClass::Organisation
                                  : CounterpartyClass::Person;
    return fact;
  };
  const Fact flipped_bank = flipped(bank);
  const Fact flipped_fee = flipped(fee);
  const Fact flipped_balance = flipped(balance);
  for (const Fact* fact : std::initializer_list<const Fact*>{&bank, &fee, &balance, &flipped_bank,
                                                             &flipped_fee, &flipped_balance}) {
    context.set_fact(*fact);
    const FieldsOnly fields_only(context);
    for (int i = 0; i <= static_cast<int>(FieldId::WindowEnd); ++i) {
      const auto id = static_cast<FieldId>(i);
      SCOPED_TRACE(std::string(field_info(id).name) + " of a " + to_string(fact->kind) + " fact");
      const auto node = nodes::field(id, field_info(id).type);
      const Value expected = context.field(id);
      EXPECT_TRUE(same(node->eval(context), expected));
      EXPECT_TRUE(same(node->eval(fields_only), expected));
      // A boolean field tests its flag without a Value: the same answer.
      EXPECT_EQ(node->test(context), expected.truthy());
      EXPECT_EQ(node->test(fields_only), expected.truthy());
    }
  }
}

TEST(FactContext, KindComparisonsAnswerAsTheirStringsCompare) {
  SchoolContext school_context;
  FactContext& context = school_context.context;
  const Fact bank = bank_fact("T1", "2024-10-08T10:00:00", -6000000);
  Fact fee;
  fee.kind = FactKind::Fee;
  Fact balance;
  balance.kind = FactKind::Balance;
  struct Case {
    const char* text;
    const char* kind;  // the literal
    bool negated;
  };
  const Case cases[] = {{"record.kind == 'fee'", "fee", false},
                        {"'fee' == record.kind", "fee", false},
                        {"record.kind != 'fee'", "fee", true},
                        {"'bank' != record.kind", "bank", true},
                        {"record.kind == 'balance'", "balance", false},
                        {"record.kind == 'loan'", "loan", false},  // no such kind
                        {"record.kind != 'loan'", "loan", true}};
  CompileScope scope;
  scope.item = "test";
  for (const Case& c : cases) {
    const auto compiled = compile_expression(parse_expression(c.text, SourceRef{"t.yaml", 1, 1}),
                                             scope, ValueType::Bool);
    for (const Fact* fact : std::initializer_list<const Fact*>{&bank, &fee, &balance}) {
      SCOPED_TRACE(std::string(c.text) + " of a " + to_string(fact->kind) + " fact");
      const bool expected = (std::string(to_string(fact->kind)) == c.kind) != c.negated;
      context.set_fact(*fact);
      const FieldsOnly fields_only(context);  // no fact(): the strings are compared
      EXPECT_EQ(compiled->test(context), expected);
      EXPECT_EQ(compiled->test(fields_only), expected);
      EXPECT_EQ(compiled->eval(context).type, ValueType::Bool);
      EXPECT_EQ(compiled->eval(context).truthy(), expected);
    }
  }
}

TEST(FactContext, FeeFieldsReadTheirOptionalValues) {
  SchoolContext school_context;
  FactContext& context = school_context.context;
  Fact fee;
  fee.kind = FactKind::Fee;
  fee.id = "F1";
  fee.amount = 360000;
  fee.months = 3.0;
  fee.per = FeePer::Month;
  fee.account_role = AccountRole::Basic;
  context.set_fact(fee);
  EXPECT_FALSE(context.field(FieldId::RecordSupervised).truthy());
  EXPECT_EQ(context.field(FieldId::RecordSupervised).type, ValueType::Bool);
  EXPECT_EQ(context.field(FieldId::FeeId).text, "F1");
  EXPECT_EQ(context.field(FieldId::FeeMonths).number, 3.0);
  EXPECT_EQ(context.field(FieldId::FeePer).text, "month");
  EXPECT_TRUE(context.field(FieldId::FeeNormalisedAmount).is_null());
  EXPECT_TRUE(context.field(FieldId::FeeHours).is_null());
  EXPECT_TRUE(context.field(FieldId::RecordPurpose).is_null()) << "bank-only field";
}

}  // namespace
}  // namespace sfmon::rules::evaluator_test
