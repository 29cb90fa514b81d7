#pragma once
// Text helpers private to the MT940 parser: every byte that reaches a record
// is valid UTF-8 without control characters, so downstream JSON/SQLite/HTML
// never see raw bank bytes.

#include <cstddef>
#include <string>
#include <string_view>

namespace sfmon::mt940 {

// Replaces each byte that is not part of a well-formed UTF-8 sequence with
// U+FFFD and each C0 control character or DEL (tabs included) with a space.
// Sets *replaced_invalid when at least one byte was not valid UTF-8.
std::string clean_text(std::string_view raw, bool* replaced_invalid);

// Number of code points of valid UTF-8 text (SWIFT line lengths count characters).
std::size_t count_code_points(std::string_view utf8);

std::string_view trim(std::string_view text);

// An ASCII digit (std::isdigit depends on the locale).
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Trims and folds every run of spaces into one.
std::string fold_spaces(std::string_view text);

}  // namespace sfmon::mt940
