#pragma once
// One aggregate of one rule over one key's records, as a sliding window.
//
// The members (the key's records that the aggregate may see, in event
// order, each with its argument's value) are filled once per key; slide()
// then moves the window [lo, hi] forward through them. Both bounds only
// grow, so every member enters and leaves at most once (two pointers):
// count, sum, min/max (monotonic deque) and distinct (hash map of counts)
// are kept incrementally, and a key's whole history costs O(members).
//
// mean and stddev (population) of integer-valued arguments (money, integer,
// duration) come from the window's exact moments (count, Σx, Σx² in 128-bit
// integers), also kept while sliding: O(1) per evaluation and free of the
// drift that removing samples from floating-point sums would bring, so a
// 90-day baseline over a long, dense history stays linear. Number
// arguments, moments that would overflow, and quantiles are computed with
// Boost.Accumulators from the window's values when a rule reads them:
// O(window) (quantiles O(window · log window)) per evaluation that reads
// them, never for evaluations whose condition does not get that far.

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sfmon/rules/rule_pack.h"
#include "sfmon/rules/window_totals.h"
#include "window_keys.h"

namespace sfmon::rules {

struct AggregateMember {
  std::int64_t coordinate = 0;  // UTC seconds, or the local day for tumbling windows
  std::uint32_t fact = 0;       // index into SchoolFacts::facts
  Value value;                  // the argument's value; Null for count()
  // Set for totals standing in for facts left out (window_totals.h): the
  // member counts as totals->count members with those moments. Borrowed.
  const Moments* totals = nullptr;
};

class SlidingAggregate {
 public:
  // `spec` is borrowed and must outlive this object.
  explicit SlidingAggregate(const CompiledAggregate& spec) : spec_(&spec) {}

  // Empties members and window for the next key (keeps capacity).
  void clear();
  // Members must be appended in non-decreasing coordinate order.
  void add_member(AggregateMember member) { members_.push_back(std::move(member)); }

  // Moves the window to the members with lo <= coordinate <= hi. Neither
  // bound may decrease between calls until clear().
  void slide(std::int64_t lo, std::int64_t hi);

  // The aggregate over the window. Empty window: count, distinct and sum
  // are 0; min, max, mean, stddev and quantile are null. Money and
  // duration means, deviations and quantiles are rounded half away from
  // zero to the fen / second.
  Value value() const;

  // Appends the facts that fed value(): the window's members (for an
  // aggregate with an argument, those whose argument is not null). Totals
  // members name no fact and are left out.
  void append_contributors(std::vector<std::uint32_t>& facts) const;

 private:
  void enter(std::size_t index);
  void leave(std::size_t index);
  Value statistic() const;
  Value statistic_from_moments() const;
  Value statistic_by_boost() const;
  std::vector<double> window_values() const;  // the non-null values, as doubles
  void add_moments(const Value& value, int sign);
  void enter_totals(const Moments& totals, int sign);

  const CompiledAggregate* spec_;
  std::vector<AggregateMember> members_;
  std::size_t begin_ = 0;  // window = members_[begin_, end_)
  std::size_t end_ = 0;
  std::int64_t present_ = 0;  // members in the window whose value is not null
  // Exact: a window of int64 values cannot overflow it (read back
  // saturated to the int64 range, beyond which no amount of fen is real).
  __extension__ __int128 integer_sum_ = 0;
  long double real_sum_ = 0;
  // Σx and Σx² of integer-valued mean/stddev arguments; false once either
  // would overflow (then Boost.Accumulators recomputes from the values).
  __extension__ __int128 moment1_ = 0;
  __extension__ __int128 moment2_ = 0;
  bool moments_exact_ = true;
  // Totals members in the window, and what they count beyond one member each.
  int totals_in_window_ = 0;
  std::int64_t extra_count_ = 0;
  std::deque<std::size_t> extremes_;  // min/max candidates, monotonic
  std::unordered_map<Value, std::int64_t, window::ValueHash, window::ValueEqual> distinct_;
  mutable std::optional<Value> statistic_;  // cached until the window moves
};

}  // namespace sfmon::rules
