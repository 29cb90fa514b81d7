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
  std::int64_t first_seen = 0;  // event time, UTC seconds
  std::int64_t last_seen = 0;   // event time, UTC seconds
  int count = 0;                // distinct firings merged
  std::string message;          // of the latest firing
  std::vector<std::pair<std::string, std::string>> values;  // of the latest firing
  std::vector<rules::EvidenceRef> evidence;  // union over firings, sorted
  std::int64_t group_window_seconds = 86400;
};

// Whether `firing` belongs to `alert`: same rule and dedup key, and its event
// time within the grouping window of the alert's seen span.
bool belongs_to(const Alert& alert, const rules::Firing& firing);

// Folds `firing` into `alert` (a firing seen before — same event time — adds
// nothing but its evidence): count, first/last seen, the highest level, the
// latest message and values.
void merge_firing(Alert& alert, const rules::Firing& firing, bool new_firing);

Alert alert_from_firing(const rules::Firing& firing);

}  // namespace sfmon::alerts
