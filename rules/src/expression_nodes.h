#pragma once
// Compiled expression nodes: a tree of small immutable objects, each with a
// virtual eval that evaluates its children and applies one operation. The
// operation is a template argument (a plain function, see
// expression_operations.h), so evaluation involves no std::function and no
// allocation, except where a new string is made (lower()).
//
// Null handling lives here, not in the operations: arithmetic and functions
// give null for a null operand; comparisons and string tests give false.

#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/rules/expression.h"

namespace sfmon::rules::nodes {

class Node : public CompiledExpr {
 public:
  explicit Node(ValueType type) : type_(type) {}
  ValueType type() const final { return type_; }

 private:
  ValueType type_;
};
using NodePtr = std::unique_ptr<Node>;

using UnaryFn = Value (*)(const Value&);
using BinaryFn = Value (*)(const Value&, const Value&);
using TestFn = bool (*)(const Value&, const Value&);

template <UnaryFn Fn>
class UnaryNode final : public Node {
 public:
  UnaryNode(NodePtr operand, ValueType type) : Node(type), operand_(std::move(operand)) {}
  Value eval(const EvalContext& context) const override {
    const Value value = operand_->eval(context);
    return value.is_null() ? Value::null() : Fn(value);
  }

 private:
  NodePtr operand_;
};

template <BinaryFn Fn>
class BinaryNode final : public Node {
 public:
  BinaryNode(NodePtr left, NodePtr right, ValueType type)
      : Node(type), left_(std::move(left)), right_(std::move(right)) {}
  Value eval(const EvalContext& context) const override {
    Value left = left_->eval(context);
    if (left.is_null()) return left;
    Value right = right_->eval(context);
    if (right.is_null()) return right;
    return Fn(left, right);
  }

 private:
  NodePtr left_;
  NodePtr right_;
};

template <TestFn Fn>
class TestNode final : public Node {
 public:
  TestNode(NodePtr left, NodePtr right)
      : Node(ValueType::Bool), left_(std::move(left)), right_(std::move(right)) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    const Value left = left_->eval(context);
    if (left.is_null()) return false;
    const Value right = right_->eval(context);
    if (right.is_null()) return false;
    return Fn(left, right);
  }

 private:
  NodePtr left_;
  NodePtr right_;
};

// Factories with one signature per kind, so that tables can hold them.
template <UnaryFn Fn>
NodePtr unary(NodePtr operand, ValueType type) {
  return std::make_unique<UnaryNode<Fn>>(std::move(operand), type);
}
template <BinaryFn Fn>
NodePtr binary(NodePtr left, NodePtr right, ValueType type) {
  return std::make_unique<BinaryNode<Fn>>(std::move(left), std::move(right), type);
}
template <TestFn Fn>
NodePtr test(NodePtr left, NodePtr right) {
  return std::make_unique<TestNode<Fn>>(std::move(left), std::move(right));
}
using UnaryFactory = NodePtr (*)(NodePtr, ValueType);
using BinaryFactory = NodePtr (*)(NodePtr, NodePtr, ValueType);
using TestFactory = NodePtr (*)(NodePtr, NodePtr);

// Leaves. `constant` takes scalars only (no string, no list): those need an
// owner that lives as long as the node, which string_constant and
// list_constant provide.
NodePtr constant(const Value& value);
NodePtr string_constant(std::string text);
NodePtr list_constant(std::vector<std::string> items);
NodePtr list_reference(const std::vector<std::string>* items);  // owned by the caller
NodePtr field(FieldId id, ValueType type);
NodePtr param(int slot, ValueType type);
NodePtr aggregate(int slot, ValueType type);

// Logic: null counts as false; `and` and `or` evaluate their right side only
// when it decides the result.
NodePtr logical_and(NodePtr left, NodePtr right);
NodePtr logical_or(NodePtr left, NodePtr right);
NodePtr logical_not(NodePtr operand);

// `record.kind == 'fee'` (negate: !=) as a test of the fact's kind against
// `kinds` (a FactMask), without comparing strings; `general`, the same
// comparison made the usual way, answers for a context without a fact.
NodePtr kind_test(NodePtr general, unsigned kinds, bool negate);

// `x == null` (want_null) and `x != null`.
NodePtr null_test(NodePtr operand, bool want_null);

// `x in list` / `x not in list` (exact item match), `x contains_any list`
// (some non-empty item is a substring, ignoring ASCII case). A null value or
// list gives false.
NodePtr membership(NodePtr value, NodePtr list, bool negate);
NodePtr contains_any(NodePtr text, NodePtr list);

// std::regex_search with a pattern compiled once, at compile time.
NodePtr regex_search(NodePtr text, std::regex pattern);

NodePtr coalesce(NodePtr first, NodePtr second, ValueType type);
NodePtr closing_balance(NodePtr day);  // → money, via EvalContext

}  // namespace sfmon::rules::nodes
