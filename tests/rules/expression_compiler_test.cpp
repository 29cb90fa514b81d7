#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sfmon/model/time.h"
#include "sfmon/rules/expression.h"
#include "sfmon/rules/value.h"

namespace sfmon::rules::expression_compiler_test {
namespace {

using enum ValueType;

std::int64_t day_of(std::string_view iso) {
  return parse_iso_date(iso)->days_since_epoch();
}
std::int64_t time_of(std::string_view iso) {
  return parse_iso_instant(iso, Zone{})->utc_seconds;
}

// Answers fields, aggregates and parameters from maps; counts field reads so
// that tests can see short-circuiting.
class FakeContext : public EvalContext {
 public:
  std::map<FieldId, Value> fields;
  std::vector<Value> aggregates;
  std::vector<Value> params;
  std::map<std::int64_t, Fen> balances;  // day → closing balance
  mutable int field_reads = 0;

  Value field(FieldId id) const override {
    ++field_reads;
    const auto it = fields.find(id);
    return it == fields.end() ? Value::null() : it->second;
  }
  Value aggregate(int slot) const override { return aggregates.at(static_cast<std::size_t>(slot)); }
  Value param(int slot) const override { return params.at(static_cast<std::size_t>(slot)); }
  Value closing_balance(std::int64_t day) const override {
    auto it = balances.upper_bound(day);
    if (it == balances.begin()) return Value::null();
    return Value::money(std::prev(it)->second);
  }
};

class ExpressionCompilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lists_ = {{"cash_words", {"现金", "取现", "ATM"}}, {"payroll", {"工资", "薪", "salary"}}};
    lenders_ = {"小额贷款", "分期"};
    params_ = {{"large_day_total", {0, Money}}, {"share", {1, Number}}, {"min_count", {2, Integer}},
               {"window", {3, Duration}},       {"lenders", {4, List}}, {"flag", {5, Bool}}};
    aggregates_ = {{"total", {0, Money}}, {"n", {1, Integer}}};
    scope_.facts = kBankFacts;
    scope_.item = "rule 'FUND-LARGE'";
    scope_.lists = &lists_;
    scope_.macros = &macros_;
    scope_.params = &params_;
    scope_.aggregates = &aggregates_;

    Value lenders{List};
    lenders.list = &lenders_;
    context_.params = {Value::money(200000000),    Value::real(0.8), Value::integer(3),
                       Value::duration(72 * 3600), lenders,          Value::null()};
    context_.aggregates = {Value::money(199999999), Value::integer(4)};
    context_.fields = {
        {FieldId::RecordAmount, Value::money(-123450)},
        {FieldId::RecordDebit, Value::boolean(true)},
        {FieldId::RecordCredit, Value::boolean(false)},
        {FieldId::RecordPurpose, Value::string("ATM取现 Salary")},
        {FieldId::RecordAccount, Value::string("4305")},
        {FieldId::RecordDay, Value::date(day_of("2024-01-31"))},
        {FieldId::RecordTime, Value::time(time_of("2024-10-08T00:30:00+08:00"))},
        {FieldId::WindowStart, Value::time(time_of("2024-10-05T00:30:00+08:00"))},
        {FieldId::WindowDay, Value::date(day_of("2024-01-01"))},
        {FieldId::SchoolEnrollment, Value::integer(1200)},
        {FieldId::CounterpartyName, Value::string("某某小额贷款有限公司")},
    };
  }

  void define_macro(const std::string& name, std::string_view text, int line = 10) {
    macros_[name] = parse_expression(text, SourceRef{"macros.yaml", line, 14});
  }

  std::unique_ptr<CompiledExpr> compile(std::string_view text, ValueType expected = Null) {
    return compile_expression(parse_expression(text, SourceRef{"t.yaml", 1, 1}), scope_, expected);
  }

  // The compiled expression is kept: string values are views into it.
  Value eval(std::string_view text, ValueType expected = Null) {
    compiled_.push_back(compile(text, expected));
    return compiled_.back()->eval(context_);
  }

  bool holds(std::string_view text) {
    const Value value = eval(text, Bool);
    EXPECT_TRUE(value.type == Bool || value.is_null()) << text;
    return value.truthy();
  }

  ValueType type_of(std::string_view text) { return compile(text)->type(); }

  // Every compile error as "line:column: message" (file t.yaml unless named).
  std::vector<std::string> errors(std::string_view text, ValueType expected = Null,
                                  SourceRef origin = {"t.yaml", 1, 1}) {
    std::vector<std::string> result;
    try {
      compile_expression(parse_expression(text, origin), scope_, expected);
      ADD_FAILURE() << "compiled without error: " << text;
    } catch (const PackError& error) {
      for (const Diagnostic& d : error.errors()) {
        std::string where = std::to_string(d.where.line) + ":" + std::to_string(d.where.column);
        if (d.where.file != "t.yaml") where = d.where.file + ":" + where;
        result.push_back(where + ": " + d.message);
      }
    }
    return result;
  }
  std::string error(std::string_view text, ValueType expected = Null) {
    const std::vector<std::string> all = errors(text, expected);
    EXPECT_EQ(all.size(), 1u) << text;
    return all.empty() ? "" : all.front();
  }

  std::map<std::string, std::vector<std::string>> lists_;
  std::vector<std::string> lenders_;
  std::map<std::string, ExprNode> macros_;
  std::map<std::string, ParamSymbol> params_;
  std::map<std::string, AggregateSymbol> aggregates_;
  CompileScope scope_;
  FakeContext context_;
  std::vector<std::unique_ptr<CompiledExpr>> compiled_;
};

const std::string kIn = "in rule 'FUND-LARGE': ";

// ---- Literals, fields, names --------------------------------------------------------

TEST_F(ExpressionCompilerTest, LiteralsEvaluateToThemselves) {
  EXPECT_EQ(eval("30").i, 30);
  EXPECT_EQ(eval("0.8").number, 0.8);
  EXPECT_EQ(eval("'现金'").text, "现金");
  EXPECT_TRUE(eval("true").truthy());
  EXPECT_EQ(eval("72h").i, 72 * 3600);
  EXPECT_TRUE(eval("null").is_null());
}

TEST_F(ExpressionCompilerTest, FieldsReadTheContext) {
  EXPECT_EQ(type_of("record.amount"), Money);
  EXPECT_EQ(eval("record.amount").i, -123450);
  EXPECT_TRUE(eval("school.min_balance").is_null());
}

TEST_F(ExpressionCompilerTest, UnknownFieldSuggestsTheNearestName) {
  EXPECT_EQ(error("record.amout > 0"),
            "1:1: " + kIn + "unknown field 'record.amout' (did you mean 'record.amount'?)");
  EXPECT_EQ(error("foo.bar"), "1:1: " + kIn + "unknown field 'foo.bar'");
}

TEST_F(ExpressionCompilerTest, FieldOfAnotherSourceIsRejected) {
  EXPECT_EQ(error("record.amount > fee.cap"),
            "1:17: " + kIn + "field 'fee.cap' is not available on bank records");
  scope_.facts = kFeeFacts;
  EXPECT_EQ(error("record.purpose == 'x'"),
            "1:1: " + kIn + "field 'record.purpose' is not available on fee records");
  scope_.facts = kBankFacts | kBalanceFacts;
  EXPECT_EQ(error("fee.cap"),
            "1:1: " + kIn + "field 'fee.cap' is not available on bank or balance records");
}

TEST_F(ExpressionCompilerTest, SeveralSourcesAllowFieldsOfAnyOfThem) {
  scope_.facts = kBankFacts | kBalanceFacts;
  EXPECT_EQ(type_of("counterparty.name"), String);
  EXPECT_EQ(type_of("balance.amount"), Money);
  scope_.facts = kAllFacts;  // the default: any field
  EXPECT_EQ(type_of("fee.cap"), Money);
}

TEST_F(ExpressionCompilerTest, AggregateNamesReadTheirSlot) {
  EXPECT_EQ(type_of("total"), Money);
  EXPECT_EQ(eval("total").i, 199999999);
  EXPECT_EQ(eval("n").i, 4);
  scope_.aggregates = nullptr;
  EXPECT_EQ(error("total > 0"), "1:1: " + kIn + "unknown name 'total'");
}

TEST_F(ExpressionCompilerTest, ParamsReadTheirSlot) {
  EXPECT_EQ(eval("$large_day_total").i, 200000000);
  EXPECT_EQ(type_of("$share"), Number);
  EXPECT_EQ(
      error("$large_day_totl"),
      "1:1: " + kIn + "unknown parameter '$large_day_totl' (did you mean '$large_day_total'?)");
  scope_.params = nullptr;
  EXPECT_EQ(error("$share"), "1:1: " + kIn + "unknown parameter '$share'");
}

TEST_F(ExpressionCompilerTest, UnknownNameHints) {
  EXPECT_EQ(error("totl"), "1:1: " + kIn + "unknown name 'totl' (did you mean 'total'?)");
  EXPECT_EQ(error("purpose"),
            "1:1: " + kIn + "unknown name 'purpose' (did you mean 'record.purpose'?)");
  EXPECT_EQ(error("share"),
            "1:1: " + kIn + "unknown name 'share' (parameters are written '$share')");
  EXPECT_EQ(error("record.purpose contains 现金"),
            "1:25: " + kIn + "unknown name '现金' (text goes in quotes: '现金')");
}

// ---- Macros -------------------------------------------------------------------------

TEST_F(ExpressionCompilerTest, MacrosAreInlined) {
  define_macro("is_debit", "record.debit and record.amount < 0");
  define_macro("big_debit", "is_debit and record.amount <= -1000.00");
  EXPECT_TRUE(holds("big_debit"));
  EXPECT_FALSE(holds("not big_debit"));
}

TEST_F(ExpressionCompilerTest, MacroErrorsPointIntoTheMacro) {
  define_macro("bad", "record.amout < 0", 7);
  EXPECT_EQ(
      errors("record.debit and bad"),
      std::vector<std::string>{"macros.yaml:7:14: in macro 'bad' used by rule 'FUND-LARGE': "
                               "unknown field 'record.amout' (did you mean 'record.amount'?)"});
}

TEST_F(ExpressionCompilerTest, MacroUsedTwiceReportsOnce) {
  define_macro("bad", "record.amout < 0", 7);
  EXPECT_EQ(errors("bad or bad").size(), 1u);
}

TEST_F(ExpressionCompilerTest, MacroCycleIsAnError) {
  define_macro("a", "b and record.debit", 1);
  define_macro("b", "record.credit or a", 2);
  EXPECT_EQ(errors("a"),
            std::vector<std::string>{"macros.yaml:2:31: in macro 'b' used by rule 'FUND-LARGE': "
                                     "macro cycle: a -> b -> a"});
  define_macro("self", "self", 3);
  EXPECT_EQ(errors("self"),
            std::vector<std::string>{"macros.yaml:3:14: in macro 'self' used by rule 'FUND-LARGE': "
                                     "macro cycle: self -> self"});
}

TEST_F(ExpressionCompilerTest, MacroBlowUpIsBounded) {
  define_macro("m0", "record.debit");
  for (int i = 1; i <= 20; ++i) {
    define_macro("m" + std::to_string(i),
                 "m" + std::to_string(i - 1) + " and m" + std::to_string(i - 1));
  }
  const std::vector<std::string> found = errors("m20");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("expression too large once macros are inlined"), std::string::npos);
  EXPECT_TRUE(holds("m5"));  // 32 copies are fine
}

// ---- Logic --------------------------------------------------------------------------

TEST_F(ExpressionCompilerTest, AndOrNot) {
  EXPECT_TRUE(holds("record.debit and not record.credit"));
  EXPECT_TRUE(holds("record.credit or record.debit"));
  EXPECT_FALSE(holds("record.credit and record.debit"));
  EXPECT_TRUE(holds("true or false and false"));  // and binds tighter
  EXPECT_FALSE(holds("(true or false) and false"));
}

TEST_F(ExpressionCompilerTest, AndOrShortCircuit) {
  const auto and_expr = compile("false and record.debit");
  context_.field_reads = 0;
  EXPECT_FALSE(and_expr->eval(context_).truthy());
  EXPECT_EQ(context_.field_reads, 0);
  const auto or_expr = compile("true or record.debit");
  EXPECT_TRUE(or_expr->eval(context_).truthy());
  EXPECT_EQ(context_.field_reads, 0);
  const auto both = compile("true and record.debit");
  EXPECT_TRUE(both->eval(context_).truthy());
  EXPECT_EQ(context_.field_reads, 1);
}

TEST_F(ExpressionCompilerTest, NullCountsAsFalseInLogic) {
  EXPECT_FALSE(holds("$flag and true"));
  EXPECT_TRUE(holds("$flag or true"));
  EXPECT_TRUE(holds("not $flag"));
}

TEST_F(ExpressionCompilerTest, LogicNeedsBoolOperands) {
  EXPECT_EQ(errors("record.amount and\n  record.debit or 1"),
            (std::vector<std::string>{"1:1: " + kIn + "'and' needs bool operands, got money",
                                      "2:19: " + kIn + "'or' needs bool operands, got integer"}));
  EXPECT_EQ(error("not record.purpose"), "1:5: " + kIn + "'not' needs a bool operand, got string");
}

TEST_F(ExpressionCompilerTest, ExpectedTypeIsChecked) {
  EXPECT_EQ(error("record.amount + 1", Bool), "1:1: " + kIn + "expected bool, got money");
  EXPECT_EQ(compile("3", Number)->eval(context_).number, 3.0);
  EXPECT_EQ(compile("3", Number)->type(), Number);
  EXPECT_EQ(compile("1.50", Money)->eval(context_).i, 150);
}

// ---- Comparisons --------------------------------------------------------------------

TEST_F(ExpressionCompilerTest, IntegerComparisons) {
  EXPECT_TRUE(holds("school.enrollment == 1200"));
  EXPECT_TRUE(holds("school.enrollment != 1"));
  EXPECT_TRUE(holds("school.enrollment < 1201"));
  EXPECT_TRUE(holds("school.enrollment <= 1200"));
  EXPECT_TRUE(holds("school.enrollment > 1199"));
  EXPECT_TRUE(holds("school.enrollment >= 1200"));
  EXPECT_FALSE(holds("school.enrollment > 1200"));
}

TEST_F(ExpressionCompilerTest, IntegerComparesWithNumber) {
  EXPECT_TRUE(holds("school.enrollment > 1199.5"));
  EXPECT_TRUE(holds("$min_count < $share * 10"));
}

TEST_F(ExpressionCompilerTest, StringDateTimeDurationBoolComparisons) {
  EXPECT_TRUE(holds("record.account == '4305'"));
  EXPECT_TRUE(holds("record.account < '5'"));
  EXPECT_TRUE(holds("record.day > window.day"));
  EXPECT_TRUE(holds("record.time >= window.start"));
  EXPECT_TRUE(holds("$window == 3d"));
  EXPECT_TRUE(holds("record.debit == true"));
  EXPECT_TRUE(holds("record.debit != record.credit"));
}

TEST_F(ExpressionCompilerTest, DecimalLiteralComparesAsExactMoney) {
  // 1,999,999.99 is below the 2,000,000.00 line, however floats would round.
  EXPECT_FALSE(holds("total >= 2000000.00"));
  context_.aggregates[0] = Value::money(200000000);
  EXPECT_TRUE(holds("total >= 2000000.00"));
  EXPECT_TRUE(holds("total >= 2000000"));
  EXPECT_TRUE(holds("record.amount <= -1234.50"));
  EXPECT_TRUE(holds("-1234.5 == record.amount"));
  EXPECT_TRUE(holds("record.amount < 0"));
  EXPECT_TRUE(holds("total == 2000000.000"));  // zero extra decimals are exact
}

TEST_F(ExpressionCompilerTest, DecimalWithMoreThanTwoDecimalsIsNoMoney) {
  EXPECT_EQ(error("record.amount > 1.005"),
            "1:17: " + kIn +
                "'1.005' is not an exact amount of money: more than two decimals (not an exact "
                "amount in fen)");
  EXPECT_EQ(error("record.amount + -0.001 > 0"),
            "1:17: " + kIn +
                "'-0.001' is not an exact amount of money: more than two decimals (not an exact "
                "amount in fen)");
}

TEST_F(ExpressionCompilerTest, MismatchedComparisonIsAnError) {
  EXPECT_EQ(error("record.amount > school.enrollment"),
            "1:15: " + kIn + "cannot compare money with integer");
  EXPECT_EQ(error("record.day == record.time"), "1:12: " + kIn + "cannot compare date with time");
  EXPECT_EQ(error("record.debit < true"), "1:14: " + kIn + "cannot order bool values with '<'");
}

TEST_F(ExpressionCompilerTest, NullOperandMakesComparisonsFalse) {
  EXPECT_FALSE(holds("school.min_balance > 0"));
  EXPECT_FALSE(holds("school.min_balance <= 0"));
  EXPECT_FALSE(holds("school.min_balance == 0"));
  EXPECT_FALSE(holds("school.min_balance != 0"));
  EXPECT_FALSE(holds("record.purpose contains school.district"));
}

TEST_F(ExpressionCompilerTest, EqualsNullTestsForNull) {
  EXPECT_TRUE(holds("school.min_balance == null"));
  EXPECT_FALSE(holds("school.min_balance != null"));
  EXPECT_TRUE(holds("null == school.min_balance"));
  EXPECT_TRUE(holds("record.amount != null"));
  EXPECT_EQ(
      error("record.amount < null"),
      "1:15: " + kIn + "'<' with null is always false; test for null with '== null' or '!= null'");
}

// ---- Arithmetic ---------------------------------------------------------------------

TEST_F(ExpressionCompilerTest, IntegerArithmeticStaysIntegerExceptDivision) {
  EXPECT_EQ(type_of("7 + 2"), Integer);
  EXPECT_EQ(eval("7 + 2").i, 9);
  EXPECT_EQ(eval("7 - 9").i, -2);
  EXPECT_EQ(eval("7 * 3").i, 21);
  EXPECT_EQ(type_of("7 / 2"), Number);
  EXPECT_EQ(eval("7 / 2").number, 3.5);
  EXPECT_EQ(eval("-7").i, -7);
}

TEST_F(ExpressionCompilerTest, NumberArithmeticAndWidening) {
  EXPECT_EQ(type_of("$share + 1"), Number);
  EXPECT_DOUBLE_EQ(eval("$share + 1").number, 1.8);
  EXPECT_DOUBLE_EQ(eval("$share - 0.3").number, 0.5);
  EXPECT_DOUBLE_EQ(eval("$share * 2").number, 1.6);
  EXPECT_DOUBLE_EQ(eval("2 / $share").number, 2.5);
  EXPECT_DOUBLE_EQ(eval("-$share").number, -0.8);
}

TEST_F(ExpressionCompilerTest, OverflowAndDivisionByZeroAreNull) {
  EXPECT_TRUE(eval("9223372036854775807 + 1").is_null());
  EXPECT_TRUE(eval("4611686018427387904 * 2").is_null());
  EXPECT_TRUE(eval("7 / 0").is_null());
  EXPECT_TRUE(eval("$share / 0.0").is_null());
  EXPECT_TRUE(eval("record.amount / 0").is_null());
  EXPECT_TRUE(eval("record.amount / (total - total)").is_null());
  EXPECT_TRUE(eval("total * 9223372036854775807").is_null());
}

TEST_F(ExpressionCompilerTest, MoneyPlusMinusMoneyAndLiterals) {
  EXPECT_EQ(type_of("total + record.amount"), Money);
  EXPECT_EQ(eval("total + record.amount").i, 199999999 - 123450);
  EXPECT_EQ(eval("total - 0.99").i, 199999900);
  EXPECT_EQ(eval("100.50 + record.amount").i, 10050 - 123450);
  EXPECT_EQ(eval("-total").i, -199999999);
  EXPECT_EQ(error("total + school.enrollment"),
            "1:7: " + kIn + "'+' cannot combine money and integer");
}

TEST_F(ExpressionCompilerTest, MoneyTimesNumberRoundsHalfAwayFromZero) {
  EXPECT_EQ(type_of("record.amount * 0.5"), Money);
  context_.fields[FieldId::RecordAmount] = Value::money(5);
  EXPECT_EQ(eval("record.amount * 0.5").i, 3);    // 2.5 fen
  EXPECT_EQ(eval("record.amount * 0.3").i, 2);    // 1.5 fen, though 0.3 is inexact in binary
  EXPECT_EQ(eval("-record.amount * 0.5").i, -3);  // -2.5 fen
  EXPECT_EQ(eval("record.amount * 0.1").i, 1);    // 0.5 fen
  EXPECT_EQ(eval("record.amount * 0.09").i, 0);   // 0.45 fen
}

// The factor's digits are remembered from one product to the next: a new
// factor, zero and a negative one must not get those of the factor before.
TEST_F(ExpressionCompilerTest, MoneyTimesNumberDoesNotDependOnTheFactorBefore) {
  context_.fields[FieldId::RecordAmount] = Value::money(5);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(eval("record.amount * 0.0").i, 0);
    EXPECT_EQ(eval("record.amount * 0.5").i, 3);
    EXPECT_EQ(eval("record.amount * 0.5").i, 3);
    EXPECT_EQ(eval("record.amount * 0.3").i, 2);
    EXPECT_EQ(eval("record.amount * -0.5").i, -3);
    EXPECT_EQ(eval("record.amount / 0.5").i, 10);
  }
}

TEST_F(ExpressionCompilerTest, MoneyTimesNumberIsExactForLargeAmounts) {
  context_.fields[FieldId::RecordAmount] = Value::money(90000000000000001);  // 9e16 + 1 fen
  EXPECT_EQ(eval("record.amount * 0.8").i, 72000000000000001);  // 7.2e16 + 0.8 → rounds up
  EXPECT_EQ(eval("record.amount * $share").i, 72000000000000001);
  EXPECT_EQ(eval("0.8 * record.amount").i, 72000000000000001);
  EXPECT_EQ(eval("record.amount * 100.0").i, 9000000000000000100);
  EXPECT_TRUE(eval("record.amount * 1000.0").is_null());  // beyond int64 fen
}

TEST_F(ExpressionCompilerTest, MoneyTimesInteger) {
  EXPECT_EQ(eval("2 * $large_day_total").i, 400000000);
  EXPECT_EQ(eval("$large_day_total * 2").i, 400000000);
  EXPECT_TRUE(holds("total < 2 * $large_day_total"));
}

TEST_F(ExpressionCompilerTest, MoneyDivision) {
  EXPECT_EQ(eval("total / 2").i, 100000000);  // 99999999.5 fen → away from zero
  EXPECT_EQ(eval("-total / 2").i, -100000000);
  EXPECT_EQ(eval("$large_day_total / 3").i, 66666667);
  EXPECT_EQ(eval("$large_day_total / 0.3").i, 666666667);
  EXPECT_EQ(type_of("total / $large_day_total"), Number);
  EXPECT_DOUBLE_EQ(eval("$large_day_total / total").number, 200000000.0 / 199999999.0);
  EXPECT_EQ(error("2 / total"), "1:3: " + kIn + "'/' cannot combine integer and money");
}

TEST_F(ExpressionCompilerTest, DatesMoveByWholeDays) {
  EXPECT_EQ(type_of("record.day + 7d"), Date);
  EXPECT_EQ(eval("record.day + 7d").i, day_of("2024-02-07"));
  EXPECT_EQ(eval("7d + record.day").i, day_of("2024-02-07"));
  EXPECT_EQ(eval("record.day - 72h").i, day_of("2024-01-28"));
  EXPECT_EQ(type_of("record.day - window.day"), Integer);
  EXPECT_EQ(eval("record.day - window.day").i, 30);
  EXPECT_EQ(error("record.day + 36h"),
            "1:14: " + kIn + "a date moves by whole days; 36h is not a whole number of days");
  EXPECT_EQ(
      error("record.day + 1"),
      "1:12: " + kIn + "'+' cannot combine date and integer (write days as a duration, e.g. 7d)");
}

TEST_F(ExpressionCompilerTest, DateMovedByAParameterNotInDaysIsNull) {
  context_.params[3] = Value::duration(36 * 3600);
  EXPECT_TRUE(eval("record.day + $window").is_null());
}

TEST_F(ExpressionCompilerTest, TimesAndDurations) {
  EXPECT_EQ(type_of("record.time + 72h"), Time);
  EXPECT_EQ(eval("record.time + 72h").i, time_of("2024-10-11T00:30:00+08:00"));
  EXPECT_EQ(eval("record.time - 30m").i, time_of("2024-10-08T00:00:00+08:00"));
  EXPECT_EQ(type_of("record.time - window.start"), Duration);
  EXPECT_TRUE(holds("record.time - window.start <= $window"));
  EXPECT_FALSE(holds("record.time - window.start < 72h"));
  EXPECT_EQ(eval("2 * 36h").i, 72 * 3600);
  EXPECT_EQ(eval("-$window").i, -72 * 3600);
  EXPECT_EQ(eval("1d - 1h").i, 23 * 3600);
}

TEST_F(ExpressionCompilerTest, ArithmeticWithNullIsNull) {
  EXPECT_TRUE(eval("school.min_balance + 1.00").is_null());
  EXPECT_TRUE(eval("school.min_balance * 2").is_null());
  EXPECT_TRUE(eval("-school.min_balance").is_null());
  EXPECT_EQ(error("null + 1"), "1:6: " + kIn + "'+' cannot take null");
}

TEST_F(ExpressionCompilerTest, UnaryMinusNeedsANumberLikeOperand) {
  EXPECT_EQ(error("-record.day"), "1:1: " + kIn + "unary '-' cannot take date");
  EXPECT_EQ(error("-record.purpose"), "1:1: " + kIn + "unary '-' cannot take string");
}

TEST_F(ExpressionCompilerTest, TypeErrorPositionsWithOriginAndLines) {
  EXPECT_EQ(errors("record.debit and\n    record.purpose + 1 > 0", Bool, {"t.yaml", 12, 16}),
            std::vector<std::string>{"13:20: " + kIn + "'+' cannot combine string and integer"});
}

TEST_F(ExpressionCompilerTest, AllErrorsOfAnExpressionAreCollected) {
  EXPECT_EQ(errors("record.amout > 0 and fee.cap > 0 or lowr(record.purpose) == 'x'"),
            (std::vector<std::string>{
                "1:1: " + kIn + "unknown field 'record.amout' (did you mean 'record.amount'?)",
                "1:22: " + kIn + "field 'fee.cap' is not available on bank records",
                "1:37: " + kIn + "unknown function 'lowr' (did you mean 'lower'?)"}));
}

// ---- Strings, lists, regex ----------------------------------------------------------

TEST_F(ExpressionCompilerTest, StringOperators) {
  EXPECT_TRUE(holds("record.purpose contains '取现'"));
  EXPECT_FALSE(holds("record.purpose contains 'atm'"));
  EXPECT_TRUE(holds("record.purpose icontains 'atm'"));
  EXPECT_TRUE(holds("record.purpose icontains 'SALARY'"));
  EXPECT_TRUE(holds("record.purpose startswith 'ATM'"));
  EXPECT_TRUE(holds("record.purpose endswith 'Salary'"));
  EXPECT_FALSE(holds("record.purpose endswith 'ATM'"));
  EXPECT_EQ(error("record.purpose contains 1"),
            "1:25: " + kIn + "'contains' needs string operands, got integer");
}

TEST_F(ExpressionCompilerTest, InAndNotInWithLiteralNamedAndParameterLists) {
  EXPECT_TRUE(holds("record.account in ['4305', x]"));
  EXPECT_FALSE(holds("record.account not in ['4305', x]"));
  EXPECT_TRUE(holds("'ATM' in cash_words"));
  EXPECT_TRUE(holds("'AT' not in cash_words"));
  EXPECT_TRUE(holds("'分期' in $lenders"));
  EXPECT_TRUE(holds("'4305' in [4305, 1.5]"));
  EXPECT_FALSE(holds("school.district in ['a']"));
  EXPECT_FALSE(holds("school.district not in ['a']"));
}

TEST_F(ExpressionCompilerTest, InNeedsStringAndList) {
  EXPECT_EQ(error("record.account in 'x'"),
            "1:19: " + kIn +
                "'in' needs a list on its right (a [ ] list, a named list or a list parameter), "
                "got string");
  EXPECT_EQ(error("record.amount in cash_words"),
            "1:1: " + kIn + "'in' needs a string on its left, got money");
  EXPECT_EQ(error("record.account in [a, record.id]"),
            "1:23: " + kIn + "a list item must be a word, a string or a number");
}

TEST_F(ExpressionCompilerTest, ListOutsideItsPlacesIsAnError) {
  EXPECT_EQ(error("cash_words"),
            "1:1: " + kIn +
                "a list can only follow 'in', 'not in' or 'contains_any', or be the argument of "
                "len()");
  EXPECT_EQ(error("lower($lenders)"),
            "1:7: " + kIn +
                "a list can only follow 'in', 'not in' or 'contains_any', or be the argument of "
                "len()");
  EXPECT_EQ(errors("[a] == [b]").size(), 2u);
}

TEST_F(ExpressionCompilerTest, ContainsAnyIgnoresAsciiCase) {
  EXPECT_TRUE(holds("record.purpose contains_any cash_words"));
  EXPECT_TRUE(holds("record.purpose contains_any payroll"));  // "Salary" matches "salary"
  EXPECT_TRUE(holds("counterparty.name contains_any $lenders"));
  EXPECT_FALSE(holds("record.account contains_any ['', x]"));
  EXPECT_TRUE(holds("contains_any(record.purpose, ['取现'])"));
}

// contains_any ignores ASCII case, so lower() on its left changes nothing
// (the compiler leaves it out).
TEST_F(ExpressionCompilerTest, LowerOnTheLeftOfContainsAnyChangesNothing) {
  for (const char* list : {"['atm']", "['ATM']", "['Salary']", "['取现']", "cash_words"}) {
    SCOPED_TRACE(list);
    EXPECT_TRUE(holds(std::string("lower(record.purpose) contains_any ") + list));
    EXPECT_TRUE(holds(std::string("record.purpose contains_any ") + list));
  }
  EXPECT_FALSE(holds("lower(record.purpose) contains_any ['atm-', 'salaries']"));
  EXPECT_FALSE(holds("lower(record.purpose) contains_any ['']"));
  EXPECT_EQ(error("lower(record.amount) contains_any ['1']"), error("lower(record.amount) == 'x'"));
}

TEST_F(ExpressionCompilerTest, MatchesSearchesWithAnEcmaScriptRegex) {
  EXPECT_TRUE(holds("record.account matches '^\\d{4}$'"));
  EXPECT_TRUE(holds("record.purpose matches '取现|现金'"));
  EXPECT_FALSE(holds("record.purpose matches '^Salary'"));
  EXPECT_FALSE(holds("school.district matches 'x'"));
}

TEST_F(ExpressionCompilerTest, BadRegexIsACompileError) {
  const std::string message = error("record.purpose matches '(abc'");
  EXPECT_EQ(message.rfind("1:24: " + kIn + "invalid regular expression '(abc': ", 0), 0u)
      << message;
  EXPECT_EQ(error("record.purpose matches record.account"),
            "1:24: " + kIn + "the pattern of 'matches' must be a string literal");
}

// ---- Functions ----------------------------------------------------------------------

TEST_F(ExpressionCompilerTest, Abs) {
  EXPECT_EQ(eval("abs(record.amount)").i, 123450);
  EXPECT_EQ(type_of("abs(record.amount)"), Money);
  EXPECT_EQ(eval("abs(-3)").i, 3);
  EXPECT_DOUBLE_EQ(eval("abs(-$share)").number, 0.8);
  EXPECT_EQ(eval("abs(-$window)").i, 72 * 3600);
}

TEST_F(ExpressionCompilerTest, LowerAndLen) {
  EXPECT_EQ(eval("lower(record.purpose)").text, "atm取现 salary");
  EXPECT_TRUE(holds("lower(record.purpose) contains 'salary'"));
  EXPECT_EQ(eval("len(cash_words)").i, 3);
  EXPECT_EQ(eval("len([a, b])").i, 2);
  EXPECT_EQ(eval("len($lenders)").i, 2);
  EXPECT_EQ(eval("len(record.purpose)").i, 12);  // characters, not bytes
}

TEST_F(ExpressionCompilerTest, DayIsTheBureauZoneDate) {
  EXPECT_EQ(type_of("day(record.time)"), Date);
  // 2024-10-08T00:30+08:00 is 2024-10-07 in UTC.
  EXPECT_EQ(eval("day(record.time)").i, day_of("2024-10-08"));
  context_.fields[FieldId::RecordTime] = Value::time(time_of("2024-10-07T23:59:59+08:00"));
  EXPECT_EQ(eval("day(record.time)").i, day_of("2024-10-07"));
}

TEST_F(ExpressionCompilerTest, DaysBetweenIsSecondMinusFirst) {
  EXPECT_EQ(eval("days_between(window.day, record.day)").i, 30);
  EXPECT_EQ(eval("days_between(record.day, window.day)").i, -30);
}

TEST_F(ExpressionCompilerTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(eval("add_months(record.day, 1)").i, day_of("2024-02-29"));
  context_.fields[FieldId::RecordDay] = Value::date(day_of("2023-01-31"));
  EXPECT_EQ(eval("add_months(record.day, 1)").i, day_of("2023-02-28"));
  EXPECT_EQ(eval("add_months(record.day, 3)").i, day_of("2023-04-30"));
  EXPECT_EQ(eval("add_months(record.day, -2)").i, day_of("2022-11-30"));
  EXPECT_EQ(eval("add_months(record.day, 12)").i, day_of("2024-01-31"));
  context_.fields[FieldId::RecordDay] = Value::date(day_of("2024-09-01"));
  EXPECT_EQ(eval("add_months(record.day, 3)").i, day_of("2024-12-01"));
  EXPECT_TRUE(eval("add_months(record.day, 999999999)").is_null());
}

TEST_F(ExpressionCompilerTest, MinMaxCoalesce) {
  EXPECT_EQ(eval("min(record.amount, 0)").i, -123450);
  EXPECT_EQ(eval("max(record.amount, 0.01)").i, 1);
  EXPECT_EQ(type_of("max(record.amount, 0.01)"), Money);
  EXPECT_DOUBLE_EQ(eval("max($share, 1)").number, 1.0);
  EXPECT_EQ(eval("min(record.day, window.day)").i, day_of("2024-01-01"));
  EXPECT_EQ(eval("max('a', 'b')").text, "b");
  EXPECT_TRUE(eval("max(school.min_balance, 1.00)").is_null());
  EXPECT_EQ(eval("coalesce(school.min_balance, 0)").i, 0);
  EXPECT_EQ(type_of("coalesce(school.min_balance, 0)"), Money);
  EXPECT_EQ(eval("coalesce(record.amount, 0)").i, -123450);
  EXPECT_EQ(eval("coalesce(null, 5)").i, 5);
  EXPECT_EQ(error("min(record.amount, record.day)"),
            "1:1: " + kIn + "'min' needs two arguments of the same type, got money and date");
  EXPECT_EQ(error("max(true, false)"), "1:1: " + kIn + "'max' cannot take bool");
}

TEST_F(ExpressionCompilerTest, ClosingBalanceIsTheLatestKnownOnOrBefore) {
  context_.balances = {{day_of("2024-01-30"), 500000}, {day_of("2024-02-02"), 700000}};
  EXPECT_EQ(type_of("closing_balance(record.day)"), Money);
  EXPECT_EQ(eval("closing_balance(record.day)").i, 500000);
  EXPECT_TRUE(eval("closing_balance(window.day)").is_null());
  EXPECT_FALSE(holds("closing_balance(window.day) < 1.00"));
  EXPECT_TRUE(holds("closing_balance(record.day - 1d) * 0.3 < 2000.00"));
}

TEST_F(ExpressionCompilerTest, FunctionErrors) {
  EXPECT_EQ(error("abs(1, 2)"), "1:1: " + kIn + "'abs' takes 1 argument, got 2");
  EXPECT_EQ(error("days_between(record.day)"),
            "1:1: " + kIn + "'days_between' takes 2 arguments, got 1");
  EXPECT_EQ(
      error("max(record.amount) > 0"),
      "1:1: " + kIn + "'max' takes 2 arguments, got 1 (over a window, min and max are aggregates)");
  EXPECT_EQ(error("record.debit and day(\n  record.day) == window.day"),
            "2:3: " + kIn + "argument 1 of 'day' must be time, got date");
  EXPECT_EQ(error("add_months(record.day, 1.5)"),
            "1:24: " + kIn + "argument 2 of 'add_months' must be integer, got number");
  EXPECT_EQ(
      error("abs(record.purpose)"),
      "1:5: " + kIn + "argument 1 of 'abs' must be integer, number, money or duration, got string");
  EXPECT_EQ(
      error("sum(record.amount) > 0"),
      "1:1: " + kIn + "'sum' is an aggregate: define it under 'aggregates:' and use its name");
  EXPECT_EQ(error("record.debit or frobnicate(1)"),
            "1:17: " + kIn + "unknown function 'frobnicate'");
}

TEST_F(ExpressionCompilerTest, NoItemNoPrefix) {
  scope_.item.clear();
  EXPECT_EQ(error("record.amout"),
            "1:1: unknown field 'record.amout' (did you mean 'record.amount'?)");
}

TEST_F(ExpressionCompilerTest, TemplateHolesCompileLikeExpressions) {
  const TemplateNode node = parse_template("账户 {record.account} 合计 {total}", {"t.yaml", 1, 1});
  EXPECT_EQ(format_value(compile_expression(node.holes[0], scope_)->eval(context_)), "4305");
  EXPECT_EQ(format_value(compile_expression(node.holes[1], scope_)->eval(context_)), "1999999.99");
}

// ---- format_value -------------------------------------------------------------------

TEST(FormatValue, EveryType) {
  EXPECT_EQ(format_value(Value::null()), "null");
  EXPECT_EQ(format_value(Value::boolean(true)), "true");
  EXPECT_EQ(format_value(Value::integer(-42)), "-42");
  EXPECT_EQ(format_value(Value::money(123450)), "1234.50");
  EXPECT_EQ(format_value(Value::money(-5)), "-0.05");
  EXPECT_EQ(format_value(Value::string("现金")), "现金");
  EXPECT_EQ(format_value(Value::date(day_of("2024-10-08"))), "2024-10-08");
  EXPECT_EQ(format_value(Value::time(time_of("2024-10-08T10:30:00Z"))),
            "2024-10-08T18:30:00+08:00");
}

TEST(FormatValue, NumbersHaveUpToFourDecimals) {
  EXPECT_EQ(format_value(Value::real(0.8)), "0.8");
  EXPECT_EQ(format_value(Value::real(3)), "3");
  EXPECT_EQ(format_value(Value::real(1.0 / 3)), "0.3333");
  EXPECT_EQ(format_value(Value::real(-0.5)), "-0.5");
  EXPECT_EQ(format_value(Value::real(-0.00001)), "0");
  EXPECT_EQ(format_value(Value::real(1234567.891)), "1234567.891");
}

TEST(FormatValue, DurationsAsWritten) {
  EXPECT_EQ(format_value(Value::duration(72 * 3600)), "72h");
  EXPECT_EQ(format_value(Value::duration(24 * 3600)), "24h");
  EXPECT_EQ(format_value(Value::duration(7 * 86400)), "7d");
  EXPECT_EQ(format_value(Value::duration(90 * 86400)), "90d");
  EXPECT_EQ(format_value(Value::duration(1800)), "30m");
  EXPECT_EQ(format_value(Value::duration(61)), "61s");
  EXPECT_EQ(format_value(Value::duration(0)), "0s");
  EXPECT_EQ(format_value(Value::duration(-7 * 86400)), "-7d");
}

TEST(FormatValue, Lists) {
  const std::vector<std::string> items{"a", "b c"};
  Value list{List};
  list.list = &items;
  EXPECT_EQ(format_value(list), "[a, b c]");
  list.list = nullptr;
  EXPECT_EQ(format_value(list), "[]");
}

TEST(ValueTypeNames, AllTypes) {
  EXPECT_STREQ(to_string(Money), "money");
  EXPECT_STREQ(to_string(Duration), "duration");
  EXPECT_STREQ(to_string(Null), "null");
  EXPECT_STREQ(to_string(List), "list");
}

TEST(DiagnosticText, LeavesOutUnknownParts) {
  EXPECT_EQ((Diagnostic{{"a.yaml", 3, 7}, "bad"}).to_string(), "a.yaml:3:7: bad");
  EXPECT_EQ((Diagnostic{{"a.yaml", 3, 0}, "bad"}).to_string(), "a.yaml:3: bad");
  EXPECT_EQ((Diagnostic{{"a.yaml", 0, 0}, "bad"}).to_string(), "a.yaml: bad");
  EXPECT_EQ((Diagnostic{{"", 0, 0}, "bad"}).to_string(), "bad");
}

TEST(DiagnosticText, PackErrorListsEveryProblem) {
  const PackError error({{{"a.yaml", 1, 2}, "one"}, {{"b.yaml", 3, 4}, "two"}});
  EXPECT_STREQ(error.what(), "a.yaml:1:2: one\nb.yaml:3:4: two");
  EXPECT_EQ(error.errors().size(), 2u);
}

}  // namespace
}  // namespace sfmon::rules::expression_compiler_test
