#include "input_text.h"

#include <cstdio>

#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

unsigned char byte_at(std::string_view text, std::size_t pos) {
  return static_cast<unsigned char>(text[pos]);
}

bool is_continuation(std::string_view text, std::size_t pos, unsigned char low = 0x80,
                     unsigned char high = 0xBF) {
  if (pos >= text.size()) return false;
  const unsigned char b = byte_at(text, pos);
  return b >= low && b <= high;
}

// Length of the well-formed sequence starting at `pos`, or 0 if it is not one.
std::size_t sequence_length(std::string_view text, std::size_t pos) {
  const unsigned char lead = byte_at(text, pos);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return is_continuation(text, pos + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    // E0 needs A0..BF (no overlongs); ED needs 80..9F (no surrogates).
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return is_continuation(text, pos + 1, low, high) && is_continuation(text, pos + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    // F0 needs 90..BF (no overlongs); F4 needs 80..8F (at most U+10FFFF).
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return is_continuation(text, pos + 1, low, high) && is_continuation(text, pos + 2) &&
                   is_continuation(text, pos + 3)
               ? 4
               : 0;
  }
  return 0;
}

std::string escape_bytes(std::string_view bytes) {
  std::string escaped;
  for (const char c : bytes) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned char>(c));
    escaped += buffer;
  }
  return escaped;
}

}  // namespace

std::string_view strip_utf8_bom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return text;
}

std::size_t find_invalid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t length = sequence_length(text, pos);
    if (length == 0) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

void require_valid_utf8(std::string_view text, const std::string& file, int first_line) {
  const std::size_t bad = find_invalid_utf8(text);
  if (bad == std::string_view::npos) return;
  int line = first_line;
  std::size_t line_start = 0;
  // Line breaks counted as the CSV reader counts them: CRLF, LF or a lone CR.
  for (std::size_t i = 0; i < bad; ++i) {
    const bool lone_cr = text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n');
    if (text[i] == '\n' || lone_cr) {
      ++line;
      line_start = i + 1;
    }
  }
  throw InputError(file, line_location(line),
                   "invalid UTF-8 at byte " + std::to_string(bad - line_start + 1) +
                       " of the line (only UTF-8 text is accepted)",
                   escape_bytes(text.substr(bad, 4)));
}

std::string_view trim_ascii(std::string_view text) {
  constexpr std::string_view kBlank = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kBlank);
  return text.substr(first, last - first + 1);
}

std::string line_location(int line) {
  return "line " + std::to_string(line);
}

}  // namespace sfmon
