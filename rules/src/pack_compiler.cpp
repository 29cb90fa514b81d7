// compile_pack: resolves lists, macros and parameters, compiles every rule
// (disabled ones too, so their errors are caught), checks the test cases
// against the pack, and reports every problem of every file at once.

#include "pack_compiler.h"

#include <algorithm>
#include <deque>

namespace sfmon::rules {
namespace pack_compiler {
namespace {

// Lists and macros share one namespace: a bare name must mean one thing.
void collect_lists(const PackDocument& doc, CompiledPack& pack, Diagnostics& diagnostics,
                   std::map<std::string, SourceRef>& defined) {
  for (const ListDoc& list : doc.lists) {
    const auto [first, inserted] = defined.emplace(list.name, list.where);
    if (!inserted) {
      diagnostics.error(list.where, "duplicate name '" + list.name + "' (first defined at " +
                                        position_text(first->second) + ")");
      continue;
    }
    pack.lists[list.name] = list.items;
  }
}

// Parses every macro; a macro that does not parse is replaced by `true`, so
// rules using it report their own problems, not a second "unknown name".
void collect_macros(const PackDocument& doc, CompiledPack& pack, Diagnostics& diagnostics,
                    std::map<std::string, SourceRef>& defined,
                    std::map<std::string, Usage>& macro_usage) {
  for (const MacroDoc& macro : doc.macros) {
    const auto [first, inserted] = defined.emplace(macro.name, macro.where);
    if (!inserted) {
      diagnostics.error(macro.where, "duplicate name '" + macro.name + "' (first defined at " +
                                         position_text(first->second) + ")");
      continue;
    }
    ItemCompiler compiler("macro '" + macro.name + "'", diagnostics, macro_usage[macro.name], true);
    std::optional<ExprNode> node = compiler.parse(macro.condition);
    if (!node) {
      node = ExprNode{};
      node->op = ExprOp::Literal;
      node->name = "true";
      node->literal = Value::boolean(true);
      node->where = macro.condition.where;
    }
    pack.macros[macro.name] = std::move(*node);
  }
}

// Each macro alone, with every field allowed: errors in a macro no rule
// uses are found too, and reported once. The macro is compiled through a
// reference to it, so that the expression compiler names it ("in macro 'x':")
// and reports cycles as it meets them.
void check_macros(const PackDocument& doc, CompiledPack& pack, Diagnostics& diagnostics) {
  Usage ignored;
  std::set<std::string> checked;  // duplicates are reported already
  for (const MacroDoc& macro : doc.macros) {
    if (pack.macros.count(macro.name) == 0 || !checked.insert(macro.name).second) continue;
    ItemCompiler compiler("macro '" + macro.name + "'", diagnostics, ignored, true);
    ExprNode reference;
    reference.op = ExprOp::Name;
    reference.name = macro.name;
    reference.where = macro.condition.where;
    CompileScope scope;
    scope.lists = &pack.lists;
    scope.macros = &pack.macros;
    scope.params = &pack.param_symbols;
    const std::unique_ptr<CompiledExpr> compiled = compiler.compile(reference, scope);
    if (compiled && compiled->type() != ValueType::Bool) {
      compiler.error(
          macro.condition.where,
          std::string("a macro must be a condition (bool), got ") + to_string(compiled->type()));
    }
  }
}

void compile_rules(const PackDocument& doc, CompiledPack& pack, Diagnostics& diagnostics,
                   Usage& usage) {
  std::map<std::string, SourceRef> defined;
  for (const RuleDoc& rule : doc.rules) {
    const auto [first, inserted] = defined.emplace(rule.id, rule.where_defined);
    if (!inserted) {
      diagnostics.error(rule.where_defined, "duplicate rule id '" + rule.id +
                                                "' (first defined at " +
                                                position_text(first->second) + ")");
      continue;
    }
    pack.rules.push_back(compile_rule(rule, pack, diagnostics, usage));
  }
}

void check_tests(const PackDocument& doc, const CompiledPack& pack, Diagnostics& diagnostics) {
  std::map<std::string, SourceRef> names;
  const auto has_rule = [&](const std::string& id) {
    return std::any_of(pack.rules.begin(), pack.rules.end(),
                       [&](const CompiledRule& rule) { return rule.id == id; });
  };
  for (const TestCaseDoc& test : doc.tests) {
    const std::string prefix = "in test '" + test.name + "': ";
    const auto [first, inserted] = names.emplace(test.name, test.where);
    if (!inserted) {
      diagnostics.error(test.where, "duplicate test '" + test.name + "' (first defined at " +
                                        position_text(first->second) + ")");
    }
    std::vector<std::string> rules = test.rules;
    for (const TestCaseDoc::Expectation& expectation : test.expect) {
      rules.push_back(expectation.rule);
    }
    std::sort(rules.begin(), rules.end());
    rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
    for (const std::string& rule : rules) {
      if (!has_rule(rule)) diagnostics.error(test.where, prefix + "unknown rule '" + rule + "'");
    }
    for (const auto& [name, text] : test.parameters) {
      // An explicit capture: clang before 16 (so clang-tidy) cannot capture a
      // structured binding.
      const auto param =
          std::find_if(doc.params.begin(), doc.params.end(),
                       [&wanted = name](const ParamDoc& p) { return p.name == wanted; });
      if (param == doc.params.end()) {
        diagnostics.error(test.where, prefix + "unknown parameter '" + name + "'");
      } else if (auto why = param_value_problem(param->type, text)) {
        diagnostics.error(test.where, prefix + "bad " + param->type + " value '" + text +
                                          "' for parameter '" + name + "' (" + *why + ")");
      }
    }
  }
}

// Lists, macros and parameters no enabled or disabled rule reaches, directly
// or through macros.
void warn_unused(const PackDocument& doc, const Usage& rules_usage,
                 const std::map<std::string, Usage>& macro_usage, Diagnostics& diagnostics) {
  Usage reached = rules_usage;
  std::deque<std::string> pending(reached.names.begin(), reached.names.end());
  while (!pending.empty()) {
    const auto macro = macro_usage.find(pending.front());
    pending.pop_front();
    if (macro == macro_usage.end()) continue;
    for (const std::string& name : macro->second.names) {
      if (reached.names.insert(name).second) pending.push_back(name);
    }
    reached.params.insert(macro->second.params.begin(), macro->second.params.end());
  }
  for (const ListDoc& list : doc.lists) {
    if (reached.names.count(list.name) == 0) {
      diagnostics.warning(list.where, "list '" + list.name + "' is never used");
    }
  }
  for (const MacroDoc& macro : doc.macros) {
    if (reached.names.count(macro.name) == 0) {
      diagnostics.warning(macro.where, "macro '" + macro.name + "' is never used");
    }
  }
  for (const ParamDoc& param : doc.params) {
    if (reached.params.count(param.name) == 0) {
      diagnostics.warning(param.where, "param '" + param.name + "' is never used");
    }
  }
}

}  // namespace
}  // namespace pack_compiler

std::unique_ptr<CompiledPack> compile_pack(const PackDocument& doc,
                                           const std::map<std::string, std::string>& overrides) {
  using namespace pack_compiler;
  // Compiled expressions point into the pack (lists, parameter texts): it is
  // built where it will live.
  auto pack = std::make_unique<CompiledPack>();
  Diagnostics diagnostics;
  std::map<std::string, SourceRef> names;
  std::map<std::string, Usage> macro_usage;
  Usage rules_usage;
  collect_lists(doc, *pack, diagnostics, names);
  collect_macros(doc, *pack, diagnostics, names, macro_usage);
  compile_params(doc, overrides, *pack, diagnostics);
  check_macros(doc, *pack, diagnostics);
  compile_rules(doc, *pack, diagnostics, rules_usage);
  check_tests(doc, *pack, diagnostics);
  warn_unused(doc, rules_usage, macro_usage, diagnostics);
  if (diagnostics.has_errors()) throw PackError(diagnostics.sorted_errors());
  pack->tests = doc.tests;
  pack->warnings = doc.warnings;
  pack->warnings.insert(pack->warnings.end(), diagnostics.warnings().begin(),
                        diagnostics.warnings().end());
  return pack;
}

}  // namespace sfmon::rules
