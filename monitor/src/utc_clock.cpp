#include "sfmon/monitor/utc_clock.h"

#include <chrono>

namespace sfmon {

std::int64_t utc_now(const UtcClock& clock) {
  if (clock) return clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace sfmon
