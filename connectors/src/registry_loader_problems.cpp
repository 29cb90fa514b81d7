#include <algorithm>

#include "registry_loader_internal.h"

namespace sfmon::registry_internal {
namespace {

bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Same shape as InputError's " (value '...')" so every input error in sfmon
// reads alike; cut at a character boundary and kept on one line.
std::string describe_value(std::string_view value) {
  constexpr std::size_t kMaxCharacters = 80;
  std::string shown;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (!is_utf8_continuation(c) && ++characters > kMaxCharacters) {
      shown += "...";
      break;
    }
    shown += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return " (value '" + shown + "')";
}

}  // namespace

ProblemList::ProblemList(std::string file, std::string_view text)
    : file_(std::move(file)), text_(text) {}

void ProblemList::add(const YAML::Mark& mark, const std::string& message, std::string_view value) {
  std::string text = message;
  if (!value.empty()) text += describe_value(value);
  problems_.push_back({mark.line + 1, column_of(mark), std::move(text)});
}

int ProblemList::column_of(const YAML::Mark& mark) const {
  if (mark.is_null()) return 0;
  // yaml-cpp counts bytes; count characters from the start of the line.
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) > text_.size()) return mark.column + 1;
  const std::size_t pos = static_cast<std::size_t>(mark.pos);
  const std::size_t break_before = pos == 0 ? std::string_view::npos : text_.rfind('\n', pos - 1);
  const std::size_t line_start = break_before == std::string_view::npos ? 0 : break_before + 1;
  const std::string_view before = text_.substr(line_start, pos - line_start);
  const auto characters =
      std::count_if(before.begin(), before.end(), [](char c) { return !is_utf8_continuation(c); });
  return static_cast<int>(characters) + 1;
}

YAML::Mark ProblemList::before(const YAML::Mark& next_token) const {
  if (next_token.is_null() || next_token.pos <= 0 ||
      static_cast<std::size_t>(next_token.pos) > text_.size()) {
    return next_token;
  }
  YAML::Mark mark = next_token;
  std::size_t pos = static_cast<std::size_t>(next_token.pos);
  while (pos > 0) {
    const char c = text_[--pos];
    if (c == '\n') {
      --mark.line;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      break;
    }
  }
  mark.pos = static_cast<int>(pos);
  return mark;
}

std::vector<std::string> ProblemList::sorted() const {
  std::vector<Problem> ordered = problems_;
  std::stable_sort(ordered.begin(), ordered.end(), [](const Problem& a, const Problem& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  std::vector<std::string> lines;
  lines.reserve(ordered.size());
  for (const Problem& problem : ordered) {
    // A problem without a position (a null mark) names only the file.
    if (problem.line <= 0) {
      lines.push_back(file_ + ": " + problem.text);
    } else {
      lines.push_back(file_ + ":" + std::to_string(problem.line) + ":" +
                      std::to_string(problem.column) + ": " + problem.text);
    }
  }
  return lines;
}

std::string ProblemList::line_of(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1);
}

}  // namespace sfmon::registry_internal
