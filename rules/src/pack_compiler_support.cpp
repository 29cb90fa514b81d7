#include <algorithm>

#include "pack_compiler.h"

namespace sfmon::rules::pack_compiler {
namespace {

std::tuple<std::string, int, int> key_of(const SourceRef& where) {
  return {where.file, where.line, where.column};
}

}  // namespace

void Diagnostics::add(const PackError& error, const std::string& prefix, bool from_macro) {
  for (const Diagnostic& diagnostic : error.errors()) {
    if (from_macro) {
      macro_error_positions_.insert(key_of(diagnostic.where));
    } else if (macro_error_positions_.count(key_of(diagnostic.where)) != 0) {
      continue;
    }
    errors_.push_back({diagnostic.where, prefix + diagnostic.message});
  }
}

std::vector<Diagnostic> Diagnostics::sorted_errors() const {
  std::vector<std::string> files;
  for (const Diagnostic& error : errors_) {
    if (std::find(files.begin(), files.end(), error.where.file) == files.end()) {
      files.push_back(error.where.file);
    }
  }
  const auto file_index = [&](const Diagnostic& error) {
    return std::find(files.begin(), files.end(), error.where.file) - files.begin();
  };
  std::vector<Diagnostic> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::make_tuple(file_index(a), a.where.line, a.where.column) <
           std::make_tuple(file_index(b), b.where.line, b.where.column);
  });
  return sorted;
}

std::string position_text(const SourceRef& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

void Usage::add(const ExprNode& node) {
  if (node.op == ExprOp::Name) names.insert(node.name);
  if (node.op == ExprOp::Param) {
    params.insert(!node.name.empty() && node.name.front() == '$' ? node.name.substr(1) : node.name);
  }
  for (const ExprNode& child : node.children) add(child);
}

std::optional<ExprNode> ItemCompiler::parse(const TextAt& text) {
  try {
    ExprNode node = parse_expression(text.text, text.where);
    usage_.add(node);
    return node;
  } catch (const PackError& error) {
    diagnostics_.add(error, "in " + item_ + ": ", is_macro_);
  }
  return std::nullopt;
}

std::optional<AggregateNode> ItemCompiler::parse_aggregate(const TextAt& text) {
  try {
    AggregateNode node = rules::parse_aggregate(text.text, text.where);
    if (node.argument) usage_.add(*node.argument);
    if (node.filter) usage_.add(*node.filter);
    return node;
  } catch (const PackError& error) {
    diagnostics_.add(error, "in " + item_ + ": ", is_macro_);
  }
  return std::nullopt;
}

std::optional<TemplateNode> ItemCompiler::parse_template(const TextAt& text) {
  try {
    TemplateNode node = rules::parse_template(text.text, text.where);
    for (const ExprNode& hole : node.holes) usage_.add(hole);
    return node;
  } catch (const PackError& error) {
    diagnostics_.add(error, "in " + item_ + ": ", is_macro_);
  }
  return std::nullopt;
}

std::unique_ptr<CompiledExpr> ItemCompiler::compile(const ExprNode& node, const CompileScope& scope,
                                                    ValueType expected) {
  try {
    return compile_expression(node, scope, expected);
  } catch (const PackError& error) {
    // compile_expression names the item itself (CompileScope::item).
    diagnostics_.add(error, "", is_macro_);
  }
  return nullptr;
}

std::unique_ptr<CompiledExpr> ItemCompiler::expression(const TextAt& text,
                                                       const CompileScope& scope,
                                                       ValueType expected) {
  const std::optional<ExprNode> node = parse(text);
  if (!node) return nullptr;
  return compile(*node, scope, expected);
}

std::optional<CompiledTemplate> ItemCompiler::compile_template(const TemplateNode& node,
                                                               const CompileScope& scope) {
  CompiledTemplate compiled;
  compiled.literals = node.literals;
  bool ok = true;
  for (const ExprNode& hole : node.holes) {
    std::unique_ptr<CompiledExpr> expr = compile(hole, scope);
    ok = ok && expr != nullptr;
    compiled.holes.push_back(std::move(expr));
  }
  if (!ok) return std::nullopt;
  return compiled;
}

}  // namespace sfmon::rules::pack_compiler
