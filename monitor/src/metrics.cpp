#include "sfmon/monitor/metrics.h"

#include <optional>
#include <sstream>

namespace sfmon {

void Metrics::add_records_ingested(const std::string& connector, const std::string& kind,
                                   std::int64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  records_[{connector, kind}] += count;
}

void Metrics::add_rule_evaluations(std::int64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  rule_evaluations_ += count;
}

void Metrics::add_notifications(std::int64_t sent, std::int64_t failed, std::int64_t dead) {
  std::lock_guard<std::mutex> lock(mutex_);
  notifications_sent_ += sent;
  notification_failures_ += failed;
  dead_letters_ += dead;
}

void Metrics::add_escalations(std::int64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  escalations_ += count;
}

void Metrics::observe_evaluation_seconds(double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  evaluation_seconds_sum_ += seconds;
  ++evaluation_count_;
}

void Metrics::set_connector_last_success(const std::string& connector, std::int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_success_[connector] = at;
}

std::string prometheus_label_value(const std::string& value) {
  std::string escaped;
  for (const char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string Metrics::render(const std::map<std::string, std::int64_t>& alerts_by_level,
                            const std::vector<ConnectorState>& connectors) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  out << "# HELP sfmon_records_ingested_total New records stored, per connector and kind.\n"
         "# TYPE sfmon_records_ingested_total counter\n";
  for (const auto& [key, count] : records_) {
    out << "sfmon_records_ingested_total{connector=\"" << prometheus_label_value(key.first)
        << "\",kind=\"" << prometheus_label_value(key.second) << "\"} " << count << '\n';
  }
  out << "# HELP sfmon_rule_evaluations_total Schools evaluated against the rule pack.\n"
         "# TYPE sfmon_rule_evaluations_total counter\n"
      << "sfmon_rule_evaluations_total " << rule_evaluations_ << '\n';
  out << "# HELP sfmon_alerts Open and acknowledged live alerts, per level.\n"
         "# TYPE sfmon_alerts gauge\n";
  for (const auto& [level, count] : alerts_by_level) {
    out << "sfmon_alerts{level=\"" << prometheus_label_value(level) << "\"} " << count << '\n';
  }
  out << "# HELP sfmon_notifications_sent_total Notification deliveries accepted by their "
         "channel.\n"
         "# TYPE sfmon_notifications_sent_total counter\n"
      << "sfmon_notifications_sent_total " << notifications_sent_ << '\n';
  out << "# HELP sfmon_notification_failures_total Delivery attempts that failed (retried or "
         "not).\n"
         "# TYPE sfmon_notification_failures_total counter\n"
      << "sfmon_notification_failures_total " << notification_failures_ << '\n';
  out << "# HELP sfmon_notification_dead_letters_total Deliveries given up and kept as dead "
         "letters.\n"
         "# TYPE sfmon_notification_dead_letters_total counter\n"
      << "sfmon_notification_dead_letters_total " << dead_letters_ << '\n';
  out << "# HELP sfmon_escalations_total Escalation steps taken (level raised or next "
         "recipient notified).\n"
         "# TYPE sfmon_escalations_total counter\n"
      << "sfmon_escalations_total " << escalations_ << '\n';
  out << "# HELP sfmon_evaluation_seconds Wall time of one evaluation pass.\n"
         "# TYPE sfmon_evaluation_seconds summary\n"
      << "sfmon_evaluation_seconds_sum " << evaluation_seconds_sum_ << '\n'
      << "sfmon_evaluation_seconds_count " << evaluation_count_ << '\n';
  out << "# HELP sfmon_connector_last_success_timestamp When a connector last pulled without "
         "failure (UTC seconds since the epoch).\n"
         "# TYPE sfmon_connector_last_success_timestamp gauge\n";
  for (const auto& [connector, at] : last_success_) {
    out << "sfmon_connector_last_success_timestamp{connector=\""
        << prometheus_label_value(connector) << "\"} " << at << '\n';
  }
  // From the store: they survive restarts and include run-once's pulls.
  const auto per_connector = [&](const char* name, const char* type, const char* help,
                                 const auto& value_of) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    for (const ConnectorState& state : connectors) {
      const std::optional<std::int64_t> value = value_of(state);
      if (!value) continue;
      out << name << "{connector=\"" << prometheus_label_value(state.source) << "\"} " << *value
          << '\n';
    }
  };
  per_connector("sfmon_connector_records_read_total", "counter",
                "Records read from the source, duplicates included (all time).",
                [](const ConnectorState& s) { return std::optional(s.records_read); });
  per_connector("sfmon_connector_consecutive_failures", "gauge",
                "Pulls failed since the connector's last success.",
                [](const ConnectorState& s) { return std::optional(s.consecutive_failures); });
  per_connector("sfmon_connector_lag_seconds", "gauge",
                "Age of the newest record read from the source at the end of the last pull.",
                [](const ConnectorState& s) { return s.lag_seconds; });
  return out.str();
}

}  // namespace sfmon
