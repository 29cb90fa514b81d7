// Type rules of docs/rules.md "Expressions": names and fields resolved,
// macros inlined, operand types checked, every operator given the node that
// computes it. Function calls are in expression_compiler_calls.cpp.

#include "expression_compiler.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <regex>
#include <utility>

#include "expression_operations.h"
#include "expression_suggest.h"
#include "fact_fields.h"
#include "sfmon/model/money.h"

namespace sfmon::rules {
namespace compiler {
namespace {

const char* operator_text(ExprOp op) {
  switch (op) {
    case ExprOp::Not:
      return "not";
    case ExprOp::Neg:
      return "-";
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
      return "not in";
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

std::string quoted(ExprOp op) {
  return std::string("'") + operator_text(op) + "'";
}
std::string type_name(ValueType type) {
  return to_string(type);
}

bool is_ordering(ExprOp op) {
  return op == ExprOp::Lt || op == ExprOp::Le || op == ExprOp::Gt || op == ExprOp::Ge;
}

bool is_null_literal(const ExprNode& node) {
  return node.op == ExprOp::Literal && node.literal.type == ValueType::Null;
}

// The kind of fact that `record.kind == 'fee'` (either way round, or with
// !=) names, as a FactMask bit; nullopt for any other comparison.
std::optional<unsigned> named_fact_kind(const ExprNode& node) {
  if (node.op != ExprOp::Eq && node.op != ExprOp::Ne) return std::nullopt;
  for (std::size_t side = 0; side < 2; ++side) {
    const ExprNode& field = node.children[side];
    const ExprNode& literal = node.children[1 - side];
    if (field.op != ExprOp::Field || literal.op != ExprOp::Literal ||
        literal.literal.type != ValueType::String) {
      continue;
    }
    const FieldInfo* info = find_field(field.name);
    if (info == nullptr || info->id != FieldId::RecordKind) continue;
    for (const FactKind kind : {FactKind::Bank, FactKind::Fee, FactKind::Balance}) {
      if (literal.literal.text == to_string(kind)) return fact_kind_bit(kind);
    }
  }
  return std::nullopt;
}

bool before(const SourceRef& a, const SourceRef& b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

// "bank records", "bank or balance records".
std::string fact_kinds_name(unsigned facts) {
  std::string text;
  for (const auto& [bit, name] : {std::pair{kBankFacts, "bank"}, std::pair{kFeeFacts, "fee"},
                                  std::pair{kBalanceFacts, "balance"}}) {
    if ((facts & bit) == 0) continue;
    if (!text.empty()) text += " or ";
    text += name;
  }
  return text + " records";
}

// "72h" of a duration literal, for messages.
std::string literal_text(const ExprNode& node) {
  if (!node.name.empty()) return node.name;
  if (node.literal.type == ValueType::Integer) return std::to_string(node.literal.i);
  if (node.literal.type == ValueType::String) return "'" + std::string(node.literal.text) + "'";
  return format_value(node.literal);
}

// The literal's decimal text with its sign, for exact conversion to money.
std::string numeric_literal_text(const ExprNode& node) {
  if (node.op == ExprOp::Neg) {
    const std::string inner = numeric_literal_text(node.children[0]);
    return inner.starts_with('-') ? inner.substr(1) : "-" + inner;
  }
  if (!node.name.empty()) return node.name;
  if (node.literal.type == ValueType::Integer) return std::to_string(node.literal.i);
  char buffer[64];  // hand-made AST without text: the shortest exact form a double holds
  std::snprintf(buffer, sizeof buffer, "%.15g", node.literal.number);
  return buffer;
}

struct ComparisonTests {
  nodes::TestFactory equal, not_equal, less, less_equal, greater, greater_equal;
};
constexpr ComparisonTests kInt64Tests{
    &nodes::test<&ops::equal_int64>,   &nodes::test<&ops::not_equal_int64>,
    &nodes::test<&ops::less_int64>,    &nodes::test<&ops::less_equal_int64>,
    &nodes::test<&ops::greater_int64>, &nodes::test<&ops::greater_equal_int64>};
constexpr ComparisonTests kNumberTests{
    &nodes::test<&ops::equal_number>,   &nodes::test<&ops::not_equal_number>,
    &nodes::test<&ops::less_number>,    &nodes::test<&ops::less_equal_number>,
    &nodes::test<&ops::greater_number>, &nodes::test<&ops::greater_equal_number>};
constexpr ComparisonTests kStringTests{
    &nodes::test<&ops::equal_string>,   &nodes::test<&ops::not_equal_string>,
    &nodes::test<&ops::less_string>,    &nodes::test<&ops::less_equal_string>,
    &nodes::test<&ops::greater_string>, &nodes::test<&ops::greater_equal_string>};

nodes::TestFactory pick(const ComparisonTests& tests, ExprOp op) {
  switch (op) {
    case ExprOp::Eq:
      return tests.equal;
    case ExprOp::Ne:
      return tests.not_equal;
    case ExprOp::Lt:
      return tests.less;
    case ExprOp::Le:
      return tests.less_equal;
    case ExprOp::Gt:
      return tests.greater;
    default:
      return tests.greater_equal;
  }
}

struct ArithmeticRule {
  ExprOp op;
  ValueType left;
  ValueType right;
  ValueType result;
  nodes::BinaryFactory make;
  bool swap = false;  // the node takes (right, left): number × money is money × number
};

using enum ValueType;
constexpr ArithmeticRule kArithmetic[] = {
    {ExprOp::Add, Integer, Integer, Integer, &nodes::binary<&ops::add_int64>},
    {ExprOp::Add, Number, Number, Number, &nodes::binary<&ops::add_number>},
    {ExprOp::Add, Money, Money, Money, &nodes::binary<&ops::add_int64>},
    {ExprOp::Add, Duration, Duration, Duration, &nodes::binary<&ops::add_int64>},
    {ExprOp::Add, Time, Duration, Time, &nodes::binary<&ops::add_int64>},
    {ExprOp::Add, Duration, Time, Time, &nodes::binary<&ops::add_int64>, true},
    {ExprOp::Add, Date, Duration, Date, &nodes::binary<&ops::date_plus_duration>},
    {ExprOp::Add, Duration, Date, Date, &nodes::binary<&ops::date_plus_duration>, true},
    {ExprOp::Sub, Integer, Integer, Integer, &nodes::binary<&ops::subtract_int64>},
    {ExprOp::Sub, Number, Number, Number, &nodes::binary<&ops::subtract_number>},
    {ExprOp::Sub, Money, Money, Money, &nodes::binary<&ops::subtract_int64>},
    {ExprOp::Sub, Duration, Duration, Duration, &nodes::binary<&ops::subtract_int64>},
    {ExprOp::Sub, Time, Duration, Time, &nodes::binary<&ops::subtract_int64>},
    {ExprOp::Sub, Time, Time, Duration, &nodes::binary<&ops::time_minus_time>},
    {ExprOp::Sub, Date, Duration, Date, &nodes::binary<&ops::date_minus_duration>},
    {ExprOp::Sub, Date, Date, Integer, &nodes::binary<&ops::date_minus_date>},
    {ExprOp::Mul, Integer, Integer, Integer, &nodes::binary<&ops::multiply_int64>},
    {ExprOp::Mul, Number, Number, Number, &nodes::binary<&ops::multiply_number>},
    {ExprOp::Mul, Money, Number, Money, &nodes::binary<&ops::multiply_money_number>},
    {ExprOp::Mul, Number, Money, Money, &nodes::binary<&ops::multiply_money_number>, true},
    {ExprOp::Mul, Money, Integer, Money, &nodes::binary<&ops::multiply_int64>},
    {ExprOp::Mul, Integer, Money, Money, &nodes::binary<&ops::multiply_int64>, true},
    {ExprOp::Mul, Duration, Integer, Duration, &nodes::binary<&ops::multiply_int64>},
    {ExprOp::Mul, Integer, Duration, Duration, &nodes::binary<&ops::multiply_int64>, true},
    {ExprOp::Div, Integer, Integer, Number, &nodes::binary<&ops::divide_integers>},
    {ExprOp::Div, Number, Number, Number, &nodes::binary<&ops::divide_number>},
    {ExprOp::Div, Money, Number, Money, &nodes::binary<&ops::divide_money_number>},
    {ExprOp::Div, Money, Integer, Money, &nodes::binary<&ops::divide_money_integer>},
    {ExprOp::Div, Money, Money, Number, &nodes::binary<&ops::divide_money_money>},
};

const ArithmeticRule* find_rule(ExprOp op, ValueType left, ValueType right) {
  for (const ArithmeticRule& rule : kArithmetic) {
    if (rule.op == op && rule.left == left && rule.right == right) return &rule;
  }
  return nullptr;
}

bool is_numeric(ValueType type) {
  return type == Integer || type == Number;
}

constexpr int kMaxNodes = 100000;
constexpr int kMaxDepth = 2000;

}  // namespace

const SourceRef& start_of(const ExprNode& node) {
  if (node.children.empty()) return node.where;
  const SourceRef& first = start_of(node.children[0]);
  return before(first, node.where) ? first : node.where;
}

bool is_numeric_literal(const ExprNode& node) {
  if (node.op == ExprOp::Neg) {
    return node.children.size() == 1 && is_numeric_literal(node.children[0]);
  }
  return node.op == ExprOp::Literal &&
         (node.literal.type == Integer || node.literal.type == Number);
}

void ExpressionCompiler::error(const SourceRef& where, const std::string& message) {
  std::string prefix;
  if (!macro_stack_.empty()) {
    prefix = "in macro '" + macro_stack_.back() + "'";
    if (!scope_.item.empty()) prefix += " used by " + scope_.item;
    prefix += ": ";
  } else if (!scope_.item.empty()) {
    prefix = "in " + scope_.item + ": ";
  }
  Diagnostic diagnostic{where, prefix + message};
  // A macro used twice reports its problems once.
  for (const Diagnostic& known : errors_) {
    if (known.where.file == where.file && known.where.line == where.line &&
        known.where.column == where.column && known.message == diagnostic.message) {
      return;
    }
  }
  errors_.push_back(std::move(diagnostic));
}

NodePtr ExpressionCompiler::compile_root(const ExprNode& node, ValueType expected) {
  NodePtr result = compile(node);
  if (!result || reject_list(result, node)) return nullptr;
  const ValueType type = result->type();
  if (expected == ValueType::Null || type == expected) return result;
  if (expected == Number && type == Integer) {
    return nodes::unary<&ops::to_number>(std::move(result), Number);
  }
  if (expected == Money && is_numeric_literal(node)) {
    const std::optional<Fen> fen = money_literal(node);
    return fen ? nodes::constant(Value::money(*fen)) : nullptr;
  }
  error(start_of(node), "expected " + type_name(expected) + ", got " + type_name(type));
  return nullptr;
}

NodePtr ExpressionCompiler::compile(const ExprNode& node) {
  if (too_large_) return nullptr;
  if (++node_count_ > kMaxNodes || depth_ >= kMaxDepth) {
    too_large_ = true;
    error(node.where, "expression too large once macros are inlined (more than " +
                          std::to_string(kMaxNodes) + " nodes or " + std::to_string(kMaxDepth) +
                          " levels)");
    return nullptr;
  }
  ++depth_;
  NodePtr result = compile_node(node);
  --depth_;
  return result;
}

NodePtr ExpressionCompiler::compile_node(const ExprNode& node) {
  switch (node.op) {
    case ExprOp::Literal:
      return compile_literal(node);
    case ExprOp::Field:
      return compile_field(node);
    case ExprOp::Name:
      return compile_name(node);
    case ExprOp::Param:
      return compile_param(node);
    case ExprOp::ListLiteral:
      return compile_list_literal(node);
    case ExprOp::Call:
      return compile_call(node);
    case ExprOp::Not:
      return compile_not(node);
    case ExprOp::Neg:
      return compile_negate(node);
    case ExprOp::And:
    case ExprOp::Or:
      return compile_logical(node);
    case ExprOp::Eq:
    case ExprOp::Ne:
    case ExprOp::Lt:
    case ExprOp::Le:
    case ExprOp::Gt:
    case ExprOp::Ge:
      return compile_comparison(node);
    case ExprOp::In:
    case ExprOp::NotIn:
    case ExprOp::ContainsAny:
      return compile_membership(node);
    case ExprOp::Contains:
    case ExprOp::IContains:
    case ExprOp::StartsWith:
    case ExprOp::EndsWith:
      return compile_string_test(node);
    case ExprOp::Matches:
      return compile_matches(node);
    case ExprOp::Add:
    case ExprOp::Sub:
    case ExprOp::Mul:
    case ExprOp::Div:
      return compile_arithmetic(node);
  }
  error(node.where, "malformed expression");
  return nullptr;
}

// Only hand-built trees can get this wrong; the parser always gives the count.
bool ExpressionCompiler::has_operands(const ExprNode& node, std::size_t count) {
  if (node.children.size() == count) return true;
  error(node.where, "malformed expression: " + quoted(node.op) + " needs " + std::to_string(count) +
                        " operand(s)");
  return false;
}

bool ExpressionCompiler::reject_list(const NodePtr& node, const ExprNode& ast) {
  if (!node || node->type() != List) return false;
  error(start_of(ast),
        "a list can only follow 'in', 'not in' or 'contains_any', or be the "
        "argument of len()");
  return true;
}

std::optional<Fen> ExpressionCompiler::money_literal(const ExprNode& ast) {
  const std::string text = numeric_literal_text(ast);
  std::string why;
  const std::optional<Fen> fen = parse_amount(text, AmountSyntax{}, &why);
  if (!fen) error(start_of(ast), "'" + text + "' is not an exact amount of money: " + why);
  return fen;
}

ExpressionCompiler::Unified ExpressionCompiler::unify(NodePtr& a, const ExprNode& a_ast, NodePtr& b,
                                                      const ExprNode& b_ast, ValueType* common) {
  const ValueType ta = a->type();
  const ValueType tb = b->type();
  *common = ta;
  if (ta == tb || tb == Null) return Unified::Same;
  if (ta == Null) {
    *common = tb;
    return Unified::Same;
  }
  if (is_numeric(ta) && is_numeric(tb)) {
    NodePtr& integer = ta == Integer ? a : b;
    integer = nodes::unary<&ops::to_number>(std::move(integer), Number);
    *common = Number;
    return Unified::Same;
  }
  const bool a_literal_as_money = tb == Money && is_numeric_literal(a_ast);
  if ((ta == Money && is_numeric_literal(b_ast)) || a_literal_as_money) {
    const ExprNode& literal = a_literal_as_money ? a_ast : b_ast;
    const std::optional<Fen> fen = money_literal(literal);
    if (!fen) return Unified::Reported;
    (a_literal_as_money ? a : b) = nodes::constant(Value::money(*fen));
    *common = Money;
    return Unified::Same;
  }
  return Unified::Mismatch;
}

NodePtr ExpressionCompiler::compile_literal(const ExprNode& node) {
  switch (node.literal.type) {
    case String:
      return nodes::string_constant(std::string(node.literal.text));
    case List:
      error(node.where, "malformed expression: list value in a literal");
      return nullptr;
    default:
      return nodes::constant(node.literal);
  }
}

NodePtr ExpressionCompiler::compile_field(const ExprNode& node) {
  const FieldInfo* info = find_field(node.name);
  if (!info) {
    std::size_t count = 0;
    const FieldInfo* fields = all_fields(&count);
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < count; ++i) names.push_back(fields[i].name);
    error(node.where, "unknown field '" + node.name + "'" + did_you_mean(node.name, names));
    return nullptr;
  }
  // A rule over several sources may read a field any of them has; on the
  // others it reads null.
  if ((scope_.facts & info->facts) == 0) {
    error(node.where,
          "field '" + node.name + "' is not available on " + fact_kinds_name(scope_.facts));
    return nullptr;
  }
  return nodes::field(info->id, info->type);
}

NodePtr ExpressionCompiler::compile_name(const ExprNode& node) {
  if (scope_.aggregates) {
    if (const auto it = scope_.aggregates->find(node.name); it != scope_.aggregates->end()) {
      return nodes::aggregate(it->second.slot, it->second.type);
    }
  }
  if (scope_.macros) {
    if (const auto it = scope_.macros->find(node.name); it != scope_.macros->end()) {
      return compile_macro(node, it->second);
    }
  }
  if (scope_.lists) {
    if (const auto it = scope_.lists->find(node.name); it != scope_.lists->end()) {
      return nodes::list_reference(&it->second);
    }
  }
  std::vector<std::string_view> names;
  if (scope_.aggregates) {
    for (const auto& [name, symbol] : *scope_.aggregates) names.push_back(name);
  }
  if (scope_.macros) {
    for (const auto& [name, macro] : *scope_.macros) names.push_back(name);
  }
  if (scope_.lists) {
    for (const auto& [name, items] : *scope_.lists) names.push_back(name);
  }
  std::string hint = did_you_mean(node.name, names);
  if (hint.empty()) {
    std::size_t count = 0;
    const FieldInfo* fields = all_fields(&count);
    for (std::size_t i = 0; i < count && hint.empty(); ++i) {
      if (fields[i].name.ends_with("." + node.name)) {
        hint = " (did you mean '" + std::string(fields[i].name) + "'?)";
      }
    }
  }
  if (hint.empty() && scope_.params && scope_.params->count(node.name) != 0) {
    hint = " (parameters are written '$" + node.name + "')";
  }
  if (hint.empty() && std::any_of(node.name.begin(), node.name.end(),
                                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    hint = " (text goes in quotes: '" + node.name + "')";
  }
  error(node.where, "unknown name '" + node.name + "'" + hint);
  return nullptr;
}

NodePtr ExpressionCompiler::compile_macro(const ExprNode& node, const ExprNode& body) {
  const auto open = std::find(macro_stack_.begin(), macro_stack_.end(), node.name);
  if (open != macro_stack_.end()) {
    std::string path;
    for (auto it = open; it != macro_stack_.end(); ++it) path += *it + " -> ";
    error(node.where, "macro cycle: " + path + node.name);
    return nullptr;
  }
  macro_stack_.push_back(node.name);
  NodePtr result = compile(body);
  macro_stack_.pop_back();
  return result;
}

NodePtr ExpressionCompiler::compile_param(const ExprNode& node) {
  std::vector<std::string> names;
  if (scope_.params) {
    if (const auto it = scope_.params->find(node.name); it != scope_.params->end()) {
      return nodes::param(it->second.slot, it->second.type);
    }
    for (const auto& [name, symbol] : *scope_.params) names.push_back("$" + name);
  }
  const std::vector<std::string_view> views(names.begin(), names.end());
  error(node.where,
        "unknown parameter '$" + node.name + "'" + did_you_mean("$" + node.name, views));
  return nullptr;
}

// Inside [ ], bare words are text: [ATM, 现金] is ["ATM", "现金"].
NodePtr ExpressionCompiler::compile_list_literal(const ExprNode& node) {
  std::vector<std::string> items;
  bool ok = true;
  for (const ExprNode& item : node.children) {
    if (item.op == ExprOp::Literal && item.literal.type == String) {
      items.emplace_back(item.literal.text);
    } else if (item.op == ExprOp::Name || is_numeric_literal(item)) {
      items.push_back(item.op == ExprOp::Name ? item.name : numeric_literal_text(item));
    } else {
      error(start_of(item), "a list item must be a word, a string or a number");
      ok = false;
    }
  }
  return ok ? nodes::list_constant(std::move(items)) : nullptr;
}

// Compiles both operands of a binary node and checks they have type `wanted`,
// reporting each operand that does not.
bool ExpressionCompiler::compile_operands_of_type(const ExprNode& node, ValueType wanted,
                                                  const char* wanted_name, NodePtr& left,
                                                  NodePtr& right) {
  if (!has_operands(node, 2)) return false;
  left = compile(node.children[0]);
  right = compile(node.children[1]);
  bool ok = left && right;
  for (std::size_t i = 0; i < 2; ++i) {
    const NodePtr& side = i == 0 ? left : right;
    if (side && side->type() != wanted) {
      error(start_of(node.children[i]), quoted(node.op) + " needs " + wanted_name +
                                            " operands, got " + type_name(side->type()));
      ok = false;
    }
  }
  return ok;
}

NodePtr ExpressionCompiler::compile_logical(const ExprNode& node) {
  NodePtr left, right;
  if (!compile_operands_of_type(node, Bool, "bool", left, right)) return nullptr;
  return node.op == ExprOp::And ? nodes::logical_and(std::move(left), std::move(right))
                                : nodes::logical_or(std::move(left), std::move(right));
}

NodePtr ExpressionCompiler::compile_not(const ExprNode& node) {
  if (!has_operands(node, 1)) return nullptr;
  NodePtr operand = compile(node.children[0]);
  if (!operand) return nullptr;
  if (operand->type() != Bool) {
    error(start_of(node.children[0]),
          "'not' needs a bool operand, got " + type_name(operand->type()));
    return nullptr;
  }
  return nodes::logical_not(std::move(operand));
}

NodePtr ExpressionCompiler::compile_negate(const ExprNode& node) {
  if (!has_operands(node, 1)) return nullptr;
  NodePtr operand = compile(node.children[0]);
  if (!operand || reject_list(operand, node.children[0])) return nullptr;
  const ValueType type = operand->type();
  switch (type) {
    case Integer:
    case Money:
    case Duration:
      return nodes::unary<&ops::negate_int64>(std::move(operand), type);
    case Number:
      return nodes::unary<&ops::negate_number>(std::move(operand), type);
    default:
      error(node.where, "unary '-' cannot take " + type_name(type));
      return nullptr;
  }
}

NodePtr ExpressionCompiler::compile_null_test(const ExprNode& node) {
  const ExprNode& other = is_null_literal(node.children[0]) ? node.children[1] : node.children[0];
  NodePtr operand = compile(other);
  if (!operand || reject_list(operand, other)) return nullptr;
  return nodes::null_test(std::move(operand), node.op == ExprOp::Eq);
}

// `x == null` / `x != null` test for null; any other comparison with a null
// operand is false.
NodePtr ExpressionCompiler::compile_comparison(const ExprNode& node) {
  if (!has_operands(node, 2)) return nullptr;
  const ExprNode& left_ast = node.children[0];
  const ExprNode& right_ast = node.children[1];
  if ((node.op == ExprOp::Eq || node.op == ExprOp::Ne) &&
      (is_null_literal(left_ast) || is_null_literal(right_ast))) {
    return compile_null_test(node);
  }
  NodePtr left = compile(left_ast);
  NodePtr right = compile(right_ast);
  // Both operands are checked, so that each list operand is reported.
  const bool left_list = reject_list(left, left_ast);
  const bool right_list = reject_list(right, right_ast);
  if (!left || !right || left_list || right_list) return nullptr;
  if (is_ordering(node.op) && (left->type() == Null || right->type() == Null)) {
    error(node.where, quoted(node.op) +
                          " with null is always false; test for null with '== null' or '!= null'");
    return nullptr;
  }
  ValueType type = Null;
  const ValueType left_type = left->type();
  const ValueType right_type = right->type();
  switch (unify(left, left_ast, right, right_ast, &type)) {
    case Unified::Reported:
      return nullptr;
    case Unified::Mismatch:
      error(node.where,
            "cannot compare " + type_name(left_type) + " with " + type_name(right_type));
      return nullptr;
    case Unified::Same:
      break;
  }
  if (is_ordering(node.op) && type == Bool) {
    error(node.where, "cannot order bool values with " + quoted(node.op));
    return nullptr;
  }
  const ComparisonTests& tests = type == Number   ? kNumberTests
                                 : type == String ? kStringTests
                                                  : kInt64Tests;
  NodePtr test = pick(tests, node.op)(std::move(left), std::move(right));
  // Sources of several kinds tell them apart in most conditions
  // (`record.kind == 'fee' and ...`).
  if (const std::optional<unsigned> kind = named_fact_kind(node)) {
    return nodes::kind_test(std::move(test), *kind, node.op == ExprOp::Ne);
  }
  return test;
}

NodePtr ExpressionCompiler::compile_membership(const ExprNode& node) {
  if (!has_operands(node, 2)) return nullptr;
  NodePtr value = compile(node.children[0]);
  NodePtr list = compile(node.children[1]);
  bool ok = value && list;
  if (value && value->type() != String) {
    error(start_of(node.children[0]),
          quoted(node.op) + " needs a string on its left, got " + type_name(value->type()));
    ok = false;
  }
  if (list && list->type() != List) {
    error(start_of(node.children[1]),
          quoted(node.op) +
              " needs a list on its right (a [ ] list, a named list or a list "
              "parameter), got " +
              type_name(list->type()));
    ok = false;
  }
  if (!ok) return nullptr;
  if (node.op == ExprOp::ContainsAny) {
    // contains_any ignores ASCII case and lower() lowers only ASCII, so
    // `lower(x) contains_any list` is `x contains_any list`, without a new
    // string for every record judged.
    const ExprNode& text = node.children[0];
    if (text.op == ExprOp::Call && text.name == "lower" && text.children.size() == 1) {
      value = compile(text.children[0]);
    }
    return nodes::contains_any(std::move(value), std::move(list));
  }
  return nodes::membership(std::move(value), std::move(list), node.op == ExprOp::NotIn);
}

NodePtr ExpressionCompiler::compile_string_test(const ExprNode& node) {
  NodePtr left, right;
  if (!compile_operands_of_type(node, String, "string", left, right)) return nullptr;
  switch (node.op) {
    case ExprOp::Contains:
      return nodes::test<&ops::contains>(std::move(left), std::move(right));
    case ExprOp::IContains:
      return nodes::test<&ops::contains_ignoring_case>(std::move(left), std::move(right));
    case ExprOp::StartsWith:
      return nodes::test<&ops::starts_with>(std::move(left), std::move(right));
    default:
      return nodes::test<&ops::ends_with>(std::move(left), std::move(right));
  }
}

NodePtr ExpressionCompiler::compile_matches(const ExprNode& node) {
  if (!has_operands(node, 2)) return nullptr;
  NodePtr text = compile(node.children[0]);
  bool ok = text != nullptr;
  if (text && text->type() != String) {
    error(start_of(node.children[0]),
          "'matches' needs a string on its left, got " + type_name(text->type()));
    ok = false;
  }
  const ExprNode& pattern = node.children[1];
  if (pattern.op != ExprOp::Literal || pattern.literal.type != String) {
    error(start_of(pattern), "the pattern of 'matches' must be a string literal");
    return nullptr;
  }
  std::regex compiled;
  try {
    compiled = std::regex(std::string(pattern.literal.text), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    error(pattern.where, "invalid regular expression " + literal_text(pattern) + ": " + e.what());
    return nullptr;
  }
  if (!ok) return nullptr;
  return nodes::regex_search(std::move(text), std::move(compiled));
}

NodePtr ExpressionCompiler::compile_arithmetic(const ExprNode& node) {
  if (!has_operands(node, 2)) return nullptr;
  const ExprNode& left_ast = node.children[0];
  const ExprNode& right_ast = node.children[1];
  NodePtr left = compile(left_ast);
  NodePtr right = compile(right_ast);
  // Both operands are checked, so that each list operand is reported.
  const bool left_list = reject_list(left, left_ast);
  const bool right_list = reject_list(right, right_ast);
  if (!left || !right || left_list || right_list) return nullptr;
  ValueType left_type = left->type();
  ValueType right_type = right->type();
  if (left_type == Null || right_type == Null) {
    error(node.where, quoted(node.op) + " cannot take null");
    return nullptr;
  }
  // money ± 100.50: the literal is read as exact money.
  if (node.op == ExprOp::Add || node.op == ExprOp::Sub) {
    const bool literal_right = left_type == Money && is_numeric_literal(right_ast);
    const bool literal_left = right_type == Money && is_numeric_literal(left_ast);
    if (literal_right || literal_left) {
      const std::optional<Fen> fen = money_literal(literal_right ? right_ast : left_ast);
      if (!fen) return nullptr;
      (literal_right ? right : left) = nodes::constant(Value::money(*fen));
      left_type = right_type = Money;
    }
  }
  const ArithmeticRule* rule = find_rule(node.op, left_type, right_type);
  if (!rule && is_numeric(left_type) && is_numeric(right_type)) {
    NodePtr& integer = left_type == Integer ? left : right;
    integer = nodes::unary<&ops::to_number>(std::move(integer), Number);
    rule = find_rule(node.op, Number, Number);
  }
  if (!rule) {
    std::string hint;
    if ((left_type == Date || right_type == Date) &&
        (left_type == Integer || right_type == Integer)) {
      hint = " (write days as a duration, e.g. 7d)";
    }
    error(node.where, quoted(node.op) + " cannot combine " + type_name(left_type) + " and " +
                          type_name(right_type) + hint);
    return nullptr;
  }
  // A date moves by whole days; a literal that is not is caught here (a
  // parameter at run time gives null).
  if (rule->result == Date) {
    const ExprNode& duration = rule->left == Duration ? left_ast : right_ast;
    if (duration.op == ExprOp::Literal && duration.literal.type == Duration &&
        duration.literal.i % 86400 != 0) {
      error(duration.where, "a date moves by whole days; " + literal_text(duration) +
                                " is not a whole number of days");
      return nullptr;
    }
  }
  return rule->swap ? rule->make(std::move(right), std::move(left), rule->result)
                    : rule->make(std::move(left), std::move(right), rule->result);
}

}  // namespace compiler

std::unique_ptr<CompiledExpr> compile_expression(const ExprNode& node, const CompileScope& scope,
                                                 ValueType expected) {
  compiler::ExpressionCompiler compiler(scope);
  compiler::NodePtr result = compiler.compile_root(node, expected);
  if (!compiler.errors().empty()) throw PackError(compiler.errors());
  if (!result) throw PackError({Diagnostic{node.where, "invalid expression"}});
  return result;
}

}  // namespace sfmon::rules
