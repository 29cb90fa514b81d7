#pragma once
// Evaluates a compiled pack over one school's facts. A pure function of its
// inputs: the same facts give the same firings whatever order the records
// arrived in, which is what makes late, out-of-order bank files safe.

#include <cstdint>
#include <optional>
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

}  // namespace sfmon::rules
