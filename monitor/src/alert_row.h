#pragma once
// How an `alerts` row is read back, shared by AlertStore (alert_store.cpp)
// and the lookups behind `alerts show` and the API (alert_lookup.cpp), so a
// column added to alerts is read the same way everywhere. Internal to
// sfmon_monitor.

#include <string>
#include <utility>
#include <vector>

#include "sfmon/alerts/alert.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

// The alert columns in the order read_alert_columns expects them, for a
// SELECT list; callers may select further columns after them.
inline constexpr const char* kAlertColumns =
    "id, rule_id, rule_version, school_id, level, status, dedup_key, first_seen, last_seen, "
    "count, message, values_json, group_window";
inline constexpr int kAlertColumnCount = 13;

// [["name", "value"], ...] as stored in values_json (and evidence_json).
std::vector<std::pair<std::string, std::string>> string_pairs_from_json(const std::string& text);

// The alert in columns 0 .. kAlertColumnCount-1 of the current row.
alerts::Alert read_alert_columns(const Statement& row);

}  // namespace sfmon
