#include "alert_row.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace sfmon {

std::vector<std::pair<std::string, std::string>> string_pairs_from_json(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto pair = array->getArray(static_cast<unsigned>(i));
    pairs.emplace_back(pair->getElement<std::string>(0), pair->getElement<std::string>(1));
  }
  return pairs;
}

alerts::Alert read_alert_columns(const Statement& row) {
  alerts::Alert alert;
  alert.id = row.column_int64(0);
  alert.rule_id = row.column_text(1);
  alert.rule_version = static_cast<int>(row.column_int64(2));
  alert.school_id = row.column_text(3);
  alert.level = rules::level_from_string(row.column_text(4)).value_or(rules::Level::Yellow);
  alert.status =
      alerts::alert_status_from_string(row.column_text(5)).value_or(alerts::AlertStatus::Open);
  alert.dedup_key = row.column_text(6);
  alert.first_seen = row.column_int64(7);
  alert.last_seen = row.column_int64(8);
  alert.count = static_cast<int>(row.column_int64(9));
  alert.message = row.column_text(10);
  alert.values = string_pairs_from_json(row.column_text(11));
  alert.group_window_seconds = row.column_int64(12);
  return alert;
}

}  // namespace sfmon
