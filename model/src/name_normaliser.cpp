#include "sfmon/model/name_normaliser.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace sfmon {
namespace {

// Decodes one UTF-8 sequence at `pos`; returns its length, or 0 if invalid.
std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t* out) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  char32_t code = 0;
  if (lead < 0x80) {
    *out = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(pos + i) & 0x3F);
  }
  *out = code;
  return length;
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

// Whether a byte can be part of something normalising changes: ASCII upper
// case and white space, and the lead bytes of U+3000 (E3), of the full-width
// forms (EF), and of the over-long encodings decode_utf8 accepts, which can
// spell any of those (C0, C1, E0, F0). A name with none of them comes out as
// it went in; most names do (Chinese characters lead with E4 to E9).
constexpr std::array<bool, 256> kMayChange = [] {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (const int c :
       {int{' '}, int{'\t'}, int{'\n'}, int{'\r'}, 0xC0, 0xC1, 0xE0, 0xE3, 0xEF, 0xF0}) {
    table[static_cast<std::size_t>(c)] = true;
  }
  return table;
}();

// The bytes normalise_account drops or changes.
constexpr std::array<bool, 256> kAccountChanges = [] {
  std::array<bool, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (const int c : {int{' '}, int{'-'}, int{'\t'}}) table[static_cast<std::size_t>(c)] = true;
  return table;
}();

}  // namespace

std::string normalise_name(std::string_view name) {
  if (std::none_of(name.begin(), name.end(),
                   [](char c) { return kMayChange[static_cast<unsigned char>(c)]; })) {
    return std::string(name);
  }
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  for (std::size_t pos = 0; pos < name.size();) {
    char32_t code = 0;
    std::size_t length = decode_utf8(name, pos, &code);
    if (length == 0) {  // keep invalid bytes as they are; never guess an encoding
      out += name[pos++];
      continue;
    }
    const std::string_view original = name.substr(pos, length);
    pos += length;
    if (is_space(code)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (code >= 0xFF01 && code <= 0xFF5E) code -= 0xFEE0;  // full-width ASCII forms
    if (code < 0x80) {
      char c = static_cast<char>(code);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      out += c;
    } else {
      out += original;
    }
  }
  return out;
}

std::string normalise_account(std::string_view account) {
  std::string out;
  out.reserve(account.size());
  for (char c : account) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += c;
  }
  return out;
}

bool account_is_normalised(std::string_view account) {
  return std::none_of(account.begin(), account.end(),
                      [](char c) { return kAccountChanges[static_cast<unsigned char>(c)]; });
}

}  // namespace sfmon
