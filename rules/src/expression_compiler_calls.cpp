// Built-in functions (docs/rules.md "Functions"): arity and argument types
// checked at compile time, each call compiled to one node.

#include <string>
#include <vector>

#include "expression_compiler.h"
#include "expression_operations.h"
#include "expression_suggest.h"

namespace sfmon::rules::compiler {
namespace {

using enum ValueType;

struct FunctionSpec {
  std::string_view name;
  std::size_t arity;
};
constexpr FunctionSpec kFunctions[] = {
    {"abs", 1},        {"lower", 1}, {"len", 1}, {"day", 1},      {"days_between", 2},
    {"add_months", 2}, {"min", 2},   {"max", 2}, {"coalesce", 2}, {"closing_balance", 1},
};
// Names that are aggregates (rule `aggregates:`), not functions.
constexpr std::string_view kAggregateOnly[] = {"sum",  "count",  "distinct",
                                               "mean", "stddev", "quantile"};

const FunctionSpec* find_function(std::string_view name) {
  for (const FunctionSpec& spec : kFunctions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string type_list(std::initializer_list<ValueType> types) {
  std::string text;
  std::size_t i = 0;
  for (ValueType type : types) {
    if (i > 0) text += i + 1 == types.size() ? " or " : ", ";
    text += to_string(type);
    ++i;
  }
  return text;
}

}  // namespace

bool ExpressionCompiler::expect_argument(const ExprNode& call, std::size_t index,
                                         const NodePtr& arg,
                                         std::initializer_list<ValueType> allowed) {
  for (ValueType type : allowed) {
    if (arg->type() == type) return true;
  }
  error(start_of(call.children[index]), "argument " + std::to_string(index + 1) + " of '" +
                                            call.name + "' must be " + type_list(allowed) +
                                            ", got " + to_string(arg->type()));
  return false;
}

NodePtr ExpressionCompiler::compile_call(const ExprNode& node) {
  std::vector<NodePtr> args;
  bool ok = true;
  for (const ExprNode& child : node.children) {
    args.push_back(compile(child));
    if (!args.back()) ok = false;
  }
  const FunctionSpec* spec = find_function(node.name);
  if (!spec) {
    for (std::string_view aggregate : kAggregateOnly) {
      if (aggregate == node.name) {
        error(node.where, "'" + node.name +
                              "' is an aggregate: define it under 'aggregates:' and use its name");
        return nullptr;
      }
    }
    std::vector<std::string_view> names;
    for (const FunctionSpec& function : kFunctions) names.push_back(function.name);
    error(node.where, "unknown function '" + node.name + "'" + did_you_mean(node.name, names));
    return nullptr;
  }
  if (args.size() != spec->arity) {
    std::string message = "'" + node.name + "' takes " + plural(spec->arity, "argument") +
                          ", got " + std::to_string(args.size());
    if ((node.name == "min" || node.name == "max") && args.size() == 1) {
      message += " (over a window, min and max are aggregates)";
    }
    error(node.where, message);
    return nullptr;
  }
  if (!ok) return nullptr;
  if (node.name != "len") {
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (reject_list(args[i], node.children[i])) ok = false;
    }
    if (!ok) return nullptr;
  }

  const std::string_view name = node.name;
  if (name == "abs") {
    if (!expect_argument(node, 0, args[0], {Integer, Number, Money, Duration})) return nullptr;
    const ValueType type = args[0]->type();
    return type == Number ? nodes::unary<&ops::abs_number>(std::move(args[0]), type)
                          : nodes::unary<&ops::abs_int64>(std::move(args[0]), type);
  }
  if (name == "lower") {
    if (!expect_argument(node, 0, args[0], {String})) return nullptr;
    return nodes::unary<&ops::lower>(std::move(args[0]), String);
  }
  if (name == "len") {
    if (!expect_argument(node, 0, args[0], {List, String})) return nullptr;
    return args[0]->type() == List
               ? nodes::unary<&ops::length_of_list>(std::move(args[0]), Integer)
               : nodes::unary<&ops::length_of_string>(std::move(args[0]), Integer);
  }
  if (name == "day") {
    if (!expect_argument(node, 0, args[0], {Time})) return nullptr;
    return nodes::unary<&ops::day_of_time>(std::move(args[0]), Date);
  }
  if (name == "days_between") {
    const bool first = expect_argument(node, 0, args[0], {Date});
    if (!expect_argument(node, 1, args[1], {Date}) || !first) return nullptr;
    return nodes::binary<&ops::days_between>(std::move(args[0]), std::move(args[1]), Integer);
  }
  if (name == "add_months") {
    const bool first = expect_argument(node, 0, args[0], {Date});
    if (!expect_argument(node, 1, args[1], {Integer}) || !first) return nullptr;
    return nodes::binary<&ops::add_months>(std::move(args[0]), std::move(args[1]), Date);
  }
  if (name == "min" || name == "max") return compile_min_max(node, args);
  if (name == "coalesce") return compile_coalesce(node, args);
  // closing_balance
  if (!expect_argument(node, 0, args[0], {Date})) return nullptr;
  return nodes::closing_balance(std::move(args[0]));
}

NodePtr ExpressionCompiler::compile_min_max(const ExprNode& node, std::vector<NodePtr>& args) {
  const ValueType first_type = args[0]->type();
  const ValueType second_type = args[1]->type();
  ValueType type = Null;
  switch (unify(args[0], node.children[0], args[1], node.children[1], &type)) {
    case Unified::Reported:
      return nullptr;
    case Unified::Mismatch:
      error(node.where, "'" + node.name + "' needs two arguments of the same type, got " +
                            to_string(first_type) + " and " + to_string(second_type));
      return nullptr;
    case Unified::Same:
      break;
  }
  if (type == Bool || type == Null) {
    error(node.where, "'" + node.name + "' cannot take " + to_string(type));
    return nullptr;
  }
  const bool is_min = node.name == "min";
  switch (type) {
    case Number:
      return is_min ? nodes::binary<&ops::min_number>(std::move(args[0]), std::move(args[1]), type)
                    : nodes::binary<&ops::max_number>(std::move(args[0]), std::move(args[1]), type);
    case String:
      return is_min ? nodes::binary<&ops::min_string>(std::move(args[0]), std::move(args[1]), type)
                    : nodes::binary<&ops::max_string>(std::move(args[0]), std::move(args[1]), type);
    default:
      return is_min ? nodes::binary<&ops::min_int64>(std::move(args[0]), std::move(args[1]), type)
                    : nodes::binary<&ops::max_int64>(std::move(args[0]), std::move(args[1]), type);
  }
}

NodePtr ExpressionCompiler::compile_coalesce(const ExprNode& node, std::vector<NodePtr>& args) {
  const ValueType first_type = args[0]->type();
  const ValueType second_type = args[1]->type();
  ValueType type = Null;
  switch (unify(args[0], node.children[0], args[1], node.children[1], &type)) {
    case Unified::Reported:
      return nullptr;
    case Unified::Mismatch:
      error(node.where, std::string("'coalesce' needs two arguments of the same type, got ") +
                            to_string(first_type) + " and " + to_string(second_type));
      return nullptr;
    case Unified::Same:
      break;
  }
  return nodes::coalesce(std::move(args[0]), std::move(args[1]), type);
}

}  // namespace sfmon::rules::compiler
