#pragma once
// An alert: one rule firing on one dedup key, with every merged firing
// counted once. Plain data; persistence is monitor/alert_store.h.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/rules/evaluator.h"

namespace sfmon::alerts {

enum class AlertStatus { Open, Acknowledged, Resolved, Dismissed };
const char* to_string(AlertStatus status);
std::optional<AlertStatus> alert_status_from_string(const std::string& text);

struct Alert {
  std::int64_t id = 0;
  std::string rule_id;
  int rule_version = 1;
  std::string school_id;
  rules::Level level = rules::Level::Yellow;
  AlertStatus status = AlertStatus::Open;
  std::string dedup_key;
  std::int64_t first_seen = 0;                              // event time, UTC seconds
  std::int64_t last_seen = 0;                               // event time, UTC seconds
  int count = 0;                                            // distinct firings merged
  std::string message;                                      // of the latest firing
  std::vector<std::pair<std::string, std::string>> values;  // of the latest firing
  std::vector<rules::EvidenceRef> evidence;                 // union over firings, sorted
  std::int64_t group_window_seconds = 86400;
};

// Firings of one rule and dedup key form alerts as sessions: sorted by event
// time, a new alert starts where the gap to the previous firing exceeds the
// grouping window. A pure function of the set of firings, so the alerts of a
// set of records do not depend on the order they arrived in.
// `times` must be sorted; returns [begin, end) index ranges, one per alert.
std::vector<std::pair<std::size_t, std::size_t>> group_sessions(
    const std::vector<std::int64_t>& times, std::int64_t group_window_seconds);

// One alert from the firings of a session (sorted by time, not empty): count,
// first/last seen, the highest level, the latest firing's message, values and
// rule version, and the union of the evidence. Status and id are left default.
Alert fold_session(const std::vector<rules::Firing>& session);

// All of the above for a batch of firings (any order, any schools): the
// alerts they make, ordered by first seen, rule, school and dedup key. The
// in-memory twin of AlertStore (monitor/alert_store.h), for pack tests.
std::vector<Alert> group_firings(std::vector<rules::Firing> firings);

}  // namespace sfmon::alerts
