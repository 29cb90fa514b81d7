#pragma once
// Where a rule is evaluated and what its aggregates see (docs/rules.md
// "Windows"). For one key's triggering facts (those passing the rule's
// `where`, in event order) the plan lists the evaluation points: the fact
// whose fields the condition reads, the window's members as a closed range
// of coordinates, the firing time and the window.* fields.
//
// Coordinates are UTC seconds, except for tumbling day windows, whose
// members are matched by local day. Every window is turned into a closed
// integer range: (t − W, t] = [t − W + 1, t]; closed [t − W, t];
// exclude_current [t − W, t − 1] (strictly earlier instants, so records
// booked at the same instant are out); following (t, t + W] = [t + 1, t + W].
// Bounds never decrease along a key's points, which the sliding aggregates
// rely on.

#include <cstdint>
#include <vector>

#include "fact_context.h"
#include "sfmon/rules/facts.h"

namespace sfmon::rules {

struct EvaluationPoint {
  std::uint32_t fact = 0;  // index into SchoolFacts::facts: the "current record"
  std::int64_t lo = 0;     // members with lo <= coordinate <= hi feed the aggregates
  std::int64_t hi = 0;
  std::int64_t time = 0;    // the firing's time (UTC seconds)
  bool has_window = false;  // window.* fields are set
  WindowFields window;
};

// The coordinate of `fact` in windows of this kind.
std::int64_t window_coordinate(const WindowDoc& window, const Fact& fact);

// Appends the evaluation points of one key; `triggers` index facts.facts in
// event order. No window: one point per trigger whose aggregates would see
// only the trigger's instant. Tumbling day: one point per local day, at the
// day's last trigger, firing at the day's last second.
void plan_evaluations(const WindowDoc& window, const SchoolFacts& facts,
                      const std::vector<std::uint32_t>& triggers,
                      std::vector<EvaluationPoint>& points);

}  // namespace sfmon::rules
