#pragma once
// Money is an exact signed integer number of fen (1/100 of the currency unit;
// for CNY the fen, 分). No floating point anywhere on the money path.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfmon {

using Fen = std::int64_t;

struct AmountSyntax {
  char decimal_separator = '.';
  bool allow_sign = true;                 // leading '-' or '+'
  bool allow_zero_extra_decimals = true;  // "5442.09000" is exact; "1.005" is not
};

// Parses a decimal string such as "1234.50", "-0.5", "12,35" (with ',' syntax)
// into fen. Returns nullopt and sets `why` when the text is not an exact amount:
// empty, stray characters, thousands separators, a non-zero third decimal, or
// a value outside ±9e16 fen.
std::optional<Fen> parse_amount(std::string_view text, const AmountSyntax& syntax,
                                std::string* why = nullptr);

// "1234.50", "-12.35", "0.00": always two decimals, '.' separator.
std::string format_amount(Fen fen);

}  // namespace sfmon
