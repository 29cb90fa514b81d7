#pragma once
// Exact arithmetic behind the expression operators: money stays int64 fen,
// intermediate products use 128-bit integers, and every result that would
// leave the int64 range is reported (nullopt) instead of wrapping.

#include <cstdint>
#include <optional>

#include "sfmon/model/money.h"

namespace sfmon::rules::math {

// The bureau zone's fixed offset (Asia/Shanghai, no DST since 1991).
constexpr std::int64_t kBureauOffsetSeconds = 8 * 3600;
constexpr std::int64_t kSecondsPerDay = 86400;

// money × factor and money ÷ divisor, rounded half away from zero to the fen.
// A number factor is taken as its 15-significant-digit decimal form, the
// precision a double holds exactly, so 0.3 multiplies as 3/10 and not as the
// binary 0.29999999999999998890. nullopt: factor not finite, division by
// zero, or a result outside int64.
std::optional<Fen> multiply_money(Fen fen, double factor);
std::optional<Fen> divide_money(Fen fen, double divisor);
std::optional<Fen> divide_money(Fen fen, std::int64_t divisor);

// `day` (days since 1970-01-01) moved by whole calendar months, the day of
// month clamped to the target month's end (Jan 31 + 1 month = Feb 29 in a
// leap year). nullopt outside years 1..9999.
std::optional<std::int64_t> add_months(std::int64_t day, std::int64_t months);

// The bureau-zone calendar day (days since epoch) of a UTC instant in seconds.
std::int64_t local_day(std::int64_t utc_seconds);

}  // namespace sfmon::rules::math
