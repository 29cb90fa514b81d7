#include <gtest/gtest.h>

#include <string>

#include "sfmon/rules/diagnostic.h"
#include "sfmon/rules/expression.h"

namespace sfmon::rules::expression_parser_test {
namespace {

const SourceRef kOrigin{"rules/fund.yaml", 3, 14};

const char* op_name(ExprOp op) {
  switch (op) {
    case ExprOp::Not:
      return "not";
    case ExprOp::Neg:
      return "neg";
    case ExprOp::And:
      return "and";
    case ExprOp::Or:
      return "or";
    case ExprOp::Eq:
      return "==";
    case ExprOp::Ne:
      return "!=";
    case ExprOp::Lt:
      return "<";
    case ExprOp::Le:
      return "<=";
    case ExprOp::Gt:
      return ">";
    case ExprOp::Ge:
      return ">=";
    case ExprOp::In:
      return "in";
    case ExprOp::NotIn:
      return "not-in";
    case ExprOp::Contains:
      return "contains";
    case ExprOp::IContains:
      return "icontains";
    case ExprOp::StartsWith:
      return "startswith";
    case ExprOp::EndsWith:
      return "endswith";
    case ExprOp::Matches:
      return "matches";
    case ExprOp::ContainsAny:
      return "contains_any";
    case ExprOp::Add:
      return "+";
    case ExprOp::Sub:
      return "-";
    case ExprOp::Mul:
      return "*";
    case ExprOp::Div:
      return "/";
    default:
      return "?";
  }
}

// The tree as an S-expression: (op operand...), names and literals as written.
std::string tree(const ExprNode& node) {
  std::string text;
  switch (node.op) {
    case ExprOp::Literal:
    case ExprOp::Field:
    case ExprOp::Name:
      return node.name;
    case ExprOp::Param:
      return "$" + node.name;
    case ExprOp::ListLiteral:
      text = "[";
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        text += (i > 0 ? " " : "") + tree(node.children[i]);
      }
      return text + "]";
    case ExprOp::Call:
      text = "(" + node.name;
      break;
    default:
      text = std::string("(") + op_name(node.op);
      break;
  }
  for (const ExprNode& child : node.children) text += " " + tree(child);
  return text + ")";
}

std::string parsed(std::string_view text) {
  return tree(parse_expression(text, kOrigin));
}

// The single diagnostic of a syntax error as "line:column: message".
std::string syntax_error(std::string_view text) {
  try {
    parse_expression(text, kOrigin);
  } catch (const PackError& error) {
    EXPECT_EQ(error.errors().size(), 1u);
    const Diagnostic& d = error.errors().front();
    EXPECT_EQ(d.where.file, "rules/fund.yaml");
    return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message;
  }
  ADD_FAILURE() << "no error for: " << text;
  return "";
}

std::string position(const SourceRef& where) {
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

// ---- Precedence -------------------------------------------------------------------

TEST(ExpressionParser, AndBindsTighterThanOr) {
  EXPECT_EQ(parsed("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(parsed("a and b or c"), "(or (and a b) c)");
}

TEST(ExpressionParser, NotBindsLooserThanComparison) {
  EXPECT_EQ(parsed("not a == b"), "(not (== a b))");
  EXPECT_EQ(parsed("not not a"), "(not (not a))");
  EXPECT_EQ(parsed("a and not b"), "(and a (not b))");
}

TEST(ExpressionParser, UnaryMinusBindsTighterThanProduct) {
  EXPECT_EQ(parsed("-x * y"), "(* (neg x) y)");
  EXPECT_EQ(parsed("- -x"), "(neg (neg x))");
  EXPECT_EQ(parsed("a - -b"), "(- a (neg b))");
}

TEST(ExpressionParser, ArithmeticIsLeftAssociativeWithUsualPrecedence) {
  EXPECT_EQ(parsed("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(parsed("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(parsed("a / b / c"), "(/ (/ a b) c)");
  EXPECT_EQ(parsed("(a + b) * c"), "(* (+ a b) c)");
}

TEST(ExpressionParser, ComparisonsBindLooserThanArithmetic) {
  EXPECT_EQ(parsed("total >= 2 * $large_day_total"), "(>= total (* 2 $large_day_total))");
  EXPECT_EQ(parsed("a + 1 < b and c"), "(and (< (+ a 1) b) c)");
}

TEST(ExpressionParser, EveryComparisonOperator) {
  EXPECT_EQ(parsed("a == b"), "(== a b)");
  EXPECT_EQ(parsed("a != b"), "(!= a b)");
  EXPECT_EQ(parsed("a < b"), "(< a b)");
  EXPECT_EQ(parsed("a <= b"), "(<= a b)");
  EXPECT_EQ(parsed("a > b"), "(> a b)");
  EXPECT_EQ(parsed("a >= b"), "(>= a b)");
  EXPECT_EQ(parsed("a in b"), "(in a b)");
  EXPECT_EQ(parsed("a not in b"), "(not-in a b)");
  EXPECT_EQ(parsed("a contains b"), "(contains a b)");
  EXPECT_EQ(parsed("a icontains b"), "(icontains a b)");
  EXPECT_EQ(parsed("a startswith b"), "(startswith a b)");
  EXPECT_EQ(parsed("a endswith b"), "(endswith a b)");
  EXPECT_EQ(parsed("a matches 'x+'"), "(matches a 'x+')");
  EXPECT_EQ(parsed("a contains_any b"), "(contains_any a b)");
}

TEST(ExpressionParser, NotInVersusNotBeforeIn) {
  EXPECT_EQ(parsed("x not in [a, 'b c']"), "(not-in x [a 'b c'])");
  EXPECT_EQ(parsed("not x in l"), "(not (in x l))");
}

TEST(ExpressionParser, ContainsAnyHasAFunctionForm) {
  EXPECT_EQ(parsed("contains_any(record.purpose, cash_words)"),
            "(contains_any record.purpose cash_words)");
}

TEST(ExpressionParser, CallsFieldsNamesAndParams) {
  EXPECT_EQ(parsed("days_between(fee.day, record.day) > $window"),
            "(> (days_between fee.day record.day) $window)");
  EXPECT_EQ(parsed("f()"), "(f)");
  EXPECT_EQ(parsed("[]"), "[]");
  const ExprNode node = parse_expression("record.amount", kOrigin);
  EXPECT_EQ(node.op, ExprOp::Field);
  EXPECT_EQ(parse_expression("is_debit", kOrigin).op, ExprOp::Name);
  EXPECT_EQ(parse_expression("$limit", kOrigin).op, ExprOp::Param);
  EXPECT_EQ(parse_expression("$limit", kOrigin).name, "limit");
}

// ---- Literals ---------------------------------------------------------------------

TEST(ExpressionParser, IntegerAndDecimalLiteralsKeepTheirText) {
  const ExprNode integer = parse_expression("30", kOrigin);
  EXPECT_EQ(integer.literal.type, ValueType::Integer);
  EXPECT_EQ(integer.literal.i, 30);
  const ExprNode decimal = parse_expression("2000000.00", kOrigin);
  EXPECT_EQ(decimal.literal.type, ValueType::Number);
  EXPECT_EQ(decimal.name, "2000000.00");
  EXPECT_DOUBLE_EQ(decimal.literal.number, 2000000.0);
}

TEST(ExpressionParser, DurationsInSecondsMinutesHoursDays) {
  EXPECT_EQ(parse_expression("10s", kOrigin).literal.i, 10);
  EXPECT_EQ(parse_expression("30m", kOrigin).literal.i, 1800);
  EXPECT_EQ(parse_expression("72h", kOrigin).literal.i, 72 * 3600);
  const ExprNode days = parse_expression("7d", kOrigin);
  EXPECT_EQ(days.literal.type, ValueType::Duration);
  EXPECT_EQ(days.literal.i, 7 * 86400);
  EXPECT_EQ(days.name, "7d");
}

TEST(ExpressionParser, StringsInEitherQuoteWithEscapes) {
  EXPECT_EQ(parse_expression("'现金'", kOrigin).literal.text, "现金");
  EXPECT_EQ(parse_expression("\"x\"", kOrigin).literal.text, "x");
  EXPECT_EQ(parse_expression(R"('it\'s')", kOrigin).literal.text, "it's");
  EXPECT_EQ(parse_expression(R"('a\\b')", kOrigin).literal.text, "a\\b");
  // Other backslashes stay, so regular expressions read as written.
  EXPECT_EQ(parse_expression(R"('\d+')", kOrigin).literal.text, "\\d+");
  EXPECT_EQ(parse_expression("\"it's\"", kOrigin).literal.text, "it's");
}

TEST(ExpressionParser, StringLiteralOwnsItsText) {
  ExprNode copy;
  {
    const ExprNode node = parse_expression("'现金'", kOrigin);
    copy = node;
  }
  EXPECT_EQ(copy.literal.text, "现金");
  EXPECT_EQ(copy.name, "'现金'");
}

TEST(ExpressionParser, BooleanAndNullLiterals) {
  EXPECT_TRUE(parse_expression("true", kOrigin).literal.truthy());
  EXPECT_EQ(parse_expression("false", kOrigin).literal.type, ValueType::Bool);
  EXPECT_FALSE(parse_expression("false", kOrigin).literal.truthy());
  const ExprNode null = parse_expression("null", kOrigin);
  EXPECT_EQ(null.op, ExprOp::Literal);
  EXPECT_TRUE(null.literal.is_null());
}

TEST(ExpressionParser, UnicodeWordsAreNames) {
  EXPECT_EQ(parsed("[现金, 取现, ATM]"), "[现金 取现 ATM]");
}

// ---- Positions --------------------------------------------------------------------

TEST(ExpressionParser, PositionsAreAbsoluteFromTheOrigin) {
  const ExprNode node = parse_expression("a and b", kOrigin);
  EXPECT_EQ(position(node.where), "3:16");  // the operator
  EXPECT_EQ(position(node.children[0].where), "3:14");
  EXPECT_EQ(position(node.children[1].where), "3:20");
  EXPECT_EQ(node.children[1].where.file, "rules/fund.yaml");
}

TEST(ExpressionParser, NewlinesAdvanceTheLineAndRestartColumns) {
  const ExprNode node = parse_expression("a and\n  (b or\n\tc)", kOrigin);
  EXPECT_EQ(position(node.children[0].where), "3:14");
  const ExprNode& inner = node.children[1];
  EXPECT_EQ(position(inner.where), "4:6");
  EXPECT_EQ(position(inner.children[0].where), "4:4");
  EXPECT_EQ(position(inner.children[1].where), "5:2");
}

TEST(ExpressionParser, ColumnsCountCharactersNotBytes) {
  const ExprNode node = parse_expression("'现金' == x", kOrigin);
  EXPECT_EQ(position(node.where), "3:19");
  EXPECT_EQ(position(node.children[1].where), "3:22");
}

TEST(ExpressionParser, CallsAndListsSitAtTheirNameAndBracket) {
  const ExprNode node = parse_expression("x in [a, b] or f(y)", {"f.yaml", 1, 1});
  EXPECT_EQ(position(node.children[0].children[1].where), "1:6");
  EXPECT_EQ(position(node.children[0].children[1].children[1].where), "1:10");
  EXPECT_EQ(position(node.children[1].where), "1:16");
  EXPECT_EQ(position(node.children[1].children[0].where), "1:18");
}

// ---- Syntax errors ----------------------------------------------------------------

TEST(ExpressionParserErrors, UnclosedParenthesisNamesWhereItOpened) {
  EXPECT_EQ(syntax_error("(a and b"), "3:22: expected ')' to close '(' opened at 3:14");
  EXPECT_EQ(syntax_error("x and\n (a or b c"), "4:10: expected ')' to close '(' opened at 4:2");
}

TEST(ExpressionParserErrors, UnclosedCallAndList) {
  EXPECT_EQ(syntax_error("f(a, b"), "3:20: expected ')' to close '(' opened at 3:15");
  EXPECT_EQ(syntax_error("x in [a, b"), "3:24: expected ']' to close '[' opened at 3:19");
}

TEST(ExpressionParserErrors, UnexpectedEnd) {
  EXPECT_EQ(syntax_error("a and"), "3:19: unexpected end of expression");
  EXPECT_EQ(syntax_error("a +  "), "3:17: unexpected end of expression");
  EXPECT_EQ(syntax_error("f(a,"), "3:18: unexpected end of expression");
}

TEST(ExpressionParserErrors, EmptyExpression) {
  EXPECT_EQ(syntax_error(""), "3:14: empty expression");
  EXPECT_EQ(syntax_error("   "), "3:14: empty expression");
}

TEST(ExpressionParserErrors, UnterminatedStringPointsAtItsQuote) {
  EXPECT_EQ(syntax_error("a == 'abc"), "3:19: unterminated string");
  EXPECT_EQ(syntax_error(R"(a == "abc\")"), "3:19: unterminated string");
}

TEST(ExpressionParserErrors, SingleEqualsSuggestsDoubleEquals) {
  EXPECT_EQ(syntax_error("a = b"), "3:16: unknown operator '=' (did you mean '==')");
  EXPECT_EQ(syntax_error("a => b"), "3:16: unknown operator '=>' (did you mean '>=')");
  EXPECT_EQ(syntax_error("a <> b"), "3:16: unknown operator '<>' (did you mean '!=')");
}

TEST(ExpressionParserErrors, CStyleLogicSuggestsWords) {
  EXPECT_EQ(syntax_error("a && b"), "3:16: unknown operator '&&' (did you mean 'and')");
  EXPECT_EQ(syntax_error("a || b"), "3:16: unknown operator '||' (did you mean 'or')");
  EXPECT_EQ(syntax_error("!a"), "3:14: unknown operator '!' (did you mean 'not')");
}

TEST(ExpressionParserErrors, UppercaseKeywordIsExplained) {
  EXPECT_EQ(syntax_error("a AND b"), "3:16: unexpected 'AND' (operators are lowercase: 'and')");
}

TEST(ExpressionParserErrors, TwoOperandsWithoutOperator) {
  EXPECT_EQ(syntax_error("a b"),
            "3:16: unexpected 'b' (expected an operator or the end of the expression)");
}

TEST(ExpressionParserErrors, UnmatchedClosingBracket) {
  EXPECT_EQ(syntax_error("a)"), "3:15: unmatched ')'");
  EXPECT_EQ(syntax_error("a]"), "3:15: unmatched ']'");
}

TEST(ExpressionParserErrors, OperatorWhereAValueBelongs) {
  EXPECT_EQ(syntax_error("a and or b"), "3:20: expected a value, found 'or'");
  EXPECT_EQ(syntax_error("* b"), "3:14: expected a value, found '*'");
}

TEST(ExpressionParserErrors, ComparisonsDoNotChain) {
  EXPECT_EQ(syntax_error("a < b < c"),
            "3:20: comparisons do not chain: '<' after a comparison (combine them with 'and')");
}

TEST(ExpressionParserErrors, BadNumbersAndDurations) {
  EXPECT_EQ(syntax_error("30min"),
            "3:14: invalid number '30min' (durations are written like 30m, 72h, 7d)");
  EXPECT_EQ(syntax_error("1.5h"),
            "3:14: invalid number '1.5h' (durations are whole numbers, e.g. 90m)");
  EXPECT_EQ(syntax_error("1."), "3:14: invalid number '1.' (write digits after the '.')");
  EXPECT_EQ(syntax_error("99999999999999999999"),
            "3:14: integer '99999999999999999999' is out of range");
  EXPECT_EQ(syntax_error("999999999999999999d"),
            "3:14: duration '999999999999999999d' is out of range");
}

TEST(ExpressionParserErrors, BadNamesAndParameters) {
  EXPECT_EQ(syntax_error("record."), "3:14: expected a name after '.' in 'record.'");
  EXPECT_EQ(syntax_error("$ x"), "3:14: expected a parameter name after '$'");
}

TEST(ExpressionParserErrors, FullWidthPunctuationGetsAHint) {
  EXPECT_EQ(syntax_error("f（a）"), "3:15: unexpected character '（' (did you mean '('?)");
  EXPECT_EQ(syntax_error("a == ‘x’"), "3:19: unexpected character '‘' (did you mean '''?)");
}

TEST(ExpressionParserErrors, StrayCharactersAndBytes) {
  EXPECT_EQ(syntax_error("a # b"), "3:16: unexpected character '#'");
  EXPECT_EQ(syntax_error("a {b}"), "3:16: unexpected character '{'");
  EXPECT_EQ(syntax_error(std::string("a \xff")), "3:16: invalid UTF-8 byte 0xFF");
  EXPECT_EQ(syntax_error(std::string("a \x01")), "3:16: unexpected control character U+0001");
}

TEST(ExpressionParserErrors, DeepNestingIsRefused) {
  const std::string deep = std::string(150, '(') + "a" + std::string(150, ')');
  EXPECT_NE(syntax_error(deep).find("nested too deeply"), std::string::npos);
  std::string chain = "a";
  for (int i = 0; i < 1200; ++i) chain += " + a";
  EXPECT_NE(syntax_error(chain).find("too long"), std::string::npos);
}

TEST(ExpressionParserErrors, DiagnosticPrintsFileLineColumn) {
  try {
    parse_expression("a = b", kOrigin);
    FAIL() << "no error";
  } catch (const PackError& error) {
    EXPECT_EQ(error.errors()[0].to_string(),
              "rules/fund.yaml:3:16: unknown operator '=' (did you mean '==')");
    EXPECT_STREQ(error.what(), "rules/fund.yaml:3:16: unknown operator '=' (did you mean '==')");
  }
}

// ---- Aggregates -------------------------------------------------------------------

AggregateNode aggregate(std::string_view text) {
  return parse_aggregate(text, kOrigin);
}

std::string aggregate_error(std::string_view text) {
  try {
    parse_aggregate(text, kOrigin);
  } catch (const PackError& error) {
    const Diagnostic& d = error.errors().front();
    return position(d.where) + ": " + d.message;
  }
  ADD_FAILURE() << "no error for: " << text;
  return "";
}

TEST(AggregateParser, SumWithFilter) {
  const AggregateNode node = aggregate("sum(-record.amount) where record.debit");
  EXPECT_EQ(node.func, AggregateFunc::Sum);
  EXPECT_EQ(position(node.where), "3:14");
  ASSERT_TRUE(node.argument);
  EXPECT_EQ(tree(*node.argument), "(neg record.amount)");
  ASSERT_TRUE(node.filter);
  EXPECT_EQ(tree(*node.filter), "record.debit");
  EXPECT_EQ(position(node.filter->where), "3:40");
}

TEST(AggregateParser, CountHasNoArgument) {
  const AggregateNode node = aggregate("count()");
  EXPECT_EQ(node.func, AggregateFunc::Count);
  EXPECT_FALSE(node.argument);
  EXPECT_FALSE(node.filter);
}

TEST(AggregateParser, EveryFunction) {
  EXPECT_EQ(aggregate("distinct(counterparty.key)").func, AggregateFunc::Distinct);
  EXPECT_EQ(aggregate("min(record.amount)").func, AggregateFunc::Min);
  EXPECT_EQ(aggregate("max(record.amount)").func, AggregateFunc::Max);
  EXPECT_EQ(aggregate("mean(record.amount)").func, AggregateFunc::Mean);
  EXPECT_EQ(aggregate("stddev(record.amount)").func, AggregateFunc::Stddev);
}

TEST(AggregateParser, QuantileTakesALiteralQ) {
  const AggregateNode node = aggregate("quantile(record.amount, 0.9)");
  EXPECT_EQ(node.func, AggregateFunc::Quantile);
  EXPECT_DOUBLE_EQ(node.quantile, 0.9);
  EXPECT_EQ(aggregate("quantile(record.amount, 1)").quantile, 1.0);
  EXPECT_EQ(aggregate_error("quantile(record.amount, 2)"),
            "3:38: the q of quantile(x, q) must be a number from 0 to 1");
  EXPECT_EQ(aggregate_error("quantile(record.amount, $q)"),
            "3:38: the q of quantile(x, q) must be a number from 0 to 1");
}

TEST(AggregateParser, UnknownAggregateSuggests) {
  EXPECT_EQ(aggregate_error("summ(record.amount)"),
            "3:14: unknown aggregate 'summ' (did you mean 'sum'?); aggregates are sum, count, "
            "distinct, min, max, mean, stddev, quantile");
}

TEST(AggregateParser, WrongArgumentCounts) {
  EXPECT_EQ(aggregate_error("count(record.id)"), "3:14: count() takes no argument, got 1");
  EXPECT_EQ(aggregate_error("sum()"), "3:14: sum(x) takes 1 argument, got 0");
  EXPECT_EQ(aggregate_error("quantile(x)"), "3:14: quantile(x, q) takes 2 arguments, got 1");
}

TEST(AggregateParser, NotAnAggregate) {
  EXPECT_EQ(aggregate_error("record.amount"),
            "3:14: expected an aggregate such as sum(x) or count(), found 'record.amount'");
  EXPECT_EQ(aggregate_error(""), "3:14: empty aggregate");
  EXPECT_EQ(aggregate_error("sum(x) + 1"),
            "3:21: unexpected '+' (expected an operator or the end of the expression)");
  EXPECT_EQ(aggregate_error("sum(x) where"), "3:26: expected a condition after 'where'");
}

// ---- Templates --------------------------------------------------------------------

TEST(TemplateParser, LiteralsAroundHoles) {
  const TemplateNode node =
      parse_template("账户 {record.account} 在 {window.day} 转出合计 {total}", kOrigin);
  ASSERT_EQ(node.holes.size(), 3u);
  ASSERT_EQ(node.literals.size(), 4u);
  EXPECT_EQ(node.literals[0], "账户 ");
  EXPECT_EQ(node.literals[1], " 在 ");
  EXPECT_EQ(node.literals[2], " 转出合计 ");
  EXPECT_EQ(node.literals[3], "");
  EXPECT_EQ(tree(node.holes[0]), "record.account");
  EXPECT_EQ(tree(node.holes[2]), "total");
}

TEST(TemplateParser, HolePositionsAreAbsolute) {
  const TemplateNode node = parse_template("账户 {record.account}\nday {a + b}", kOrigin);
  EXPECT_EQ(position(node.holes[0].where), "3:18");
  EXPECT_EQ(position(node.holes[1].where), "4:8");  // the '+'
  EXPECT_EQ(position(node.holes[1].children[0].where), "4:6");
}

TEST(TemplateParser, DoubledBracesAreLiteral) {
  const TemplateNode node = parse_template("{{literal}} {x}}}", kOrigin);
  ASSERT_EQ(node.holes.size(), 1u);
  EXPECT_EQ(node.literals[0], "{literal} ");
  EXPECT_EQ(node.literals[1], "}");
}

TEST(TemplateParser, NoHoles) {
  const TemplateNode node = parse_template("plain text", kOrigin);
  EXPECT_TRUE(node.holes.empty());
  ASSERT_EQ(node.literals.size(), 1u);
  EXPECT_EQ(node.literals[0], "plain text");
}

TEST(TemplateParser, BraceInsideAStringDoesNotCloseTheHole) {
  const TemplateNode node = parse_template("{lower('a}')}!", kOrigin);
  ASSERT_EQ(node.holes.size(), 1u);
  EXPECT_EQ(tree(node.holes[0]), "(lower 'a}')");
  EXPECT_EQ(node.literals[1], "!");
}

std::string template_error(std::string_view text) {
  try {
    parse_template(text, kOrigin);
  } catch (const PackError& error) {
    const Diagnostic& d = error.errors().front();
    return position(d.where) + ": " + d.message;
  }
  ADD_FAILURE() << "no error for: " << text;
  return "";
}

TEST(TemplateParser, Errors) {
  EXPECT_EQ(template_error("a {b"),
            "3:16: unterminated '{' in template (write '{{' for a literal brace)");
  EXPECT_EQ(template_error("a } b"),
            "3:16: unmatched '}' in template (write '}}' for a literal brace)");
  EXPECT_EQ(template_error("a { } b"), "3:16: empty '{}' in template");
  EXPECT_EQ(template_error("x\n {a b}"),
            "4:5: unexpected 'b' (expected an operator or the end of the expression)");
}

}  // namespace
}  // namespace sfmon::rules::expression_parser_test
