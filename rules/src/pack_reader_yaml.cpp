#include "pack_reader_yaml.h"

#include <algorithm>

namespace sfmon::rules::pack_reader {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

int leading_spaces(std::string_view text) {
  const std::size_t first = text.find_first_not_of(' ');
  return static_cast<int>(first == std::string_view::npos ? text.size() : first);
}

// Drops the blank lines a block scalar may start with, so that the text
// begins on the line its position names.
std::string without_leading_blank_lines(const std::string& text) {
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos || !is_blank(std::string_view(text).substr(start, end - start))) {
      break;
    }
    start = end + 1;
  }
  return text.substr(start);
}

std::string reindented(const std::string& text, int indent) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] != '\n') {
      out.append(static_cast<std::size_t>(indent), ' ');
    }
  }
  return out;
}

}  // namespace

std::vector<Diagnostic> sorted(std::vector<Diagnostic> diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::make_pair(a.where.line, a.where.column) <
                            std::make_pair(b.where.line, b.where.column);
                   });
  return diagnostics;
}

YamlSource::YamlSource(std::string_view text, std::string file)
    : text_(text), file_(std::move(file)) {
  if (text_.substr(0, kBom.size()) == kBom) text_.remove_prefix(kBom.size());
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

YAML::Node YamlSource::load(Problems& problems) const {
  try {
    return YAML::Load(std::string(text_));
  } catch (const YAML::ParserException& error) {
    problems.error(at(error.mark), "YAML syntax error: " + error.msg);
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string_view YamlSource::line(int index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= line_starts_.size()) return {};
  const std::size_t start = line_starts_[static_cast<std::size_t>(index)];
  std::size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  std::string_view result = text_.substr(start, end - start);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

int YamlSource::column_of(int line_index, int byte_column) const {
  const std::string_view text = line(line_index);
  const std::size_t bytes = std::min(text.size(), static_cast<std::size_t>(byte_column));
  int characters = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    // UTF-8 continuation bytes (10xxxxxx) belong to the character before.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++characters;
  }
  // Past the end of the line (yaml-cpp marks the end of input there).
  if (static_cast<std::size_t>(byte_column) > text.size()) {
    characters += byte_column - static_cast<int>(text.size());
  }
  return characters + 1;
}

SourceRef YamlSource::at(const YAML::Mark& mark) const {
  if (mark.line < 0 || mark.column < 0) return {file_, 0, 0};
  return {file_, mark.line + 1, column_of(mark.line, mark.column)};
}

TextAt YamlSource::text_at(const YAML::Node& scalar, TextKind kind) const {
  const YAML::Mark mark = scalar.Mark();
  const std::string_view first_line = line(mark.line);
  const char opener = mark.column >= 0 && static_cast<std::size_t>(mark.column) < first_line.size()
                          ? first_line[static_cast<std::size_t>(mark.column)]
                          : '\0';
  if (opener == '"' || opener == '\'') {
    return {scalar.Scalar(), {file_, mark.line + 1, column_of(mark.line, mark.column + 1)}};
  }
  if (opener != '|' && opener != '>') return {scalar.Scalar(), at(mark)};

  int content_line = mark.line + 1;
  const int line_count = static_cast<int>(line_starts_.size());
  while (content_line < line_count && is_blank(line(content_line))) ++content_line;
  std::string text = without_leading_blank_lines(scalar.Scalar());
  if (content_line >= line_count || text.empty()) return {std::move(text), at(mark)};

  // The block's indentation: where the content line starts minus the spaces
  // that the text itself keeps (more-indented first lines, or |2 indicators).
  const int indent = leading_spaces(line(content_line)) - leading_spaces(text);
  if (kind == TextKind::Expression && opener == '|') text = reindented(text, indent);
  return {std::move(text), {file_, content_line + 1, column_of(content_line, indent)}};
}

}  // namespace sfmon::rules::pack_reader
