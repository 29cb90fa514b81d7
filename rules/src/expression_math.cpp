#include "expression_math.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include "sfmon/model/time.h"

namespace sfmon::rules::math {
namespace {

// __extension__: 128-bit integers are a GCC/Clang extension (-Wpedantic).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

constexpr Int128 kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr Int128 kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr Int128 kInt128Max = static_cast<Int128>((static_cast<UInt128>(1) << 127) - 1);

// mantissa × 10^exponent, with |mantissa| < 10^15 and no trailing zeros.
struct Decimal {
  std::int64_t mantissa = 0;
  int exponent = 0;
};

std::optional<Decimal> decimal_of(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  char buffer[64];
  // d.dddddddddddddde±XX: 15 significant digits.
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific, 14);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  Decimal decimal;
  bool negative = false;
  std::size_t pos = 0;
  if (text[pos] == '-') {
    negative = true;
    ++pos;
  }
  for (; pos < text.size() && text[pos] != 'e'; ++pos) {
    if (text[pos] == '.') continue;
    decimal.mantissa = decimal.mantissa * 10 + (text[pos] - '0');
  }
  int exponent = 0;
  ++pos;  // 'e'
  const char* start = text.data() + pos + (text[pos] == '+' ? 1 : 0);
  std::from_chars(start, text.data() + text.size(), exponent);
  decimal.exponent = exponent - 14;
  if (decimal.mantissa == 0) return Decimal{};
  while (decimal.mantissa % 10 == 0) {
    decimal.mantissa /= 10;
    ++decimal.exponent;
  }
  if (negative) decimal.mantissa = -decimal.mantissa;
  return decimal;
}

// decimal_of(value), remembering the last value asked for: the factor of a
// money product is mostly a pack parameter, the same for every record judged,
// and printing it to find its digits costs more than the product.
std::optional<Decimal> to_decimal(double value) {
  thread_local std::uint64_t last_bits = 0;              // the bits of 0.0 ...
  thread_local std::optional<Decimal> last = Decimal{};  // ... whose digits are 0 × 10^0
  const auto bits = std::bit_cast<std::uint64_t>(value);
  if (bits != last_bits) {
    last = decimal_of(value);
    last_bits = bits;
  }
  return last;
}

Int128 power_of_ten(int exponent) {  // exponent in 0..38
  Int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

Int128 magnitude(Int128 value) {
  return value < 0 ? -value : value;
}

// n ÷ d rounded half away from zero; d != 0 and |d| < 2^126.
Int128 divide_rounded(Int128 n, Int128 d) {
  Int128 quotient = n / d;
  const Int128 remainder = n % d;
  if (remainder != 0 && magnitude(remainder) * 2 >= magnitude(d)) {
    quotient += (n < 0) != (d < 0) ? -1 : 1;
  }
  return quotient;
}

std::optional<Fen> to_fen(Int128 value) {
  if (value > kInt64Max || value < kInt64Min) return std::nullopt;
  return static_cast<Fen>(value);
}

}  // namespace

std::optional<Fen> multiply_money(Fen fen, double factor) {
  const std::optional<Decimal> decimal = to_decimal(factor);
  if (!decimal) return std::nullopt;
  // |fen| < 2^63 and |mantissa| < 2^50: the product fits in 113 bits.
  Int128 product = static_cast<Int128>(fen) * decimal->mantissa;
  if (decimal->exponent >= 0) {
    if (product == 0) return 0;
    if (decimal->exponent > 18 || magnitude(product) > kInt64Max) return std::nullopt;
    return to_fen(product * power_of_ten(decimal->exponent));
  }
  // Below 10^-38 the quotient of a 113-bit product rounds to 0.
  if (decimal->exponent < -38) return 0;
  return to_fen(divide_rounded(product, power_of_ten(-decimal->exponent)));
}

std::optional<Fen> divide_money(Fen fen, double divisor) {
  const std::optional<Decimal> decimal = to_decimal(divisor);
  if (!decimal || decimal->mantissa == 0) return std::nullopt;
  if (fen == 0) return 0;
  if (decimal->exponent <= 0) {
    // fen × 10^k ÷ mantissa: when fen × 10^k overflows 128 bits, the quotient
    // (mantissa < 10^15) is far outside int64 anyway.
    const int k = -decimal->exponent;
    if (k > 38) return std::nullopt;
    const Int128 scale = power_of_ten(k);
    if (magnitude(fen) > kInt128Max / scale) return std::nullopt;
    return to_fen(divide_rounded(static_cast<Int128>(fen) * scale, decimal->mantissa));
  }
  // A divisor of 10^20 or more makes any int64 amount round to 0.
  if (decimal->exponent >= 20) return 0;
  return to_fen(divide_rounded(
      fen, static_cast<Int128>(decimal->mantissa) * power_of_ten(decimal->exponent)));
}

std::optional<Fen> divide_money(Fen fen, std::int64_t divisor) {
  if (divisor == 0) return std::nullopt;
  return to_fen(divide_rounded(fen, divisor));
}

std::optional<std::int64_t> add_months(std::int64_t day, std::int64_t months) {
  constexpr std::int64_t kMonthsLimit = 12 * 10000;
  if (months > kMonthsLimit || months < -kMonthsLimit) return std::nullopt;
  const Date date = Date::from_days_since_epoch(day);
  const std::int64_t index = std::int64_t{date.year} * 12 + (date.month - 1) + months;
  const std::int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  const auto month = static_cast<int>(index - year * 12 + 1);
  if (year < 1 || year > 9999) return std::nullopt;
  const auto year_int = static_cast<int>(year);
  const int last_day = days_in_month(year_int, month);
  return Date{year_int, month, date.day < last_day ? date.day : last_day}.days_since_epoch();
}

std::int64_t local_day(std::int64_t utc_seconds) {
  const Int128 local = static_cast<Int128>(utc_seconds) + kBureauOffsetSeconds;
  Int128 day = local / kSecondsPerDay;
  if (local % kSecondsPerDay < 0) --day;
  return static_cast<std::int64_t>(day);
}

}  // namespace sfmon::rules::math
