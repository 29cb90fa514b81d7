#include "sfmon/alerts/alert.h"

#include <algorithm>
#include <array>

namespace sfmon::alerts {
namespace {

constexpr std::array<std::pair<const char*, AlertStatus>, 4> kStatuses{{
    {"open", AlertStatus::Open},
    {"acknowledged", AlertStatus::Acknowledged},
    {"resolved", AlertStatus::Resolved},
    {"dismissed", AlertStatus::Dismissed},
}};

void add_evidence(std::vector<rules::EvidenceRef>& into, const std::vector<rules::EvidenceRef>& more) {
  into.insert(into.end(), more.begin(), more.end());
  std::sort(into.begin(), into.end());
  into.erase(std::unique(into.begin(), into.end()), into.end());
}

}  // namespace

const char* to_string(AlertStatus status) {
  for (const auto& [name, value] : kStatuses) {
    if (value == status) return name;
  }
  return "open";
}

std::optional<AlertStatus> alert_status_from_string(const std::string& text) {
  for (const auto& [name, value] : kStatuses) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool belongs_to(const Alert& alert, const rules::Firing& firing) {
  return alert.rule_id == firing.rule_id && alert.dedup_key == firing.dedup_key &&
         firing.time >= alert.first_seen - firing.group_window_seconds &&
         firing.time <= alert.last_seen + firing.group_window_seconds;
}

void merge_firing(Alert& alert, const rules::Firing& firing, bool new_firing) {
  if (new_firing) ++alert.count;
  alert.first_seen = std::min(alert.first_seen, firing.time);
  if (firing.time >= alert.last_seen) {
    alert.last_seen = firing.time;
    alert.message = firing.message;
    alert.values = firing.values;
    alert.rule_version = firing.rule_version;
  }
  alert.level = std::max(alert.level, firing.level);
  add_evidence(alert.evidence, firing.evidence);
}

Alert alert_from_firing(const rules::Firing& firing) {
  Alert alert;
  alert.rule_id = firing.rule_id;
  alert.rule_version = firing.rule_version;
  alert.school_id = firing.school_id;
  alert.level = firing.level;
  alert.dedup_key = firing.dedup_key;
  alert.first_seen = firing.time;
  alert.last_seen = firing.time;
  alert.count = 1;
  alert.message = firing.message;
  alert.values = firing.values;
  alert.group_window_seconds = firing.group_window_seconds;
  add_evidence(alert.evidence, firing.evidence);
  return alert;
}

}  // namespace sfmon::alerts
