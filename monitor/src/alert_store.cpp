#include "sfmon/monitor/alert_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "alert_row.h"

namespace sfmon {
namespace {

using alerts::Alert;
using rules::EvidenceRef;
using rules::Firing;

std::string to_json(const Poco::JSON::Array& array) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(array, out);
  return out.str();
}

std::string values_to_json(const std::vector<std::pair<std::string, std::string>>& values) {
  Poco::JSON::Array array;
  for (const auto& [name, value] : values) {
    Poco::JSON::Array pair;
    pair.add(name);
    pair.add(value);
    array.add(pair);
  }
  return to_json(array);
}

std::string evidence_to_json(const std::vector<EvidenceRef>& evidence) {
  Poco::JSON::Array array;
  for (const EvidenceRef& ref : evidence) {
    Poco::JSON::Array pair;
    pair.add(ref.kind);
    pair.add(ref.id);
    array.add(pair);
  }
  return to_json(array);
}

std::vector<EvidenceRef> evidence_from_json(const std::string& text) {
  std::vector<EvidenceRef> evidence;
  for (const auto& [kind, id] : string_pairs_from_json(text))
    evidence.push_back(EvidenceRef{kind, id});
  return evidence;
}

// A stored firing with the alert it belonged to before regrouping.
struct StoredFiring {
  std::int64_t row_id = 0;
  std::optional<std::int64_t> alert_id;
  Firing firing;
};

}  // namespace

AlertStore::AlertStore(SqliteDb& db, Clock clock) : db_(db), clock_(std::move(clock)) {}

std::int64_t AlertStore::now() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

MergeSummary AlertStore::replace_firings(const std::string& school_id, std::int64_t from,
                                         std::int64_t to, const std::vector<Firing>& firings,
                                         const std::string& result_set) {
  return replace_within(school_id, from, to, nullptr, firings, result_set);
}

MergeSummary AlertStore::replace_firings(const std::string& school_id,
                                         const std::vector<RuleSpan>& spans,
                                         const std::vector<Firing>& firings,
                                         const std::string& result_set) {
  if (spans.empty()) return {};
  std::int64_t from = spans.front().from;
  std::int64_t to = spans.front().to;
  for (const RuleSpan& span : spans) {
    from = std::min(from, span.from);
    to = std::max(to, span.to);
  }
  return replace_within(school_id, from, to, &spans, firings, result_set);
}

MergeSummary AlertStore::replace_within(const std::string& school_id, std::int64_t from,
                                        std::int64_t to, const std::vector<RuleSpan>* spans,
                                        const std::vector<Firing>& firings,
                                        const std::string& result_set) {
  // Whether this call judges `rule_id` at `time` (a rule has at most a few
  // spans, so a scan is enough).
  const auto judged = [&](const std::string& rule_id, std::int64_t time) {
    if (time < from || time > to) return false;
    if (spans == nullptr) return true;
    return std::any_of(spans->begin(), spans->end(), [&](const RuleSpan& span) {
      return span.rule_id == rule_id && time >= span.from && time <= span.to;
    });
  };
  MergeSummary summary;
  Transaction transaction(db_);
  std::set<KeyRef> touched;

  // What the span held before, keyed by identity.
  using Identity = std::tuple<std::string, std::string, std::int64_t>;  // rule, dedup, time
  std::map<Identity, std::int64_t> before;
  {
    Statement& query = db_.prepare(
        "SELECT id, rule_id, dedup_key, event_time FROM firings WHERE result_set = ?1 AND "
        "school_id = ?2 AND event_time BETWEEN ?3 AND ?4");
    query.bind_text(1, result_set).bind_text(2, school_id).bind_int64(3, from).bind_int64(4, to);
    while (query.step()) {
      std::string rule_id = query.column_text(1);
      const std::int64_t time = query.column_int64(3);
      if (!judged(rule_id, time)) continue;
      before[{std::move(rule_id), query.column_text(2), time}] = query.column_int64(0);
    }
  }

  Statement& upsert = db_.prepare(
      "INSERT INTO firings(result_set, school_id, rule_id, rule_version, dedup_key, event_time, "
      "level, message, values_json, evidence_json, group_window) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT(result_set, school_id, rule_id, dedup_key, event_time) DO UPDATE SET "
      "rule_version = excluded.rule_version, level = excluded.level, message = excluded.message, "
      "values_json = excluded.values_json, evidence_json = excluded.evidence_json, "
      "group_window = excluded.group_window "
      "WHERE rule_version IS NOT excluded.rule_version OR level IS NOT excluded.level OR "
      "message IS NOT excluded.message OR values_json IS NOT excluded.values_json OR "
      "evidence_json IS NOT excluded.evidence_json OR group_window IS NOT excluded.group_window");
  std::set<Identity> now_present;
  for (const Firing& firing : firings) {
    if (!judged(firing.rule_id, firing.time)) continue;
    const Identity identity{firing.rule_id, firing.dedup_key, firing.time};
    now_present.insert(identity);
    upsert.bind_text(1, result_set).bind_text(2, school_id).bind_text(3, firing.rule_id);
    upsert.bind_int64(4, firing.rule_version).bind_text(5, firing.dedup_key);
    upsert.bind_int64(6, firing.time).bind_text(7, rules::to_string(firing.level));
    upsert.bind_text(8, firing.message).bind_text(9, values_to_json(firing.values));
    upsert.bind_text(10, evidence_to_json(firing.evidence));
    upsert.bind_int64(11, firing.group_window_seconds).run();
    upsert.reset();
    if (db_.changes() > 0) {
      touched.insert(KeyRef{firing.rule_id, firing.dedup_key});
      if (!before.count(identity)) ++summary.new_firings;
    }
  }
  Statement& remove = db_.prepare("DELETE FROM firings WHERE id = ?1");
  for (const auto& [identity, row_id] : before) {
    if (now_present.count(identity)) continue;
    remove.bind_int64(1, row_id).run();
    remove.reset();
    touched.insert(KeyRef{std::get<0>(identity), std::get<1>(identity)});
    ++summary.withdrawn_firings;
  }
  for (const KeyRef& key : touched) regroup(school_id, key, result_set, summary);
  transaction.commit();
  return summary;
}

void AlertStore::regroup(const std::string& school_id, const KeyRef& key,
                         const std::string& result_set, MergeSummary& summary) {
  std::vector<StoredFiring> stored;
  {
    Statement& query = db_.prepare(
        "SELECT id, alert_id, rule_version, event_time, level, message, values_json, "
        "evidence_json, group_window FROM firings WHERE result_set = ?1 AND school_id = ?2 AND "
        "rule_id = ?3 AND dedup_key = ?4 ORDER BY event_time");
    query.bind_text(1, result_set).bind_text(2, school_id).bind_text(3, key.rule_id);
    query.bind_text(4, key.dedup_key);
    while (query.step()) {
      StoredFiring row;
      row.row_id = query.column_int64(0);
      row.alert_id = query.column_int64_or_null(1);
      Firing& firing = row.firing;
      firing.rule_id = key.rule_id;
      firing.school_id = school_id;
      firing.dedup_key = key.dedup_key;
      firing.rule_version = static_cast<int>(query.column_int64(2));
      firing.time = query.column_int64(3);
      firing.level = rules::level_from_string(query.column_text(4)).value_or(rules::Level::Yellow);
      firing.message = query.column_text(5);
      firing.values = string_pairs_from_json(query.column_text(6));
      firing.evidence = evidence_from_json(query.column_text(7));
      firing.group_window_seconds = query.column_int64(8);
      stored.push_back(std::move(row));
    }
  }
  // Every alert of this key, including those about to lose their firings.
  std::set<std::int64_t> previous_alerts;
  {
    Statement& query = db_.prepare(
        "SELECT id FROM alerts WHERE result_set = ?1 AND school_id = ?2 AND rule_id = ?3 AND "
        "dedup_key = ?4 AND withdrawn = 0");
    query.bind_text(1, result_set).bind_text(2, school_id).bind_text(3, key.rule_id);
    query.bind_text(4, key.dedup_key);
    while (query.step()) previous_alerts.insert(query.column_int64(0));
  }

  std::vector<std::int64_t> times;
  times.reserve(stored.size());
  for (const StoredFiring& row : stored) times.push_back(row.firing.time);
  const std::int64_t window = stored.empty() ? 0 : stored.back().firing.group_window_seconds;
  std::set<std::int64_t> reused;
  Statement& assign = db_.prepare("UPDATE firings SET alert_id = ?2 WHERE id = ?1");
  for (const auto& [begin, end] : alerts::group_sessions(times, window)) {
    std::vector<Firing> session;
    std::optional<std::int64_t> keep;  // the oldest alert this session already had
    for (std::size_t i = begin; i < end; ++i) {
      session.push_back(stored[i].firing);
      const auto& id = stored[i].alert_id;
      if (id && previous_alerts.count(*id) && !reused.count(*id) && (!keep || *id < *keep)) {
        keep = *id;
      }
    }
    Alert alert = alerts::fold_session(session);
    if (keep) {
      alert.id = *keep;
      reused.insert(*keep);
      ++summary.updated_alerts;
    } else {
      ++summary.new_alerts;
    }
    write_alert(alert, result_set);
    for (std::size_t i = begin; i < end; ++i) {
      if (stored[i].alert_id == alert.id) continue;
      assign.bind_int64(1, stored[i].row_id).bind_int64(2, alert.id).run();
      assign.reset();
    }
  }
  Statement& withdraw =
      db_.prepare("UPDATE alerts SET withdrawn = 1, updated_at = ?2 WHERE id = ?1");
  Statement& unflag = db_.prepare("DELETE FROM alert_evidence WHERE alert_id = ?1");
  for (const std::int64_t id : previous_alerts) {
    if (reused.count(id)) continue;
    withdraw.bind_int64(1, id).bind_int64(2, now()).run();
    withdraw.reset();
    unflag.bind_int64(1, id).run();
    unflag.reset();
    ++summary.withdrawn_alerts;
  }
}

void AlertStore::write_alert(Alert& alert, const std::string& result_set) {
  const std::int64_t at = now();
  if (alert.id == 0) {
    Statement& insert = db_.prepare(
        "INSERT INTO alerts(result_set, rule_id, rule_version, school_id, level, status, "
        "dedup_key, first_seen, last_seen, count, message, values_json, group_window, created_at, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)");
    insert.bind_text(1, result_set).bind_text(2, alert.rule_id).bind_int64(3, alert.rule_version);
    insert.bind_text(4, alert.school_id).bind_text(5, rules::to_string(alert.level));
    insert.bind_text(6, alert.dedup_key).bind_int64(7, alert.first_seen);
    insert.bind_int64(8, alert.last_seen).bind_int64(9, alert.count).bind_text(10, alert.message);
    insert.bind_text(11, values_to_json(alert.values)).bind_int64(12, alert.group_window_seconds);
    insert.bind_int64(13, at).run();
    alert.id = db_.last_insert_rowid();
  } else {
    Statement& update = db_.prepare(
        "UPDATE alerts SET rule_version = ?2, level = ?3, first_seen = ?4, last_seen = ?5, "
        "count = ?6, message = ?7, values_json = ?8, group_window = ?9, updated_at = ?10 "
        "WHERE id = ?1");
    update.bind_int64(1, alert.id).bind_int64(2, alert.rule_version);
    update.bind_text(3, rules::to_string(alert.level)).bind_int64(4, alert.first_seen);
    update.bind_int64(5, alert.last_seen).bind_int64(6, alert.count).bind_text(7, alert.message);
    update.bind_text(8, values_to_json(alert.values)).bind_int64(9, alert.group_window_seconds);
    update.bind_int64(10, at).run();
  }
  replace_evidence(alert, result_set);
}

void AlertStore::replace_evidence(const Alert& alert, const std::string& result_set) {
  db_.prepare("DELETE FROM alert_evidence_refs WHERE alert_id = ?1").bind_int64(1, alert.id).run();
  Statement& insert =
      db_.prepare("INSERT INTO alert_evidence_refs(alert_id, kind, ref) VALUES (?1, ?2, ?3)");
  for (const EvidenceRef& ref : alert.evidence) {
    insert.bind_int64(1, alert.id).bind_text(2, ref.kind).bind_text(3, ref.id).run();
    insert.reset();
  }
  if (result_set == "live") {
    db_.prepare("DELETE FROM alert_evidence WHERE alert_id = ?1").bind_int64(1, alert.id).run();
    flag_records(alert);
  }
}

void AlertStore::load_evidence(Alert& alert) {
  Statement& query = db_.prepare(
      "SELECT kind, ref FROM alert_evidence_refs WHERE alert_id = ?1 ORDER BY kind, ref");
  query.bind_int64(1, alert.id);
  alert.evidence.clear();
  while (query.step()) {
    alert.evidence.push_back(EvidenceRef{query.column_text(0), query.column_text(1)});
  }
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
  std::string sql = std::string("SELECT ") + kAlertColumns +
                    " FROM alerts WHERE result_set = ?1 AND withdrawn = 0";
  if (filter.status) sql += " AND status = ?2";
  if (filter.school_id) sql += " AND school_id = ?3";
  if (filter.rule_id) sql += " AND rule_id = ?4";
  if (filter.level) sql += " AND level = ?5";
  if (filter.from) sql += " AND last_seen >= ?6";
  if (filter.to) sql += " AND first_seen < ?7";
  sql += " ORDER BY first_seen, rule_id, school_id, dedup_key, id";
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
  while (query.step()) alerts.push_back(read_alert_columns(query));
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
