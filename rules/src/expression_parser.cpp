// Recursive-descent parser for expressions, aggregates and templates
// (docs/rules.md "Expressions"). Precedence, lowest first:
//   or; and; not; comparisons (non-associative); + -; * /; unary -; primary.
// Binary and unary nodes sit at their operator's position, calls at the
// function name, lists at '['.

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <utility>

#include "expression_lexer.h"
#include "expression_suggest.h"
#include "sfmon/rules/expression.h"

namespace sfmon::rules {
namespace {

using lexer::Token;
using lexer::TokenKind;

// Bounds that keep recursion (here, in the compiler and in evaluation) far
// from the stack's limit whatever the input; real rules stay far below them.
constexpr int kMaxNesting = 100;
constexpr int kMaxOperators = 1000;

std::string position_text(const Token& token) {
  return std::to_string(token.line) + ":" + std::to_string(token.column);
}

std::optional<ExprOp> comparison_op(TokenKind kind) {
  switch (kind) {
    case TokenKind::Eq:
      return ExprOp::Eq;
    case TokenKind::Ne:
      return ExprOp::Ne;
    case TokenKind::Lt:
      return ExprOp::Lt;
    case TokenKind::Le:
      return ExprOp::Le;
    case TokenKind::Gt:
      return ExprOp::Gt;
    case TokenKind::Ge:
      return ExprOp::Ge;
    case TokenKind::In:
      return ExprOp::In;
    case TokenKind::Contains:
      return ExprOp::Contains;
    case TokenKind::IContains:
      return ExprOp::IContains;
    case TokenKind::StartsWith:
      return ExprOp::StartsWith;
    case TokenKind::EndsWith:
      return ExprOp::EndsWith;
    case TokenKind::Matches:
      return ExprOp::Matches;
    case TokenKind::ContainsAny:
      return ExprOp::ContainsAny;
    default:
      return std::nullopt;
  }
}

struct AggregateName {
  std::string_view name;
  AggregateFunc func;
  int arguments;
};
constexpr AggregateName kAggregates[] = {
    {"sum", AggregateFunc::Sum, 1},           {"count", AggregateFunc::Count, 0},
    {"distinct", AggregateFunc::Distinct, 1}, {"min", AggregateFunc::Min, 1},
    {"max", AggregateFunc::Max, 1},           {"mean", AggregateFunc::Mean, 1},
    {"stddev", AggregateFunc::Stddev, 1},     {"quantile", AggregateFunc::Quantile, 2},
};

class Parser {
 public:
  Parser(std::string_view text, const SourceRef& origin)
      : tokens_(lexer::tokenize(text, origin)), file_(origin.file) {}

  ExprNode whole_expression() {
    if (peek().kind == TokenKind::End) fail(peek(), "empty expression");
    ExprNode node = parse_or();
    expect_end();
    return node;
  }

  AggregateNode whole_aggregate() {
    const Token& first = peek();
    if (first.kind == TokenKind::End) fail(first, "empty aggregate");
    if (first.kind != TokenKind::Identifier || peek(1).kind != TokenKind::LParen) {
      fail(first,
           "expected an aggregate such as sum(x) or count(), found " + lexer::describe(first));
    }
    const AggregateName* spec = find_aggregate(first);
    AggregateNode aggregate;
    aggregate.func = spec->func;
    aggregate.where = at(first);
    ExprNode call = parse_primary();
    check_aggregate_arguments(*spec, first, call, aggregate);
    if (peek().kind == TokenKind::Identifier && peek().text == "where") {
      take();
      if (peek().kind == TokenKind::End) fail(peek(), "expected a condition after 'where'");
      aggregate.filter = parse_or();
    }
    expect_end();
    return aggregate;
  }

 private:
  // Counts nesting depth for as long as it lives.
  class Nesting {
   public:
    Nesting(Parser& parser, const Token& token) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting) {
        parser_.fail(token, "expression nested too deeply (more than " +
                                std::to_string(kMaxNesting) + " levels)");
      }
    }
    ~Nesting() { --parser_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };

  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& take() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }

  SourceRef at(const Token& token) const { return SourceRef{file_, token.line, token.column}; }

  [[noreturn]] void fail(const Token& token, std::string message) const {
    lexer::fail(file_, token.line, token.column, std::move(message));
  }

  ExprNode node_at(ExprOp op, const Token& token) const {
    ExprNode node;
    node.op = op;
    node.where = at(token);
    return node;
  }

  void count_operator(const Token& token) {
    if (++operators_ > kMaxOperators) {
      fail(token,
           "expression too long (more than " + std::to_string(kMaxOperators) + " operators)");
    }
  }

  ExprNode operation(ExprOp op, const Token& token, std::vector<ExprNode> operands) {
    count_operator(token);
    ExprNode node = node_at(op, token);
    node.children = std::move(operands);
    return node;
  }

  void expect_end() const {
    const Token& token = peek();
    if (token.kind == TokenKind::End) return;
    if (token.kind == TokenKind::RParen || token.kind == TokenKind::RBracket) {
      fail(token, "unmatched " + lexer::describe(token));
    }
    std::string message = "unexpected " + lexer::describe(token) +
                          " (expected an operator or the end of the expression)";
    if (token.kind == TokenKind::Identifier) {
      std::string lower(token.text);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower == "and" || lower == "or" || lower == "not" || lower == "in") {
        message =
            "unexpected " + lexer::describe(token) + " (operators are lowercase: '" + lower + "')";
      }
    }
    fail(token, std::move(message));
  }

  void expect_close(TokenKind kind, const Token& open) const {
    if (peek().kind == kind) return;
    const char* close = kind == TokenKind::RParen ? ")" : "]";
    fail(peek(), std::string("expected '") + close + "' to close '" + std::string(open.text) +
                     "' opened at " + position_text(open));
  }

  ExprNode parse_or() {
    Nesting nesting(*this, peek());
    ExprNode left = parse_and();
    while (peek().kind == TokenKind::Or) {
      const Token& op = take();
      ExprNode right = parse_and();
      left = operation(ExprOp::Or, op, {std::move(left), std::move(right)});
    }
    return left;
  }

  ExprNode parse_and() {
    ExprNode left = parse_not();
    while (peek().kind == TokenKind::And) {
      const Token& op = take();
      ExprNode right = parse_not();
      left = operation(ExprOp::And, op, {std::move(left), std::move(right)});
    }
    return left;
  }

  ExprNode parse_not() {
    if (peek().kind == TokenKind::Not && peek(1).kind != TokenKind::In) {
      const Token& op = take();
      Nesting nesting(*this, op);
      ExprNode operand = parse_not();
      return operation(ExprOp::Not, op, {std::move(operand)});
    }
    return parse_comparison();
  }

  // The comparison operator at the current token, taking `not in` as one.
  std::optional<ExprOp> peek_comparison() const {
    if (peek().kind == TokenKind::Not && peek(1).kind == TokenKind::In) return ExprOp::NotIn;
    return comparison_op(peek().kind);
  }

  ExprNode parse_comparison() {
    ExprNode left = parse_additive();
    const std::optional<ExprOp> op = peek_comparison();
    if (!op) return left;
    const Token& op_token = take();
    if (*op == ExprOp::NotIn) take();
    ExprNode right = parse_additive();
    ExprNode node = operation(*op, op_token, {std::move(left), std::move(right)});
    if (peek_comparison()) {
      fail(peek(), "comparisons do not chain: " + lexer::describe(peek()) +
                       " after a comparison (combine them with 'and')");
    }
    return node;
  }

  ExprNode parse_additive() {
    ExprNode left = parse_multiplicative();
    while (peek().kind == TokenKind::Plus || peek().kind == TokenKind::Minus) {
      const Token& op = take();
      ExprNode right = parse_multiplicative();
      left = operation(op.kind == TokenKind::Plus ? ExprOp::Add : ExprOp::Sub, op,
                       {std::move(left), std::move(right)});
    }
    return left;
  }

  ExprNode parse_multiplicative() {
    ExprNode left = parse_unary();
    while (peek().kind == TokenKind::Star || peek().kind == TokenKind::Slash) {
      const Token& op = take();
      ExprNode right = parse_unary();
      left = operation(op.kind == TokenKind::Star ? ExprOp::Mul : ExprOp::Div, op,
                       {std::move(left), std::move(right)});
    }
    return left;
  }

  ExprNode parse_unary() {
    if (peek().kind == TokenKind::Minus) {
      const Token& op = take();
      Nesting nesting(*this, op);
      ExprNode operand = parse_unary();
      return operation(ExprOp::Neg, op, {std::move(operand)});
    }
    return parse_primary();
  }

  ExprNode literal(const Token& token, Value value) const {
    ExprNode node = node_at(ExprOp::Literal, token);
    node.name = std::string(token.text);
    node.literal = std::move(value);
    return node;
  }

  // Arguments after '(' up to and including ')'.
  std::vector<ExprNode> arguments(const Token& open) {
    std::vector<ExprNode> items;
    if (peek().kind == TokenKind::RParen) {
      take();
      return items;
    }
    while (true) {
      items.push_back(parse_or());
      if (peek().kind == TokenKind::Comma) {
        take();
        continue;
      }
      expect_close(TokenKind::RParen, open);
      take();
      return items;
    }
  }

  ExprNode list_literal(const Token& open) {
    ExprNode node = node_at(ExprOp::ListLiteral, open);
    if (peek().kind == TokenKind::RBracket) {
      take();
      return node;
    }
    while (true) {
      node.children.push_back(parse_or());
      if (peek().kind == TokenKind::Comma) {
        take();
        continue;
      }
      expect_close(TokenKind::RBracket, open);
      take();
      return node;
    }
  }

  ExprNode parse_primary() {
    const Token& token = take();
    switch (token.kind) {
      case TokenKind::Integer:
        return literal(token, Value::integer(token.integer));
      case TokenKind::Decimal:
        return literal(token, Value::real(token.number));
      case TokenKind::Duration:
        return literal(token, Value::duration(token.integer));
      case TokenKind::True:
        return literal(token, Value::boolean(true));
      case TokenKind::False:
        return literal(token, Value::boolean(false));
      case TokenKind::Null:
        return literal(token, Value::null());
      case TokenKind::String: {
        Value value = Value::string({});
        value.owned = std::make_shared<const std::string>(token.value);
        value.text = *value.owned;
        return literal(token, std::move(value));
      }
      case TokenKind::LParen: {
        ExprNode inner = parse_or();
        expect_close(TokenKind::RParen, token);
        take();
        return inner;
      }
      case TokenKind::LBracket:
        return list_literal(token);
      case TokenKind::Param: {
        ExprNode node = node_at(ExprOp::Param, token);
        node.name = token.value;
        return node;
      }
      case TokenKind::Identifier: {
        if (peek().kind == TokenKind::LParen) {
          const Token& open = take();
          ExprNode node = node_at(ExprOp::Call, token);
          node.name = std::string(token.text);
          node.children = arguments(open);
          return node;
        }
        const bool dotted = token.text.find('.') != std::string_view::npos;
        ExprNode node = node_at(dotted ? ExprOp::Field : ExprOp::Name, token);
        node.name = std::string(token.text);
        return node;
      }
      case TokenKind::ContainsAny:
        // The function form contains_any(text, list) of the operator.
        if (peek().kind == TokenKind::LParen) {
          const Token& open = take();
          ExprNode node = node_at(ExprOp::ContainsAny, token);
          node.children = arguments(open);
          if (node.children.size() != 2) {
            fail(token, "contains_any(text, list) takes 2 arguments, got " +
                            std::to_string(node.children.size()));
          }
          count_operator(token);
          return node;
        }
        break;
      case TokenKind::End:
        fail(token, "unexpected end of expression");
      default:
        break;
    }
    fail(token, "expected a value, found " + lexer::describe(token));
  }

  const AggregateName* find_aggregate(const Token& token) const {
    for (const AggregateName& spec : kAggregates) {
      if (spec.name == token.text) return &spec;
    }
    std::vector<std::string_view> names;
    for (const AggregateName& spec : kAggregates) names.push_back(spec.name);
    fail(token, "unknown aggregate '" + std::string(token.text) + "'" +
                    did_you_mean(token.text, names) +
                    "; aggregates are sum, count, distinct, min, max, mean, stddev, quantile");
  }

  void check_aggregate_arguments(const AggregateName& spec, const Token& name_token, ExprNode& call,
                                 AggregateNode& aggregate) const {
    const std::string name(spec.name);
    const auto given = static_cast<int>(call.children.size());
    if (given != spec.arguments) {
      switch (spec.arguments) {
        case 0:
          fail(name_token, name + "() takes no argument, got " + std::to_string(given));
        case 1:
          fail(name_token, name + "(x) takes 1 argument, got " + std::to_string(given));
        default:
          fail(name_token, name + "(x, q) takes 2 arguments, got " + std::to_string(given));
      }
    }
    if (spec.func == AggregateFunc::Quantile) {
      const ExprNode& q = call.children[1];
      const bool numeric = q.op == ExprOp::Literal && (q.literal.type == ValueType::Integer ||
                                                       q.literal.type == ValueType::Number);
      const double value = q.literal.type == ValueType::Integer ? static_cast<double>(q.literal.i)
                                                                : q.literal.number;
      if (!numeric || value < 0 || value > 1) {
        throw PackError(
            {Diagnostic{q.where, "the q of quantile(x, q) must be a number from 0 to 1"}});
      }
      aggregate.quantile = value;
    }
    if (!call.children.empty()) aggregate.argument = std::move(call.children[0]);
  }

  std::vector<Token> tokens_;
  std::string file_;
  std::size_t pos_ = 0;
  int nesting_ = 0;
  int operators_ = 0;
};

// Index of the '}' ending a template hole that starts at `from`, skipping
// quoted strings (a '}' may appear in one); npos when there is none.
std::size_t hole_end(std::string_view text, std::size_t from) {
  char quote = 0;
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\' && i + 1 < text.size() && (text[i + 1] == quote || text[i + 1] == '\\')) {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

}  // namespace

ExprNode parse_expression(std::string_view text, const SourceRef& origin) {
  return Parser(text, origin).whole_expression();
}

AggregateNode parse_aggregate(std::string_view text, const SourceRef& origin) {
  return Parser(text, origin).whole_aggregate();
}

TemplateNode parse_template(std::string_view text, const SourceRef& origin) {
  TemplateNode result;
  result.literals.emplace_back();
  lexer::PositionTracker tracker(origin);
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if ((c == '{' && next == '{') || (c == '}' && next == '}')) {
      result.literals.back() += c;
      i += 2;
      continue;
    }
    if (c == '}') {
      tracker.advance_to(text, i);
      lexer::fail(origin.file, tracker.line(), tracker.column(),
                  "unmatched '}' in template (write '}}' for a literal brace)");
    }
    if (c != '{') {
      result.literals.back() += c;
      ++i;
      continue;
    }
    tracker.advance_to(text, i);
    const int open_line = tracker.line();
    const int open_column = tracker.column();
    const std::size_t close = hole_end(text, i + 1);
    if (close == std::string_view::npos) {
      lexer::fail(origin.file, open_line, open_column,
                  "unterminated '{' in template (write '{{' for a literal brace)");
    }
    const std::string_view hole = text.substr(i + 1, close - i - 1);
    if (is_blank(hole)) lexer::fail(origin.file, open_line, open_column, "empty '{}' in template");
    tracker.advance_to(text, i + 1);
    result.holes.push_back(
        parse_expression(hole, SourceRef{origin.file, tracker.line(), tracker.column()}));
    result.literals.emplace_back();
    i = close + 1;
  }
  return result;
}

}  // namespace sfmon::rules
