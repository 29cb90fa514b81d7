#pragma once
// Alerts in SQLite. Firings merge into alerts by rule + dedup key within the
// rule's grouping window; a firing already merged (same alert, same event
// time) adds nothing, so re-evaluating the same records — after a re-read, a
// late file or a restart — never duplicates or inflates an alert.
//
// Result sets keep replays apart from live alerts: "live" is what the daemon
// raises; a replay writes to "replay:N" and never touches live rows. Only live
// alerts flag records (alert_evidence) for `records list --flagged`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/alerts/alert.h"
#include "sfmon/model/time.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

struct AlertFilter {
  std::optional<alerts::AlertStatus> status;
  std::optional<std::string> school_id;
  std::optional<std::string> rule_id;
  std::optional<rules::Level> level;
  std::optional<Date> from;  // last_seen on or after this local day
  std::optional<Date> to;    // first_seen on or before this local day
};

struct MergeSummary {
  int new_alerts = 0;
  int merged = 0;     // firings folded into an existing alert (new or repeated)
  int unchanged = 0;  // firings seen before: nothing changed
};

class AlertStore {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC seconds
  // Borrows `db` (schema at the latest version); not thread-safe.
  explicit AlertStore(SqliteDb& db, Clock clock = {});

  // Merges `firings` into `result_set` in one transaction (a savepoint inside
  // a caller's transaction).
  MergeSummary merge(const std::vector<rules::Firing>& firings,
                     const std::string& result_set = "live");

  std::vector<alerts::Alert> list(const AlertFilter& filter, const Zone& zone,
                                  const std::string& result_set = "live");

  // A new replay result set name ("replay:N"), recorded with its parameters.
  std::string begin_replay(const std::string& description);

 private:
  std::optional<alerts::Alert> find_matching(const rules::Firing& firing,
                                             const std::string& result_set);
  void load_evidence(alerts::Alert& alert);
  void save(alerts::Alert& alert, const std::string& result_set, bool is_new);
  void flag_records(const alerts::Alert& alert);
  std::int64_t now() const;

  SqliteDb& db_;
  Clock clock_;
};

}  // namespace sfmon
