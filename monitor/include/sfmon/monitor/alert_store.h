#pragma once
// Alerts in SQLite. Evaluation hands over every firing of a school within a
// span of event time; the store replaces the span's firings with them and
// regroups the affected rule + dedup keys into alerts (alerts::group_sessions).
// Re-evaluating the same records — after a re-read, a late file or a restart —
// changes nothing; a late record that undoes a firing withdraws it, and an
// alert left without firings is kept as withdrawn (hidden from lists).
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

// The span of event time (UTC seconds, inclusive) over which an evaluation
// judged one rule of one school.
struct RuleSpan {
  std::string rule_id;
  std::int64_t from = 0;
  std::int64_t to = 0;
};

struct MergeSummary {
  int new_firings = 0;
  int withdrawn_firings = 0;  // stored firings the records no longer produce
  int new_alerts = 0;
  int updated_alerts = 0;
  int withdrawn_alerts = 0;
};

class AlertStore {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC seconds
  // Borrows `db` (schema at the latest version); not thread-safe.
  explicit AlertStore(SqliteDb& db, Clock clock = {});

  // Makes `firings` the firings of `school_id` with event time in [from, to]
  // (UTC seconds) in `result_set`, and regroups the alerts they touch. One
  // transaction (a savepoint inside a caller's transaction).
  MergeSummary replace_firings(const std::string& school_id, std::int64_t from, std::int64_t to,
                               const std::vector<rules::Firing>& firings,
                               const std::string& result_set = "live");

  // The same per rule: for each span, makes the firings of that rule in
  // `firings` with event time in [span.from, span.to] its firings there.
  // Rules without a span, and times outside their rule's span, keep their
  // stored firings; `firings` outside their rule's span are ignored. One
  // transaction (a savepoint inside a caller's transaction).
  MergeSummary replace_firings(const std::string& school_id, const std::vector<RuleSpan>& spans,
                               const std::vector<rules::Firing>& firings,
                               const std::string& result_set = "live");

  std::vector<alerts::Alert> list(const AlertFilter& filter, const Zone& zone,
                                  const std::string& result_set = "live");

  // A new replay result set name ("replay:N"), recorded with its parameters.
  std::string begin_replay(const std::string& description);

 private:
  struct KeyRef {
    std::string rule_id;
    std::string dedup_key;
    friend auto operator<=>(const KeyRef&, const KeyRef&) = default;
  };
  // nullptr spans: every rule over [from, to].
  MergeSummary replace_within(const std::string& school_id, std::int64_t from, std::int64_t to,
                              const std::vector<RuleSpan>* spans,
                              const std::vector<rules::Firing>& firings,
                              const std::string& result_set);
  void regroup(const std::string& school_id, const KeyRef& key, const std::string& result_set,
               MergeSummary& summary);
  void load_evidence(alerts::Alert& alert);
  void write_alert(alerts::Alert& alert, const std::string& result_set);
  void replace_evidence(const alerts::Alert& alert, const std::string& result_set);
  void flag_records(const alerts::Alert& alert);
  std::int64_t now() const;

  SqliteDb& db_;
  Clock clock_;
};

}  // namespace sfmon
