#include "sfmon/monitor/alert_output.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <ostream>
#include <string>

namespace sfmon {
namespace {

using alerts::Alert;

// "bank:T1 fee:F7": one cell, kinds kept so a balance id is not read as a record.
std::string evidence_text(const Alert& alert) {
  std::string text;
  for (const rules::EvidenceRef& ref : alert.evidence) {
    if (!text.empty()) text += ' ';
    text += ref.kind + ":" + ref.id;
  }
  return text;
}

std::string values_text(const Alert& alert) {
  std::string text;
  for (const auto& [name, value] : alert.values) {
    if (!text.empty()) text += "; ";
    text += name + "=" + value;
  }
  return text;
}

Poco::JSON::Object::Ptr to_json(const Alert& alert, const Zone& zone) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  object->set("id", alert.id);
  object->set("rule_id", alert.rule_id);
  object->set("rule_version", alert.rule_version);
  object->set("school_id", alert.school_id);
  object->set("level", rules::to_string(alert.level));
  object->set("status", alerts::to_string(alert.status));
  object->set("first_seen", local_time_text(alert.first_seen, zone));
  object->set("last_seen", local_time_text(alert.last_seen, zone));
  object->set("count", alert.count);
  object->set("message", alert.message);
  Poco::JSON::Array::Ptr evidence = new Poco::JSON::Array;
  for (const rules::EvidenceRef& ref : alert.evidence) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("kind", ref.kind);
    item->set("id", ref.id);
    evidence->add(item);
  }
  object->set("evidence", evidence);
  Poco::JSON::Object::Ptr values = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : alert.values) values->set(name, value);
  object->set("values", values);
  object->set("dedup_key", alert.dedup_key);
  return object;
}

const std::vector<std::string> kCsvColumns = {
    "id",        "rule_id", "rule_version", "school_id", "level",  "status",  "first_seen",
    "last_seen", "count",   "dedup_key",    "message",   "values", "evidence"};

std::vector<std::string> csv_cells(const Alert& alert, const Zone& zone) {
  return {std::to_string(alert.id),
          alert.rule_id,
          std::to_string(alert.rule_version),
          alert.school_id,
          rules::to_string(alert.level),
          alerts::to_string(alert.status),
          local_time_text(alert.first_seen, zone),
          local_time_text(alert.last_seen, zone),
          std::to_string(alert.count),
          alert.dedup_key,
          alert.message,
          values_text(alert),
          evidence_text(alert)};
}

// The table leaves out what only scripts need (dedup key, values), so a
// terminal line stays readable.
const std::vector<std::string> kTableColumns = {"id",      "rule_id",    "school_id", "level",
                                                "status",  "first_seen", "last_seen", "count",
                                                "message", "evidence"};

std::vector<std::string> table_cells(const Alert& alert, const Zone& zone) {
  return {std::to_string(alert.id),
          alert.rule_id + " v" + std::to_string(alert.rule_version),
          alert.school_id,
          rules::to_string(alert.level),
          alerts::to_string(alert.status),
          local_time_text(alert.first_seen, zone),
          local_time_text(alert.last_seen, zone),
          std::to_string(alert.count),
          alert.message,
          evidence_text(alert)};
}

}  // namespace

void write_alerts(const std::vector<Alert>& alerts, OutputFormat format, const Zone& zone,
                  std::ostream& out) {
  if (format == OutputFormat::Json) {
    Poco::JSON::Array array;
    for (const Alert& alert : alerts) array.add(to_json(alert, zone));
    Poco::JSON::Stringifier::stringify(array, out, 0, -1, Poco::JSON_WRAP_STRINGS);
    out << '\n';
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(alerts.size());
  for (const Alert& alert : alerts) {
    rows.push_back(format == OutputFormat::Csv ? csv_cells(alert, zone) : table_cells(alert, zone));
  }
  if (format == OutputFormat::Csv) {
    write_csv(kCsvColumns, rows, out);
  } else {
    write_table(kTableColumns, rows, out);
  }
}

}  // namespace sfmon
