#pragma once
// Daily totals of a windowed rule's aggregates, so that incremental
// evaluation need not reload the days that every judged window covers whole.
//
// A 90-day baseline (FUND-ANOMALY) re-judged for one new day reads back 90
// days of the school's records to rebuild its window. For count, sum, mean
// and stddev of integer-valued arguments the window's state is exact
// moments (aggregate_state.h): count, Σx and Σx². Those add up, so a run of
// whole days can stand in the window as one member carrying their totals,
// provided every judged window holds all of those days (they never enter or
// leave while judging). day_totals() computes the totals from facts;
// evaluate_school() with a WindowSeed puts them back. The monitor keeps the
// totals between runs (monitor/src/window_totals_store.h) and decides when
// they are still valid.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sfmon/rules/evaluator.h"
#include "sfmon/rules/facts.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules {

__extension__ typedef __int128 WideInt;

// One aggregate's members over some span: how many had a (non-null)
// argument value, and the exact sum of the values and of their squares
// (for count(): count only).
struct Moments {
  std::int64_t count = 0;
  WideInt sum = 0;
  WideInt sum_squares = 0;
  friend bool operator==(const Moments&, const Moments&) = default;
};

// Moments per aggregate slot of the rule, for the facts of one key.
struct KeyTotals {
  std::string key;  // key_text() of the key's values
  std::vector<Moments> aggregates;
  friend bool operator==(const KeyTotals&, const KeyTotals&) = default;
};

// One local day's totals of one rule; `keys` sorted by key, keys without a
// member left out (a day with no member has no keys, and is still a total).
struct DayTotals {
  std::int64_t day = 0;  // local day, days since 1970-01-01
  std::vector<KeyTotals> keys;
  friend bool operator==(const DayTotals&, const DayTotals&) = default;
};

// Whether totals may stand in for `rule`'s facts: a look-back window
// (preceding), aggregates that are count() or sum/mean/stddev of money,
// integer or duration arguments, evidence of the trigger only (window
// evidence lists the members), bank facts only and no closing_balance()
// (bank facts are derived from their own record, the registry and
// reversals alone; the monitor rules out reversals).
bool totals_can_stand_in(const CompiledRule& rule);

// A canonical text of one key tuple (type and value of each part).
std::string key_text(std::span<const Value> key);

// The totals of `rule` (totals_can_stand_in) per local day in [first_day,
// last_day], one entry per day, including days without members. `facts`
// must hold every fact of those days. Appends to `out`; a day whose sums
// would overflow 128 bits is left out (it is then never stood in for).
void day_totals(const CompiledPack& pack, const CompiledRule& rule, const SchoolFacts& facts,
                std::int64_t first_day, std::int64_t last_day, std::vector<DayTotals>& out);

// Totals standing in for facts left out of a rule's evaluation: they join
// each key's window at `coordinate` (UTC seconds), which must lie inside
// the window of every point judged, with all the facts they count.
struct WindowSeed {
  std::int64_t coordinate = 0;
  std::vector<KeyTotals> keys;  // sorted by key
};

// Adds `day` to `sums` (both sorted by key). False when a sum would overflow.
bool add_totals(std::vector<KeyTotals>& sums, const DayTotals& day);

// Thrown by evaluate_school() when a seeded window's statistic cannot be
// computed exactly from moments (128-bit overflow); evaluating without the
// seed, from all the facts, gives the answer.
struct SeedOverflow : std::runtime_error {
  SeedOverflow() : std::runtime_error("window totals overflow; evaluate from the facts") {}
};

// evaluate_school() with, per rule, an optional seed (nullptr: none).
// `seeds` has one entry per rule of the pack.
std::vector<Firing> evaluate_school(const CompiledPack& pack, const SchoolFacts& facts,
                                    std::span<const TimeRange> rule_ranges,
                                    std::span<const WindowSeed* const> seeds);

}  // namespace sfmon::rules
