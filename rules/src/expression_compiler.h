#pragma once
// Private to the expression compiler (expression_compiler*.cpp): type-checks
// an ExprNode against a CompileScope and builds the node tree. Problems are
// collected, not thrown, so that one expression reports all of them; a
// failed sub-expression compiles to nullptr and its parents stay silent.

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "expression_nodes.h"
#include "sfmon/rules/expression.h"

namespace sfmon::rules::compiler {

using nodes::NodePtr;

// Where an expression begins: the leftmost character, not its operator.
const SourceRef& start_of(const ExprNode& node);

// An integer or decimal literal, possibly negated: the operands that convert
// to exact money.
bool is_numeric_literal(const ExprNode& node);

class ExpressionCompiler {
 public:
  explicit ExpressionCompiler(const CompileScope& scope) : scope_(scope) {}

  // nullptr when anything failed; errors() says why.
  NodePtr compile_root(const ExprNode& node, ValueType expected);
  const std::vector<Diagnostic>& errors() const { return errors_; }

 private:
  enum class Unified { Same, Mismatch, Reported };

  void error(const SourceRef& where, const std::string& message);

  NodePtr compile(const ExprNode& node);  // counts size and depth, then compile_node
  NodePtr compile_node(const ExprNode& node);
  bool has_operands(const ExprNode& node, std::size_t count);
  NodePtr compile_literal(const ExprNode& node);
  NodePtr compile_field(const ExprNode& node);
  NodePtr compile_name(const ExprNode& node);
  NodePtr compile_macro(const ExprNode& node, const ExprNode& body);
  NodePtr compile_param(const ExprNode& node);
  NodePtr compile_list_literal(const ExprNode& node);
  bool compile_operands_of_type(const ExprNode& node, ValueType wanted, const char* wanted_name,
                                NodePtr& left, NodePtr& right);
  NodePtr compile_logical(const ExprNode& node);
  NodePtr compile_not(const ExprNode& node);
  NodePtr compile_negate(const ExprNode& node);
  NodePtr compile_comparison(const ExprNode& node);
  NodePtr compile_null_test(const ExprNode& node);
  NodePtr compile_membership(const ExprNode& node);
  NodePtr compile_string_test(const ExprNode& node);
  NodePtr compile_matches(const ExprNode& node);
  NodePtr compile_arithmetic(const ExprNode& node);
  // expression_compiler_calls.cpp
  NodePtr compile_call(const ExprNode& node);
  NodePtr compile_min_max(const ExprNode& node, std::vector<NodePtr>& args);
  NodePtr compile_coalesce(const ExprNode& node, std::vector<NodePtr>& args);
  bool expect_argument(const ExprNode& call, std::size_t index, const NodePtr& arg,
                       std::initializer_list<ValueType> allowed);

  // Reports a list used where a value is needed; true when it did.
  bool reject_list(const NodePtr& node, const ExprNode& ast);
  // Makes two operands the same type: integer widens to number, a numeric
  // literal next to money becomes exact money, null takes the other's type.
  // Sets `common` to the type both now have.
  Unified unify(NodePtr& a, const ExprNode& a_ast, NodePtr& b, const ExprNode& b_ast,
                ValueType* common);
  // The literal read exactly as money; reports and returns nullopt when it
  // has more than two non-zero decimals or is out of range.
  std::optional<Fen> money_literal(const ExprNode& ast);

  const CompileScope& scope_;
  std::vector<Diagnostic> errors_;
  std::vector<std::string> macro_stack_;  // macros being inlined, outermost first
  // Macro inlining multiplies trees (a = b and b, b = c and c, ...); these
  // bound the compiled tree so that compiling, evaluating and destroying it
  // stays within time and stack.
  int depth_ = 0;
  int node_count_ = 0;
  bool too_large_ = false;
};

}  // namespace sfmon::rules::compiler
