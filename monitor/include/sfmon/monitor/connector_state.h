#pragma once
// Per-connector health in the `connector_state` table (schema versions 4, 5), for
// run-once's report, /metrics and the API. One row per source (connector
// name), created on first use. Times are UTC seconds.
//
// Not thread-safe: borrows one SqliteDb (one per thread) and must not outlive
// it. Each write is one statement, so it joins a caller's open transaction
// (record_page belongs in the transaction that commits the page).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

struct ConnectorState {
  std::string source;
  std::optional<std::int64_t> last_attempt;  // start of the last pull
  std::optional<std::int64_t> last_success;  // end of the last pull that read everything offered
  std::string last_error;                    // kept after a success, as history; "" if never
  std::optional<std::int64_t> last_error_at;
  std::int64_t consecutive_failures = 0;  // pulls failed since the last success
  std::int64_t records_read = 0;          // all time, duplicates included
  std::int64_t pages_read = 0;            // all time (files connectors: files)
  // At the end of the last pull: how old the newest record read from the
  // source is (now minus its event time), 0 when it is in the future; null
  // until the source delivered a record. A steadily growing lag means the
  // source has stopped delivering, whether or not its requests succeed.
  std::optional<std::int64_t> lag_seconds;
  // The newest event time (booked / paid, UTC seconds) read so far by a
  // files connector (record_newest_event); null until it read a record.
  std::optional<std::int64_t> newest_event_at;
};

class ConnectorStateStore {
 public:
  explicit ConnectorStateStore(SqliteDb& db) : db_(db) {}

  std::optional<ConnectorState> get(const std::string& source);
  std::vector<ConnectorState> all();  // ordered by source

  // A pull of `source` starts at `at`.
  void record_attempt(const std::string& source, std::int64_t at);
  // A page (or file) of `records` records was read and committed.
  void record_page(const std::string& source, std::int64_t records);
  // The pull ended well: last_success = at, consecutive_failures = 0.
  void record_success(const std::string& source, std::int64_t at);
  // The pull ended with `error`: last_error(_at) set, consecutive_failures + 1.
  void record_failure(const std::string& source, std::int64_t at, const std::string& error);
  // Raises newest_event_at to `event_utc` when that is newer. Files
  // connectors call it with each committed file, in its transaction, and
  // compute their lag from it at the end of a pull.
  void record_newest_event(const std::string& source, std::int64_t event_utc);
  // Sets lag_seconds (nullopt clears it).
  void record_lag(const std::string& source, std::optional<std::int64_t> lag_seconds);

  // The newest paid_at (UTC seconds) of the fee records that `source` stored
  // first, or nullopt when it stored none. Walks fee records newest first, so
  // it is quick while the source keeps delivering.
  std::optional<std::int64_t> newest_fee_time(const std::string& source);

 private:
  void ensure_row(const std::string& source);

  SqliteDb& db_;
};

}  // namespace sfmon
