#pragma once
// The daemon's counters and gauges, rendered in the Prometheus text format
// (version 0.0.4) for GET /metrics. Thread-safe: the scheduler's worker
// writes while HTTP threads render.
//
// Alerts by level are not counted here: they are a gauge of the store, read
// by whoever renders (the store is the truth, also across restarts).

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/monitor/connector_state.h"

namespace sfmon {

class Metrics {
 public:
  // New records stored by `connector`; `kind` is "bank" or "fee".
  void add_records_ingested(const std::string& connector, const std::string& kind,
                            std::int64_t count);
  // Schools evaluated by the rule runner (each school: every rule of the pack).
  void add_rule_evaluations(std::int64_t count);
  // Deliveries of one notification pass: sent, failed attempts (each
  // failure counts, also one that will be retried), and those that went to
  // the dead letters.
  void add_notifications(std::int64_t sent, std::int64_t failed, std::int64_t dead);
  void add_escalations(std::int64_t count);
  // One evaluation pass took `seconds` (wall time).
  void observe_evaluation_seconds(double seconds);
  // `connector` last finished a pull without failure at `at` (UTC seconds).
  void set_connector_last_success(const std::string& connector, std::int64_t at);

  // Every metric in the text format. `alerts_by_level` (level name → open or
  // acknowledged live alerts) becomes the sfmon_alerts gauge; each level in
  // it is written, zeros included. `connectors` (the connector_state table)
  // become per-connector gauges of lag, failures and records read.
  std::string render(const std::map<std::string, std::int64_t>& alerts_by_level,
                     const std::vector<ConnectorState>& connectors = {}) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::int64_t> records_;  // (connector, kind)
  std::int64_t rule_evaluations_ = 0;
  std::int64_t notifications_sent_ = 0;
  std::int64_t notification_failures_ = 0;
  std::int64_t dead_letters_ = 0;
  std::int64_t escalations_ = 0;
  double evaluation_seconds_sum_ = 0.0;
  std::int64_t evaluation_count_ = 0;
  std::map<std::string, std::int64_t> last_success_;
};

// `value` escaped for a Prometheus label value (backslash, quote, newline).
std::string prometheus_label_value(const std::string& value);

}  // namespace sfmon
