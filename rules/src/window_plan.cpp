#include "window_plan.h"

namespace sfmon::rules {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t start_of_local_day(std::int64_t day, const Zone& zone) {
  return day * kSecondsPerDay - static_cast<std::int64_t>(zone.offset_minutes) * 60;
}

EvaluationPoint sliding_point(const WindowDoc& window, std::uint32_t index, std::int64_t t) {
  EvaluationPoint point;
  point.fact = index;
  point.time = t;
  point.has_window = true;
  const std::int64_t width = window.seconds;
  if (window.kind == WindowKind::Following) {
    // [t, t + W): half-open like every window; a record exactly W later is
    // not "within W", and one at the same instant (same date-only day) is.
    point.lo = t;
    point.hi = t + width - 1;
    point.window.start = t;
    point.window.end = t + width;
    return point;
  }
  point.lo = window.closed || window.exclude_current ? t - width : t - width + 1;
  point.hi = window.exclude_current ? t - 1 : t;
  point.window.start = t - width;
  point.window.end = t;
  return point;
}

}  // namespace

std::int64_t window_coordinate(const WindowDoc& window, const Fact& fact) {
  return window.kind == WindowKind::TumblingDay ? fact.day : fact.time;
}

void plan_evaluations(const WindowDoc& window, const SchoolFacts& facts,
                      const std::vector<std::uint32_t>& triggers,
                      std::vector<EvaluationPoint>& points) {
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    const std::uint32_t index = triggers[i];
    const Fact& fact = facts.facts[index];
    switch (window.kind) {
      case WindowKind::None: {
        EvaluationPoint point;
        point.fact = index;
        point.lo = point.hi = point.time = fact.time;
        points.push_back(point);
        break;
      }
      case WindowKind::TumblingDay: {
        const bool last_of_day =
            i + 1 == triggers.size() || facts.facts[triggers[i + 1]].day != fact.day;
        if (!last_of_day) break;
        EvaluationPoint point;
        point.fact = index;
        point.lo = point.hi = fact.day;
        point.has_window = true;
        point.window.day = fact.day;
        point.window.start = start_of_local_day(fact.day, facts.zone);
        point.window.end = point.window.start + kSecondsPerDay - 1;
        point.time = point.window.end;
        points.push_back(point);
        break;
      }
      case WindowKind::Preceding:
      case WindowKind::Following:
        points.push_back(sliding_point(window, index, fact.time));
        break;
    }
  }
}

}  // namespace sfmon::rules
