#include "sfmon/monitor/connector_state.h"

namespace sfmon {
namespace {

constexpr const char* kColumns =
    "SELECT source, last_attempt, last_success, last_error, last_error_at, "
    "consecutive_failures, records_read, pages_read, lag_seconds, newest_event_at "
    "FROM connector_state";

ConnectorState read_row(const Statement& row) {
  ConnectorState state;
  state.source = row.column_text(0);
  state.last_attempt = row.column_int64_or_null(1);
  state.last_success = row.column_int64_or_null(2);
  state.last_error = row.column_text(3);
  state.last_error_at = row.column_int64_or_null(4);
  state.consecutive_failures = row.column_int64(5);
  state.records_read = row.column_int64(6);
  state.pages_read = row.column_int64(7);
  state.lag_seconds = row.column_int64_or_null(8);
  state.newest_event_at = row.column_int64_or_null(9);
  return state;
}

}  // namespace

std::optional<ConnectorState> ConnectorStateStore::get(const std::string& source) {
  Statement& query = db_.prepare(std::string(kColumns) + " WHERE source = ?1");
  ResetGuard guard(query);
  query.bind_text(1, source);
  if (!query.step()) return std::nullopt;
  return read_row(query);
}

std::vector<ConnectorState> ConnectorStateStore::all() {
  Statement& query = db_.prepare(std::string(kColumns) + " ORDER BY source");
  ResetGuard guard(query);
  std::vector<ConnectorState> states;
  while (query.step()) states.push_back(read_row(query));
  return states;
}

void ConnectorStateStore::ensure_row(const std::string& source) {
  db_.prepare("INSERT INTO connector_state (source) VALUES (?1) ON CONFLICT (source) DO NOTHING")
      .bind_text(1, source)
      .run();
}

void ConnectorStateStore::record_attempt(const std::string& source, std::int64_t at) {
  ensure_row(source);
  db_.prepare("UPDATE connector_state SET last_attempt = ?2 WHERE source = ?1")
      .bind_text(1, source)
      .bind_int64(2, at)
      .run();
}

void ConnectorStateStore::record_page(const std::string& source, std::int64_t records) {
  ensure_row(source);
  db_.prepare(
         "UPDATE connector_state SET pages_read = pages_read + 1, "
         "records_read = records_read + ?2 WHERE source = ?1")
      .bind_text(1, source)
      .bind_int64(2, records)
      .run();
}

void ConnectorStateStore::record_success(const std::string& source, std::int64_t at) {
  ensure_row(source);
  db_.prepare(
         "UPDATE connector_state SET last_success = ?2, consecutive_failures = 0 "
         "WHERE source = ?1")
      .bind_text(1, source)
      .bind_int64(2, at)
      .run();
}

void ConnectorStateStore::record_failure(const std::string& source, std::int64_t at,
                                         const std::string& error) {
  ensure_row(source);
  db_.prepare(
         "UPDATE connector_state SET last_error = ?2, last_error_at = ?3, "
         "consecutive_failures = consecutive_failures + 1 WHERE source = ?1")
      .bind_text(1, source)
      .bind_text(2, error)
      .bind_int64(3, at)
      .run();
}

void ConnectorStateStore::record_newest_event(const std::string& source, std::int64_t event_utc) {
  ensure_row(source);
  db_.prepare(
         "UPDATE connector_state SET newest_event_at = max(coalesce(newest_event_at, ?2), ?2) "
         "WHERE source = ?1")
      .bind_text(1, source)
      .bind_int64(2, event_utc)
      .run();
}

void ConnectorStateStore::record_lag(const std::string& source,
                                     std::optional<std::int64_t> lag_seconds) {
  ensure_row(source);
  db_.prepare("UPDATE connector_state SET lag_seconds = ?2 WHERE source = ?1")
      .bind_text(1, source)
      .bind_int64_or_null(2, lag_seconds)
      .run();
}

std::optional<std::int64_t> ConnectorStateStore::newest_fee_time(const std::string& source) {
  // CROSS JOIN keeps fee_records outermost, so sqlite walks fee_records_by_time
  // from the newest end and stops at the first record of this source, instead
  // of scanning all fee records of every ingest of the source (fee_records
  // has no index on ingest_id).
  Statement& query = db_.prepare(
      "SELECT f.paid_at_utc FROM fee_records AS f CROSS JOIN ingest_log AS l "
      "ON l.id = f.ingest_id WHERE l.source = ?1 ORDER BY f.paid_at_utc DESC LIMIT 1");
  ResetGuard guard(query);
  query.bind_text(1, source);
  if (!query.step()) return std::nullopt;
  return query.column_int64(0);
}

}  // namespace sfmon
