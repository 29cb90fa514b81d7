#pragma once
// Evaluates a compiled pack over one school's facts. A pure function of its
// inputs: the same facts give the same firings whatever order the records
// arrived in, which is what makes late, out-of-order bank files safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/rules/facts.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules {

struct Firing {
  std::string rule_id;
  int rule_version = 1;
  std::string school_id;
  Level level = Level::Yellow;
  std::string dedup_key;
  std::int64_t time = 0;  // event time (UTC seconds) of the triggering fact or window end
  std::string message;
  std::vector<std::pair<std::string, std::string>> values;  // aggregate/key name → formatted value
  std::vector<EvidenceRef> evidence;  // every record that made it fire, sorted, unique
  std::int64_t group_window_seconds = 86400;
};

// Only firings whose event time is in [from, to] (UTC seconds) are returned;
// windows still see facts outside the range.
struct TimeRange {
  std::int64_t from = INT64_MIN;
  std::int64_t to = INT64_MAX;
};

std::vector<Firing> evaluate_school(const CompiledPack& pack, const SchoolFacts& facts,
                                    const TimeRange& range = {});

// As above, with a range per rule: `rule_ranges[i]` for `pack.rules[i]`
// (same size). A range with from > to skips the rule. Incremental evaluation
// judges each rule only where a change can reach it (see RuleReach).
std::vector<Firing> evaluate_school(const CompiledPack& pack, const SchoolFacts& facts,
                                    std::span<const TimeRange> rule_ranges);

// How far from a firing's event time T the facts that decide it lie, from
// the rule's window (seconds): facts in [T - before, T + after], plus the
// local day around them (tumbling days, balance facts at the end of a day).
// A fact at time c therefore changes only firings in [c - after, c + before].
// Per-record rules reach nothing but their own fact (0, 0).
struct RuleReach {
  std::int64_t before = 0;
  std::int64_t after = 0;
};
RuleReach rule_reach(const CompiledRule& rule);

// Per rule of `pack` (by index): whether any fact with event time in `range`
// takes part in it, i.e. is of its sources and passes its `where` or an
// aggregate's own filter. A rule no changed fact takes part in keeps its
// firings (unless it reads closing_balance, which other facts feed).
std::vector<bool> rules_taking_part(const CompiledPack& pack, const SchoolFacts& facts,
                                    const TimeRange& range);

}  // namespace sfmon::rules
