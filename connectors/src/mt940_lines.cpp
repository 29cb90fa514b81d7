#include "mt940_lines.h"

#include <cctype>
#include <optional>

#include "mt940_text.h"

namespace sfmon::mt940 {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kMaxTagLength = 5;  // "28C", "65F", "NS", "940": generous but bounded

// ":28C:rest" -> "28C"; nullopt when the line does not open a field. SWIFT
// forbids ':' as the first character of a continuation line, so this is safe.
std::optional<std::string_view> match_tag(std::string_view line) {
  if (line.size() < 3 || line[0] != ':') return std::nullopt;
  const auto close = line.find(':', 1);
  if (close == std::string_view::npos || close == 1 || close > kMaxTagLength + 1) {
    return std::nullopt;
  }
  const std::string_view tag = line.substr(1, close - 1);
  for (char c : tag) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return tag;
}

}  // namespace

Tokens tokenize(std::string_view content) {
  if (content.substr(0, kBom.size()) == kBom) content.remove_prefix(kBom.size());

  Tokens tokens;
  std::optional<std::size_t> open_field;  // index of the field continuation lines join
  int line_number = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    auto end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view raw = content.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);

    bool invalid = false;
    const std::string text = clean_text(raw, &invalid);
    if (invalid) {
      if (tokens.invalid_utf8_lines++ == 0) tokens.first_invalid_utf8_line = line_number;
    }

    std::string_view view = text;
    if (!view.empty() && view[0] == '{') {
      // Envelope blocks ({1:..}{2:..}, a lone {5:..} trailer) carry routing
      // data only; block 4 (the message text) may start on this very line.
      const auto block4 = view.find("{4:");
      open_field.reset();
      if (block4 == std::string_view::npos) continue;
      view.remove_prefix(block4 + 3);
      if (trim(view).empty()) continue;
    }
    if (!view.empty() && view[0] == '-') {
      tokens.items.push_back({ItemKind::MessageEnd, line_number, {}, {}});
      open_field.reset();
      continue;
    }
    if (const auto tag = match_tag(view)) {
      tokens.items.push_back({ItemKind::Field,
                              line_number,
                              std::string(*tag),
                              {std::string(view.substr(tag->size() + 2))}});
      open_field = tokens.items.size() - 1;
      continue;
    }
    if (open_field) {
      tokens.items[*open_field].lines.emplace_back(view);
      continue;
    }
    if (!trim(view).empty()) {
      tokens.items.push_back({ItemKind::Outside, line_number, {}, {std::string(view)}});
    }
  }
  return tokens;
}

}  // namespace sfmon::mt940
