#include "sfmon/monitor/alert_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <sstream>

namespace sfmon {
namespace {

using alerts::Alert;
using rules::EvidenceRef;
using rules::Firing;

std::string values_to_json(const std::vector<std::pair<std::string, std::string>>& values) {
  Poco::JSON::Array array;
  for (const auto& [name, value] : values) {
    Poco::JSON::Array pair;
    pair.add(name);
    pair.add(value);
    array.add(pair);
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(array, out);
  return out.str();
}

std::vector<std::pair<std::string, std::string>> values_from_json(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> values;
  const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto pair = array->getArray(static_cast<unsigned>(i));
    values.emplace_back(pair->getElement<std::string>(0), pair->getElement<std::string>(1));
  }
  return values;
}

constexpr const char* kAlertColumns =
    "id, rule_id, rule_version, school_id, level, status, dedup_key, first_seen, last_seen, "
    "count, message, values_json, group_window";

Alert read_alert(Statement& row) {
  Alert alert;
  alert.id = row.column_int64(0);
  alert.rule_id = row.column_text(1);
  alert.rule_version = static_cast<int>(row.column_int64(2));
  alert.school_id = row.column_text(3);
  alert.level = rules::level_from_string(row.column_text(4)).value_or(rules::Level::Yellow);
  alert.status = alerts::alert_status_from_string(row.column_text(5)).value_or(alerts::AlertStatus::Open);
  alert.dedup_key = row.column_text(6);
  alert.first_seen = row.column_int64(7);
  alert.last_seen = row.column_int64(8);
  alert.count = static_cast<int>(row.column_int64(9));
  alert.message = row.column_text(10);
  alert.values = values_from_json(row.column_text(11));
  alert.group_window_seconds = row.column_int64(12);
  return alert;
}

}  // namespace

AlertStore::AlertStore(SqliteDb& db, Clock clock) : db_(db), clock_(std::move(clock)) {}

std::int64_t AlertStore::now() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

MergeSummary AlertStore::merge(const std::vector<Firing>& firings, const std::string& result_set) {
  MergeSummary summary;
  Transaction transaction(db_);
  for (const Firing& firing : firings) {
    std::optional<Alert> existing = find_matching(firing, result_set);
    if (!existing) {
      Alert alert = alerts::alert_from_firing(firing);
      save(alert, result_set, true);
      ++summary.new_alerts;
      continue;
    }
    Statement& seen = db_.prepare(
        "INSERT INTO alert_firings(alert_id, event_time) VALUES (?1, ?2) "
        "ON CONFLICT DO NOTHING");
    seen.bind_int64(1, existing->id).bind_int64(2, firing.time).run();
    const bool new_firing = db_.changes() > 0;
    const Alert before = *existing;
    alerts::merge_firing(*existing, firing, new_firing);
    if (!new_firing && existing->evidence == before.evidence && existing->level == before.level &&
        existing->first_seen == before.first_seen && existing->last_seen == before.last_seen) {
      ++summary.unchanged;
      continue;
    }
    save(*existing, result_set, false);
    ++summary.merged;
  }
  transaction.commit();
  return summary;
}

std::optional<Alert> AlertStore::find_matching(const Firing& firing, const std::string& result_set) {
  Statement& query = db_.prepare(
      std::string("SELECT ") + kAlertColumns +
      " FROM alerts WHERE result_set = ?1 AND rule_id = ?2 AND dedup_key = ?3 "
      "AND first_seen - group_window <= ?4 AND last_seen + group_window >= ?4 "
      "ORDER BY first_seen LIMIT 1");
  query.bind_text(1, result_set).bind_text(2, firing.rule_id).bind_text(3, firing.dedup_key);
  query.bind_int64(4, firing.time);
  if (!query.step()) return std::nullopt;
  Alert alert = read_alert(query);
  query.reset();
  load_evidence(alert);
  return alert;
}

void AlertStore::load_evidence(Alert& alert) {
  Statement& query = db_.prepare(
      "SELECT kind, ref FROM alert_evidence_refs WHERE alert_id = ?1 ORDER BY kind, ref");
  query.bind_int64(1, alert.id);
  alert.evidence.clear();
  while (query.step()) alert.evidence.push_back(EvidenceRef{query.column_text(0), query.column_text(1)});
}

void AlertStore::save(Alert& alert, const std::string& result_set, bool is_new) {
  const std::int64_t at = now();
  if (is_new) {
    Statement& insert = db_.prepare(
        "INSERT INTO alerts(result_set, rule_id, rule_version, school_id, level, status, "
        "dedup_key, first_seen, last_seen, count, message, values_json, group_window, created_at, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)");
    insert.bind_text(1, result_set).bind_text(2, alert.rule_id).bind_int64(3, alert.rule_version);
    insert.bind_text(4, alert.school_id).bind_text(5, rules::to_string(alert.level));
    insert.bind_text(6, alert.dedup_key).bind_int64(7, alert.first_seen).bind_int64(8, alert.last_seen);
    insert.bind_int64(9, alert.count).bind_text(10, alert.message);
    insert.bind_text(11, values_to_json(alert.values)).bind_int64(12, alert.group_window_seconds);
    insert.bind_int64(13, at).run();
    alert.id = db_.last_insert_rowid();
    Statement& seen = db_.prepare("INSERT INTO alert_firings(alert_id, event_time) VALUES (?1, ?2)");
    seen.bind_int64(1, alert.id).bind_int64(2, alert.first_seen).run();
  } else {
    Statement& update = db_.prepare(
        "UPDATE alerts SET rule_version = ?2, level = ?3, first_seen = ?4, last_seen = ?5, "
        "count = ?6, message = ?7, values_json = ?8, updated_at = ?9 WHERE id = ?1");
    update.bind_int64(1, alert.id).bind_int64(2, alert.rule_version);
    update.bind_text(3, rules::to_string(alert.level)).bind_int64(4, alert.first_seen);
    update.bind_int64(5, alert.last_seen).bind_int64(6, alert.count).bind_text(7, alert.message);
    update.bind_text(8, values_to_json(alert.values)).bind_int64(9, at).run();
  }
  Statement& evidence = db_.prepare(
      "INSERT INTO alert_evidence_refs(alert_id, kind, ref) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING");
  for (const EvidenceRef& ref : alert.evidence) {
    evidence.bind_int64(1, alert.id).bind_text(2, ref.kind).bind_text(3, ref.id).run();
    evidence.reset();
  }
  if (result_set == "live") flag_records(alert);
}

void AlertStore::flag_records(const Alert& alert) {
  // Evidence names records as their source did; the flag table points at rows.
  Statement& bank = db_.prepare(
      "INSERT OR IGNORE INTO alert_evidence(alert_id, record_kind, record_id) "
      "SELECT ?1, 'bank', b.id FROM bank_records b JOIN accounts a ON a.number = b.account "
      "WHERE a.school_id = ?2 AND b.bank_ref = ?3");
  Statement& fee = db_.prepare(
      "INSERT OR IGNORE INTO alert_evidence(alert_id, record_kind, record_id) "
      "SELECT ?1, 'fee', f.id FROM fee_records f WHERE f.school_id = ?2 AND f.fee_id = ?3");
  Statement& balance = db_.prepare(
      "INSERT OR IGNORE INTO alert_evidence(alert_id, record_kind, record_id) "
      "SELECT ?1, 'balance', b.id FROM balances b WHERE b.account = ?2 AND b.date = ?3 "
      "AND b.type = 'closing'");
  for (const EvidenceRef& ref : alert.evidence) {
    if (ref.kind == "balance") {
      const auto colon = ref.id.rfind(':');
      if (colon == std::string::npos) continue;
      balance.bind_int64(1, alert.id).bind_text(2, ref.id.substr(0, colon));
      balance.bind_text(3, ref.id.substr(colon + 1)).run();
      balance.reset();
      continue;
    }
    Statement& insert = ref.kind == "fee" ? fee : bank;
    insert.bind_int64(1, alert.id).bind_text(2, alert.school_id).bind_text(3, ref.id).run();
    insert.reset();
  }
}

std::vector<Alert> AlertStore::list(const AlertFilter& filter, const Zone& zone,
                                    const std::string& result_set) {
  std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE result_set = ?1";
  if (filter.status) sql += " AND status = ?2";
  if (filter.school_id) sql += " AND school_id = ?3";
  if (filter.rule_id) sql += " AND rule_id = ?4";
  if (filter.level) sql += " AND level = ?5";
  if (filter.from) sql += " AND last_seen >= ?6";
  if (filter.to) sql += " AND first_seen < ?7";
  sql += " ORDER BY first_seen, rule_id, dedup_key, id";
  Statement query = db_.prepare_uncached(sql);
  query.bind_text(1, result_set);
  if (filter.status) query.bind_text(2, alerts::to_string(*filter.status));
  if (filter.school_id) query.bind_text(3, *filter.school_id);
  if (filter.rule_id) query.bind_text(4, *filter.rule_id);
  if (filter.level) query.bind_text(5, rules::to_string(*filter.level));
  if (filter.from) query.bind_int64(6, instant_from_date(*filter.from, zone).utc_seconds);
  if (filter.to) {
    const Date next = Date::from_days_since_epoch(filter.to->days_since_epoch() + 1);
    query.bind_int64(7, instant_from_date(next, zone).utc_seconds);
  }
  std::vector<Alert> alerts;
  while (query.step()) alerts.push_back(read_alert(query));
  for (Alert& alert : alerts) load_evidence(alert);
  return alerts;
}

std::string AlertStore::begin_replay(const std::string& description) {
  Statement& insert =
      db_.prepare("INSERT INTO replay_runs(started_at, description) VALUES (?1, ?2)");
  insert.bind_int64(1, now()).bind_text(2, description).run();
  return "replay:" + std::to_string(db_.last_insert_rowid());
}

}  // namespace sfmon
