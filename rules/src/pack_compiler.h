#pragma once
// Private to the pack compiler: where its problems go, which names the
// expressions use, and the steps compile_pack() runs.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::pack_compiler {

// Every problem of the pack, so that one compile run reports them all.
class Diagnostics {
 public:
  void error(const SourceRef& where, std::string message) {
    errors_.push_back({where, std::move(message)});
  }
  void warning(const SourceRef& where, std::string message) {
    warnings_.push_back({where, std::move(message)});
  }
  // Errors of a macro's body are reported once, for the macro, and not again
  // for every rule that inlines it: positions reported for macros are
  // remembered and rule errors at the same positions dropped.
  void add(const PackError& error, const std::string& prefix, bool from_macro);

  bool has_errors() const { return !errors_.empty(); }
  // Each file's errors in line order, files in the order they first appear.
  std::vector<Diagnostic> sorted_errors() const;
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

 private:
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
  std::set<std::tuple<std::string, int, int>> macro_error_positions_;
};

// "file:line:column" for "first defined at ..." notes.
std::string position_text(const SourceRef& where);

// Bare names (lists, macros, aggregates) and parameters an expression uses.
struct Usage {
  std::set<std::string> names;
  std::set<std::string> params;
  void add(const ExprNode& node);
};

// Parses and compiles the expressions of one item ("rule 'FUND-LARGE'"),
// reporting every problem; a failed step returns nullopt / nullptr.
class ItemCompiler {
 public:
  ItemCompiler(std::string item, Diagnostics& diagnostics, Usage& usage, bool is_macro = false)
      : item_(std::move(item)), diagnostics_(diagnostics), usage_(usage), is_macro_(is_macro) {}

  const std::string& item() const { return item_; }
  void error(const SourceRef& where, const std::string& message) {
    diagnostics_.error(where, "in " + item_ + ": " + message);
  }

  std::optional<ExprNode> parse(const TextAt& text);
  std::optional<AggregateNode> parse_aggregate(const TextAt& text);
  std::optional<TemplateNode> parse_template(const TextAt& text);
  std::unique_ptr<CompiledExpr> compile(const ExprNode& node, const CompileScope& scope,
                                        ValueType expected = ValueType::Null);
  // parse() then compile().
  std::unique_ptr<CompiledExpr> expression(const TextAt& text, const CompileScope& scope,
                                           ValueType expected = ValueType::Null);
  // Compiles every hole; nullopt when any fails.
  std::optional<CompiledTemplate> compile_template(const TemplateNode& node,
                                                   const CompileScope& scope);

 private:
  std::string item_;
  Diagnostics& diagnostics_;
  Usage& usage_;
  bool is_macro_;
};

// Parameters: slots, defaults and config overrides into pack.param_*; list
// values live in pack.lists under "$name" (no list can be named so).
void compile_params(const PackDocument& doc, const std::map<std::string, std::string>& overrides,
                    CompiledPack& pack, Diagnostics& diagnostics);
// nullopt when `text` is a valid value of `type` (a ParamDoc type name);
// else why not, e.g. "not a decimal amount".
std::optional<std::string> param_value_problem(const std::string& type, const std::string& text);

CompiledRule compile_rule(const RuleDoc& rule, CompiledPack& pack, Diagnostics& diagnostics,
                          Usage& usage);

}  // namespace sfmon::rules::pack_compiler
