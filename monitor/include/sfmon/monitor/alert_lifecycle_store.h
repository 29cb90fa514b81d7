#pragma once
// Acknowledging, resolving, dismissing and commenting on live alerts, each
// kept as an alert_events row (who, when, from, to, comment) written in the
// same transaction as the alert's new status. The rules of what may follow
// what are alerts::apply_action (alerts/alert_lifecycle.h).
//
// Not thread-safe: borrows one SqliteDb (one per thread).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sfmon/alerts/alert_lifecycle.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon {

// One entry of an alert's history. Lifecycle actions carry their statuses;
// "escalate" (actor "sfmon") keeps the status and says in `comment` which
// level it raised or whom it notified.
struct AlertEvent {
  std::int64_t id = 0;
  std::int64_t alert_id = 0;
  std::int64_t at = 0;  // UTC seconds
  std::string actor;
  std::string action;  // acknowledge | resolve | dismiss | comment | escalate
  std::optional<alerts::AlertStatus> from;
  std::optional<alerts::AlertStatus> to;
  std::string comment;
};

// The alert does not exist, or is not one a user can act on (a replay
// result, or withdrawn because late data undid it). what() is one line.
class AlertNotActionable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AlertLifecycleStore {
 public:
  explicit AlertLifecycleStore(SqliteDb& db, UtcClock clock = {});

  // Each returns the event it recorded. Throws AlertNotActionable,
  // alerts::LifecycleError (an action the state does not allow, or a missing
  // comment) or std::invalid_argument (empty user); nothing is written then.
  AlertEvent acknowledge(std::int64_t alert_id, const std::string& user,
                         const std::string& comment = "");
  AlertEvent resolve(std::int64_t alert_id, const std::string& user, const std::string& comment);
  AlertEvent dismiss(std::int64_t alert_id, const std::string& user, const std::string& comment);
  AlertEvent comment(std::int64_t alert_id, const std::string& user, const std::string& comment);
  AlertEvent apply(std::int64_t alert_id, alerts::AlertAction action, const std::string& user,
                   const std::string& comment);

  // Every event of the alert, oldest first.
  std::vector<AlertEvent> history(std::int64_t alert_id);

 private:
  SqliteDb& db_;
  UtcClock clock_;
};

// Appends an event row (no transaction of its own; for callers that write
// the alert in theirs, e.g. escalation). Returns the event with its id.
AlertEvent record_alert_event(SqliteDb& db, AlertEvent event);

}  // namespace sfmon
