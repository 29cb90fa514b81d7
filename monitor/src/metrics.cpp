#include "sfmon/monitor/metrics.h"

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

void Metrics::add_notification_failures(std::int64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  notification_failures_ += count;
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

std::string Metrics::render(const std::map<std::string, std::int64_t>& alerts_by_level) const {
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
  out << "# HELP sfmon_notification_failures_total Notification deliveries that failed.\n"
         "# TYPE sfmon_notification_failures_total counter\n"
      << "sfmon_notification_failures_total " << notification_failures_ << '\n';
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
  return out.str();
}

}  // namespace sfmon
