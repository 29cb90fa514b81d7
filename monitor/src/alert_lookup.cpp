#include "sfmon/monitor/alert_lookup.h"

#include "alert_row.h"

namespace sfmon {
namespace {

const std::string kColumns =
    std::string("SELECT ") + kAlertColumns + ", result_set, withdrawn, created_at FROM alerts ";

StoredAlert read_row(const Statement& row) {
  StoredAlert stored;
  stored.alert = read_alert_columns(row);
  stored.result_set = row.column_text(kAlertColumnCount);
  stored.withdrawn = row.column_bool(kAlertColumnCount + 1);
  stored.created_at = row.column_int64(kAlertColumnCount + 2);
  return stored;
}

void load_evidence(SqliteDb& db, alerts::Alert& alert) {
  Statement& query = db.prepare(
      "SELECT kind, ref FROM alert_evidence_refs WHERE alert_id = ?1 ORDER BY kind, ref");
  query.bind_int64(1, alert.id);
  alert.evidence.clear();
  while (query.step()) {
    alert.evidence.push_back(rules::EvidenceRef{query.column_text(0), query.column_text(1)});
  }
}

}  // namespace

std::optional<StoredAlert> find_alert(SqliteDb& db, std::int64_t alert_id) {
  std::optional<StoredAlert> found;
  {
    Statement& query = db.prepare(std::string(kColumns) + "WHERE id = ?1");
    ResetGuard done(query);
    query.bind_int64(1, alert_id);
    if (query.step()) found = read_row(query);
  }
  if (found) load_evidence(db, found->alert);
  return found;
}

std::vector<StoredAlert> unresolved_alerts(SqliteDb& db,
                                           const std::optional<std::string>& school_id) {
  Statement& query = db.prepare(std::string(kColumns) +
                                "WHERE result_set = 'live' AND withdrawn = 0 AND "
                                "status IN ('open', 'acknowledged') AND "
                                "(?1 IS NULL OR school_id = ?1) ORDER BY school_id, id");
  query.bind_text_or_null(1, school_id);
  std::vector<StoredAlert> found;
  while (query.step()) found.push_back(read_row(query));
  for (StoredAlert& stored : found) load_evidence(db, stored.alert);
  return found;
}

std::map<std::string, std::int64_t> unresolved_alert_counts(SqliteDb& db) {
  std::map<std::string, std::int64_t> counts;
  for (const rules::Level level :
       {rules::Level::Blue, rules::Level::Yellow, rules::Level::Orange, rules::Level::Red}) {
    counts[rules::to_string(level)] = 0;
  }
  Statement& query = db.prepare(
      "SELECT level, count(*) FROM alerts WHERE result_set = 'live' AND withdrawn = 0 AND "
      "status IN ('open', 'acknowledged') GROUP BY level");
  while (query.step()) counts[query.column_text(0)] = query.column_int64(1);
  return counts;
}

std::vector<EvidenceDetail> evidence_details(SqliteDb& db, std::int64_t alert_id) {
  Statement& query = db.prepare(
      "SELECT 'bank', b.bank_ref, b.booked_at_utc, b.booked_at_offset, b.amount_fen, b.currency, "
      "       trim(b.cp_name || ' ' || b.purpose), b.source_file || ':' || b.source_position "
      "FROM alert_evidence e JOIN bank_records b ON e.record_kind = 'bank' AND b.id = e.record_id "
      "WHERE e.alert_id = ?1 "
      "UNION ALL "
      "SELECT 'fee', f.fee_id, f.paid_at_utc, f.paid_at_offset, f.amount_fen, f.currency, "
      "       trim(f.fee_type || ' ' || f.student_id), f.source_file || ':' || f.source_position "
      "FROM alert_evidence e JOIN fee_records f ON e.record_kind = 'fee' AND f.id = e.record_id "
      "WHERE e.alert_id = ?1 "
      "ORDER BY 3, 1, 2");
  query.bind_int64(1, alert_id);
  std::vector<EvidenceDetail> details;
  while (query.step()) {
    EvidenceDetail detail;
    detail.kind = query.column_text(0);
    detail.id = query.column_text(1);
    detail.time_utc = query.column_int64(2);
    detail.offset_minutes = static_cast<int>(query.column_int64(3));
    detail.amount_fen = query.column_int64(4);
    detail.currency = query.column_text(5);
    detail.description = query.column_text(6);
    detail.source = query.column_text(7);
    details.push_back(std::move(detail));
  }
  return details;
}

}  // namespace sfmon
