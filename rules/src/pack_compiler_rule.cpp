// One rule: every expression parsed and type-checked in the rule's scope.
// Per-record parts (where, key, the aggregates' own arguments and filters)
// cannot read aggregates; condition, escalations, message and dedup can.

#include <algorithm>
#include <set>
#include <string_view>

#include "pack_compiler.h"

namespace sfmon::rules::pack_compiler {
namespace {

unsigned fact_mask(const std::vector<std::string>& sources) {
  unsigned mask = 0;
  for (const std::string& source : sources) {
    if (source == "bank") mask |= kBankFacts;
    if (source == "fee") mask |= kFeeFacts;
    if (source == "balance") mask |= kBalanceFacts;
  }
  return mask;
}

const char* function_name(AggregateFunc func) {
  switch (func) {
    case AggregateFunc::Sum:
      return "sum";
    case AggregateFunc::Count:
      return "count";
    case AggregateFunc::Distinct:
      return "distinct";
    case AggregateFunc::Min:
      return "min";
    case AggregateFunc::Max:
      return "max";
    case AggregateFunc::Mean:
      return "mean";
    case AggregateFunc::Stddev:
      return "stddev";
    case AggregateFunc::Quantile:
      return "quantile";
  }
  return "aggregate";
}

bool is_one_of(ValueType type, std::initializer_list<ValueType> types) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// The type of an aggregate's value, or nullopt when `argument` does not fit
// `func`. Means, deviations and quantiles of money stay money (rounded to
// the fen by the evaluator) so that they compare with amounts; of integers
// they are numbers.
std::optional<ValueType> aggregate_type(AggregateFunc func, ValueType argument) {
  using T = ValueType;
  switch (func) {
    case AggregateFunc::Count:
      return T::Integer;
    case AggregateFunc::Distinct:
      if (argument == T::Null || argument == T::List) return std::nullopt;
      return T::Integer;
    case AggregateFunc::Sum:
      if (!is_one_of(argument, {T::Integer, T::Number, T::Money, T::Duration})) return std::nullopt;
      return argument;
    case AggregateFunc::Min:
    case AggregateFunc::Max:
      if (!is_one_of(argument,
                     {T::Integer, T::Number, T::Money, T::Duration, T::Date, T::Time, T::String})) {
        return std::nullopt;
      }
      return argument;
    case AggregateFunc::Mean:
    case AggregateFunc::Stddev:
    case AggregateFunc::Quantile:
      if (argument == T::Integer || argument == T::Number) return T::Number;
      if (argument == T::Money || argument == T::Duration) return argument;
      return std::nullopt;
  }
  return std::nullopt;
}

// The first use of one of `names` as a bare name in `node`; nullptr if none.
const ExprNode* find_name(const ExprNode& node, const std::set<std::string>& names) {
  if (names.empty()) return nullptr;
  if (node.op == ExprOp::Name && names.count(node.name) != 0) return &node;
  for (const ExprNode& child : node.children) {
    if (const ExprNode* found = find_name(child, names)) return found;
  }
  return nullptr;
}

bool uses_any(const ExprNode& node, const std::set<std::string>& names) {
  return find_name(node, names) != nullptr;
}

// Per-record parts run before any window exists: an aggregate there is a
// mistake worth its own message (the expression compiler would only say
// "unknown name").
bool uses_no_aggregate(const ExprNode& node, const std::set<std::string>& aggregates,
                       std::string_view part, ItemCompiler& compiler) {
  const ExprNode* use = find_name(node, aggregates);
  if (use == nullptr) return true;
  compiler.error(use->where, "aggregate '" + use->name + "' cannot be used in " +
                                 std::string(part) +
                                 ": aggregates are computed over the window's records");
  return false;
}

std::optional<CompiledAggregate> compile_aggregate(const std::string& name, const TextAt& text,
                                                   const CompileScope& record_scope,
                                                   const std::set<std::string>& aggregate_names,
                                                   ItemCompiler& compiler) {
  const std::optional<AggregateNode> node = compiler.parse_aggregate(text);
  if (!node) return std::nullopt;
  const std::string part = "aggregate '" + name + "'";
  if ((node->argument && !uses_no_aggregate(*node->argument, aggregate_names, part, compiler)) ||
      (node->filter && !uses_no_aggregate(*node->filter, aggregate_names, part, compiler))) {
    return std::nullopt;
  }
  CompiledAggregate aggregate;
  aggregate.name = name;
  aggregate.func = node->func;
  aggregate.quantile = node->quantile;
  bool ok = true;
  ValueType argument_type = ValueType::Null;
  if (node->argument) {
    aggregate.argument = compiler.compile(*node->argument, record_scope);
    ok = aggregate.argument != nullptr;
    if (ok) argument_type = aggregate.argument->type();
  }
  if (node->filter) {
    aggregate.filter = compiler.compile(*node->filter, record_scope, ValueType::Bool);
    ok = ok && aggregate.filter != nullptr;
  }
  if (!ok) return std::nullopt;
  if (node->func == AggregateFunc::Quantile && !(node->quantile >= 0 && node->quantile <= 1)) {
    compiler.error(node->where, "aggregate '" + name + "': quantile must be between 0 and 1");
    return std::nullopt;
  }
  const std::optional<ValueType> type = aggregate_type(node->func, argument_type);
  if (!type) {
    compiler.error(node->argument ? node->argument->where : node->where,
                   "aggregate '" + name + "': " + function_name(node->func) + "() cannot take " +
                       to_string(argument_type));
    return std::nullopt;
  }
  aggregate.type = *type;
  return aggregate;
}

bool is_school_id_field(const ExprNode& node) {
  if (node.op != ExprOp::Field) return false;
  const FieldInfo* info = find_field(node.name);
  return info != nullptr && info->id == FieldId::SchoolId;
}

// The default dedup key: the key values joined by ':' (school.id without a key).
TemplateNode default_dedup(const std::vector<ExprNode>& key, const SourceRef& where) {
  TemplateNode node;
  node.literals.push_back("");
  if (key.empty()) {
    ExprNode school;
    school.op = ExprOp::Field;
    school.name = "school.id";
    school.where = where;
    node.holes.push_back(std::move(school));
  } else {
    node.holes = key;
  }
  for (std::size_t i = 1; i < node.holes.size(); ++i) node.literals.push_back(":");
  node.literals.push_back("");
  return node;
}

bool calls_closing_balance(const ExprNode& node, const std::set<std::string>& calling_macros) {
  if (node.op == ExprOp::Call && node.name == "closing_balance") return true;
  if (node.op == ExprOp::Name && calling_macros.count(node.name) != 0) return true;
  return std::any_of(node.children.begin(), node.children.end(), [&](const ExprNode& child) {
    return calls_closing_balance(child, calling_macros);
  });
}

// Whether any text of the rule may call closing_balance(): by name, or by
// naming a macro that does (texts are searched, not parsed, so a mention in
// a string literal also counts; that only costs incremental evaluation time).
bool mentions_closing_balance(const RuleDoc& doc, const std::map<std::string, ExprNode>& macros) {
  std::set<std::string> calling;  // macros that call it, directly or through others
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, node] : macros) {
      if (calling.count(name) == 0 && calls_closing_balance(node, calling)) {
        calling.insert(name);
        grew = true;
      }
    }
  }
  std::vector<const std::string*> texts{&doc.condition.text, &doc.message.text};
  if (doc.where) texts.push_back(&doc.where->text);
  if (doc.dedup) texts.push_back(&doc.dedup->text);
  for (const TextAt& part : doc.key) texts.push_back(&part.text);
  for (const auto& aggregate : doc.aggregates) texts.push_back(&aggregate.second.text);
  for (const EscalationDoc& step : doc.escalate) texts.push_back(&step.when.text);
  return std::any_of(texts.begin(), texts.end(), [&](const std::string* text) {
    if (text->find("closing_balance") != std::string::npos) return true;
    return std::any_of(calling.begin(), calling.end(), [&](const std::string& macro) {
      return text->find(macro) != std::string::npos;
    });
  });
}

}  // namespace

CompiledRule compile_rule(const RuleDoc& doc, CompiledPack& pack, Diagnostics& diagnostics,
                          Usage& usage) {
  ItemCompiler compiler("rule '" + doc.id + "'", diagnostics, usage);
  CompiledRule rule;
  rule.id = doc.id;
  rule.title = doc.title;
  rule.version = doc.version;
  rule.level = level_from_string(doc.level).value_or(Level::Yellow);
  rule.enabled = doc.enabled;
  rule.regulation = doc.regulation;
  rule.tags = doc.tags;
  rule.sources = fact_mask(doc.sources);
  rule.window = doc.window;
  if (!doc.window.param.empty()) {
    usage.params.insert(doc.window.param);
    const auto symbol = pack.param_symbols.find(doc.window.param);
    if (symbol == pack.param_symbols.end()) {
      compiler.error(doc.window.where,
                     "unknown parameter '$" + doc.window.param + "' as window length");
    } else if (symbol->second.type != ValueType::Duration) {
      compiler.error(doc.window.where, "window length '$" + doc.window.param +
                                           "' must be a duration parameter, not " +
                                           to_string(symbol->second.type));
    } else {
      rule.window.seconds = pack.param_values[static_cast<std::size_t>(symbol->second.slot)].i;
    }
  }
  rule.group_window_seconds = doc.group_window_seconds;
  rule.evidence_window = doc.evidence_window;
  rule.where_defined = doc.where_defined;
  rule.reads_closing_balance = mentions_closing_balance(doc, pack.macros);

  CompileScope record_scope;
  record_scope.facts = rule.sources;
  record_scope.item = compiler.item();
  record_scope.lists = &pack.lists;
  record_scope.macros = &pack.macros;
  record_scope.params = &pack.param_symbols;

  std::set<std::string> aggregate_names;
  for (const auto& aggregate : doc.aggregates) aggregate_names.insert(aggregate.first);
  if (doc.where) {
    const std::optional<ExprNode> node = compiler.parse(*doc.where);
    if (node && uses_no_aggregate(*node, aggregate_names, "'where'", compiler)) {
      rule.where = compiler.compile(*node, record_scope, ValueType::Bool);
    }
  }
  std::vector<ExprNode> key_nodes;
  for (const TextAt& part : doc.key) {
    std::optional<ExprNode> node = compiler.parse(part);
    if (node && uses_no_aggregate(*node, aggregate_names, "the key", compiler)) {
      rule.key.push_back(compiler.compile(*node, record_scope));
      key_nodes.push_back(std::move(*node));
    }
  }
  rule.key_is_school = doc.key.empty() || (key_nodes.size() == 1 && doc.key.size() == 1 &&
                                           is_school_id_field(key_nodes.front()));

  std::map<std::string, AggregateSymbol> symbols;
  std::set<std::string> failed;  // aggregates with errors: not reported again where used
  for (const auto& [name, text] : doc.aggregates) {
    const bool list = pack.lists.count(name) != 0;
    if (list || pack.macros.count(name) != 0) {
      compiler.error(text.where,
                     "aggregate '" + name + "' has the name of a " + (list ? "list" : "macro"));
      failed.insert(name);
      continue;
    }
    if (auto aggregate = compile_aggregate(name, text, record_scope, aggregate_names, compiler)) {
      symbols[name] = AggregateSymbol{static_cast<int>(rule.aggregates.size()), aggregate->type};
      rule.aggregates.push_back(std::move(*aggregate));
    } else {
      failed.insert(name);
    }
  }

  CompileScope scope = record_scope;
  if (!doc.aggregates.empty()) scope.aggregates = &symbols;
  const auto compile_bool = [&](const TextAt& text) -> std::unique_ptr<CompiledExpr> {
    const std::optional<ExprNode> node = compiler.parse(text);
    if (!node || uses_any(*node, failed)) return nullptr;
    return compiler.compile(*node, scope, ValueType::Bool);
  };
  const auto compile_text = [&](const std::optional<TemplateNode>& node) {
    std::optional<CompiledTemplate> compiled;
    const bool usable =
        node && std::none_of(node->holes.begin(), node->holes.end(),
                             [&](const ExprNode& hole) { return uses_any(hole, failed); });
    if (usable) compiled = compiler.compile_template(*node, scope);
    return compiled.has_value() ? std::move(*compiled) : CompiledTemplate{};
  };

  rule.condition = compile_bool(doc.condition);
  for (const EscalationDoc& step : doc.escalate) {
    rule.escalate.push_back(CompiledEscalation{level_from_string(step.level).value_or(Level::Red),
                                               compile_bool(step.when)});
  }
  std::stable_sort(
      rule.escalate.begin(), rule.escalate.end(),
      [](const CompiledEscalation& a, const CompiledEscalation& b) { return a.level > b.level; });
  rule.message = compile_text(compiler.parse_template(doc.message));
  if (doc.dedup) {
    rule.dedup = compile_text(compiler.parse_template(*doc.dedup));
  } else if (key_nodes.size() == doc.key.size() &&
             std::all_of(rule.key.begin(), rule.key.end(),
                         [](const auto& part) { return part != nullptr; })) {
    // Key parts with errors are reported once, for the key.
    rule.dedup = compile_text(default_dedup(key_nodes, doc.where_defined));
  }
  return rule;
}

}  // namespace sfmon::rules::pack_compiler
