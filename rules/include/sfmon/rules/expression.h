#pragma once
// The expression language (docs/rules.md "Expressions"): parse text into an
// AST with positions, then compile the AST against a scope (fields, lists,
// macros, parameters, aggregates) into a type-checked CompiledExpr.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/rules/diagnostic.h"
#include "sfmon/rules/field_catalog.h"
#include "sfmon/rules/value.h"

namespace sfmon::rules {

struct Fact;

// ---- Parsing ---------------------------------------------------------------

enum class ExprOp {
  Literal,
  Field /*dotted name*/,
  Name /*bare: macro, list or aggregate*/,
  Param /*$name*/,
  ListLiteral,
  Call,
  Not,
  Neg,
  And,
  Or,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  NotIn,
  Contains,
  IContains,
  StartsWith,
  EndsWith,
  Matches,
  ContainsAny,
  Add,
  Sub,
  Mul,
  Div,
};

struct ExprNode {
  ExprOp op = ExprOp::Literal;
  SourceRef where;                 // absolute position in the pack file
  std::string name;                // Field/Name/Param/Call: the name; Literal: its source text
  Value literal;                   // Literal (strings in `owned`); decimals are Number with `name`
                                   // keeping the exact text, so money literals are exact
  std::vector<ExprNode> children;  // operands / arguments / list items
};

// `origin` is where the text starts in its file: positions in the AST and in
// errors are absolute (line, column of the character). Throws PackError with
// one Diagnostic on a syntax error.
ExprNode parse_expression(std::string_view text, const SourceRef& origin);

// An aggregate definition: "sum(-record.amount) where record.debit".
enum class AggregateFunc { Sum, Count, Distinct, Min, Max, Mean, Stddev, Quantile };
struct AggregateNode {
  AggregateFunc func = AggregateFunc::Count;
  SourceRef where;
  std::optional<ExprNode> argument;  // absent for count()
  double quantile = 0.5;             // quantile(x, q)
  std::optional<ExprNode> filter;    // after `where`
};
AggregateNode parse_aggregate(std::string_view text, const SourceRef& origin);

// A message or dedup template: literal text with {expression} holes; "{{"
// and "}}" are literal braces.
struct TemplateNode {
  std::vector<std::string> literals;  // literals.size() == holes.size() + 1
  std::vector<ExprNode> holes;
};
TemplateNode parse_template(std::string_view text, const SourceRef& origin);

// ---- Compilation -------------------------------------------------------------

// What compiled code reads while it runs. One context per evaluation step.
class EvalContext {
 public:
  virtual ~EvalContext() = default;
  virtual Value field(FieldId id) const = 0;
  // The fact whose fields field() reads, or nullptr. With one, compiled
  // field nodes read the fact's own fields directly (fact_fields.h), as
  // field() would, without a virtual call and a dispatch per read.
  virtual const Fact* fact() const { return nullptr; }
  virtual Value aggregate(int slot) const = 0;
  virtual Value param(int slot) const = 0;
  // The school's supervised-account closing balance on `day` (days since
  // epoch) or the latest earlier known one; Null when none is known.
  virtual Value closing_balance(std::int64_t day) const = 0;
};

class CompiledExpr {
 public:
  virtual ~CompiledExpr() = default;
  virtual Value eval(const EvalContext& context) const = 0;
  virtual ValueType type() const = 0;
  // eval(context).truthy(): whether a condition holds. Logic, comparison and
  // test nodes answer it without making a Value for every node they pass.
  virtual bool test(const EvalContext& context) const { return eval(context).truthy(); }
};

struct ParamSymbol {
  int slot = 0;
  ValueType type = ValueType::Null;
};
struct AggregateSymbol {
  int slot = 0;
  ValueType type = ValueType::Null;
};

// Names an expression may use. Lists and macros are owned by the caller and
// must outlive every CompiledExpr made with this scope.
struct CompileScope {
  unsigned facts = kAllFacts;  // FactMask of the rule's source: other fields are errors
  std::string item;            // "rule 'FUND-LARGE'", prefixed to messages
  const std::map<std::string, std::vector<std::string>>* lists = nullptr;
  const std::map<std::string, ExprNode>* macros = nullptr;  // inlined; cycles are errors
  const std::map<std::string, ParamSymbol>* params = nullptr;
  const std::map<std::string, AggregateSymbol>* aggregates = nullptr;  // null: none allowed
};

// Type-checks and compiles; throws PackError listing every problem in `node`.
// `expected` (when not Null) is the type the result must have, e.g. Bool for
// conditions.
std::unique_ptr<CompiledExpr> compile_expression(const ExprNode& node, const CompileScope& scope,
                                                 ValueType expected = ValueType::Null);

}  // namespace sfmon::rules
