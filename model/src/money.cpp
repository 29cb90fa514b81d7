#include "sfmon/model/money.h"

#include <cstdlib>

namespace sfmon {
namespace {

constexpr Fen kMaxFen = 90'000'000'000'000'000;  // 9e17 fen, far below int64 overflow

bool fail(std::string* why, const char* reason) {
  if (why) *why = reason;
  return false;
}

}  // namespace

std::optional<Fen> parse_amount(std::string_view text, const AmountSyntax& syntax,
                                std::string* why) {
  if (text.empty()) {
    fail(why, "empty amount");
    return std::nullopt;
  }
  std::size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    if (!syntax.allow_sign) {
      fail(why, "sign not allowed here");
      return std::nullopt;
    }
    negative = text[0] == '-';
    pos = 1;
  }
  Fen units = 0;
  int integer_digits = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
    units = units * 10 + (text[pos] - '0');
    if (units > kMaxFen / 100) {
      fail(why, "amount out of range");
      return std::nullopt;
    }
    ++integer_digits;
  }
  Fen cents = 0;
  int decimals = 0;
  bool has_separator = false;
  if (pos < text.size() && text[pos] == syntax.decimal_separator) {
    has_separator = true;
    ++pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++decimals) {
      const int digit = text[pos] - '0';
      if (decimals < 2) {
        cents = cents * 10 + digit;
      } else if (digit != 0) {
        fail(why, "more than two decimals (not an exact amount in fen)");
        return std::nullopt;
      } else if (!syntax.allow_zero_extra_decimals) {
        fail(why, "more than two decimals");
        return std::nullopt;
      }
    }
  }
  if (pos != text.size()) {
    fail(why, "not a decimal amount");
    return std::nullopt;
  }
  // MT940 writes "12," for twelve; "." alone or "-" alone is no number.
  if (integer_digits == 0 && (decimals == 0 || !has_separator)) {
    fail(why, "not a decimal amount");
    return std::nullopt;
  }
  if (decimals == 1) cents *= 10;
  const Fen fen = units * 100 + cents;
  return negative ? -fen : fen;
}

std::string format_amount(Fen fen) {
  // Negate in unsigned arithmetic so that no value overflows.
  const bool negative = fen < 0;
  const unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
  std::string text = std::to_string(magnitude / 100);
  const unsigned long long cents = magnitude % 100;
  text += '.';
  text += static_cast<char>('0' + cents / 10);
  text += static_cast<char>('0' + cents % 10);
  return negative ? "-" + text : text;
}

}  // namespace sfmon
