#include "sfmon/alerts/alert.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace sfmon::alerts {
namespace {

constexpr std::array<std::pair<const char*, AlertStatus>, 4> kStatuses{{
    {"open", AlertStatus::Open},
    {"acknowledged", AlertStatus::Acknowledged},
    {"resolved", AlertStatus::Resolved},
    {"dismissed", AlertStatus::Dismissed},
}};

void add_evidence(std::vector<rules::EvidenceRef>& into,
                  const std::vector<rules::EvidenceRef>& more) {
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

std::vector<std::pair<std::size_t, std::size_t>> group_sessions(
    const std::vector<std::int64_t>& times, std::int64_t group_window_seconds) {
  std::vector<std::pair<std::size_t, std::size_t>> sessions;
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (i == 0 || times[i] - times[i - 1] > group_window_seconds) {
      sessions.emplace_back(i, i + 1);
    } else {
      sessions.back().second = i + 1;
    }
  }
  return sessions;
}

Alert fold_session(const std::vector<rules::Firing>& session) {
  Alert alert;
  const rules::Firing& first = session.front();
  const rules::Firing& last = session.back();
  alert.rule_id = first.rule_id;
  alert.school_id = first.school_id;
  alert.dedup_key = first.dedup_key;
  alert.first_seen = first.time;
  alert.last_seen = last.time;
  alert.count = static_cast<int>(session.size());
  alert.rule_version = last.rule_version;
  alert.message = last.message;
  alert.values = last.values;
  alert.group_window_seconds = last.group_window_seconds;
  alert.level = first.level;
  for (const rules::Firing& firing : session) {
    alert.level = std::max(alert.level, firing.level);
    add_evidence(alert.evidence, firing.evidence);
  }
  return alert;
}

std::vector<Alert> group_firings(std::vector<rules::Firing> firings) {
  std::sort(firings.begin(), firings.end(), [](const rules::Firing& a, const rules::Firing& b) {
    return std::tie(a.school_id, a.rule_id, a.dedup_key, a.time) <
           std::tie(b.school_id, b.rule_id, b.dedup_key, b.time);
  });
  std::vector<Alert> alerts;
  for (std::size_t begin = 0; begin < firings.size();) {
    std::size_t end = begin;
    std::vector<std::int64_t> times;
    while (end < firings.size() && firings[end].school_id == firings[begin].school_id &&
           firings[end].rule_id == firings[begin].rule_id &&
           firings[end].dedup_key == firings[begin].dedup_key) {
      times.push_back(firings[end++].time);
    }
    for (const auto& [from, to] : group_sessions(times, firings[end - 1].group_window_seconds)) {
      alerts.push_back(fold_session(
          std::vector<rules::Firing>(firings.begin() + static_cast<std::ptrdiff_t>(begin + from),
                                     firings.begin() + static_cast<std::ptrdiff_t>(begin + to))));
    }
    begin = end;
  }
  std::sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
    return std::tie(a.first_seen, a.rule_id, a.school_id, a.dedup_key) <
           std::tie(b.first_seen, b.rule_id, b.school_id, b.dedup_key);
  });
  return alerts;
}

}  // namespace sfmon::alerts
