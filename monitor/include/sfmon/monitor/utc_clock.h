#pragma once
// The clock the alert manager reads, injectable so tests can stand exactly
// on a deadline. Times are UTC seconds since the epoch.

#include <cstdint>
#include <functional>

namespace sfmon {

using UtcClock = std::function<std::int64_t()>;

// clock() when set, else the system clock.
std::int64_t utc_now(const UtcClock& clock);

}  // namespace sfmon
