#pragma once
// Private to the pack reader: one YAML file's text, parsed, with positions
// translated into what a user sees in an editor (1-based line, column in
// characters) and problems collected instead of thrown one at a time.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "sfmon/rules/diagnostic.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::pack_reader {

// Errors and warnings of one file, in the order found.
struct Problems {
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;

  void error(const SourceRef& where, std::string message) {
    errors.push_back({where, std::move(message)});
  }
  void warning(const SourceRef& where, std::string message) {
    warnings.push_back({where, std::move(message)});
  }
};

// In file order (line, then column); equal positions keep their order.
std::vector<Diagnostic> sorted(std::vector<Diagnostic> diagnostics);

// How a scalar's text is taken. An expression in a literal block scalar (|)
// gets its continuation lines re-indented as in the file, so that positions
// the expression parser computes on later lines match the file; whitespace
// does not change an expression's meaning. Templates keep their exact text.
enum class TextKind { Expression, Template };

class YamlSource {
 public:
  // `text` must outlive this object. A UTF-8 BOM is skipped.
  YamlSource(std::string_view text, std::string file);

  const std::string& file() const { return file_; }

  // Parses the whole text. On a syntax error, records it and returns an
  // undefined node (check with IsDefined()).
  YAML::Node load(Problems& problems) const;

  // yaml-cpp marks are 0-based with byte columns; this is 1-based with the
  // column counted in characters (UTF-8 code points).
  SourceRef at(const YAML::Mark& mark) const;
  SourceRef at(const YAML::Node& node) const { return at(node.Mark()); }

  // The scalar's text and where its first character is: the node's mark for
  // plain scalars, one past the opening quote for quoted ones, the first
  // content line (with its indentation) for block scalars.
  TextAt text_at(const YAML::Node& scalar, TextKind kind) const;

 private:
  std::string_view line(int index) const;  // 0-based, without the line break
  int column_of(int line_index, int byte_column) const;

  std::string_view text_;
  std::string file_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace sfmon::rules::pack_reader
