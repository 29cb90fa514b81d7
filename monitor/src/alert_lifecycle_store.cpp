#include "sfmon/monitor/alert_lifecycle_store.h"

#include "sfmon/monitor/alert_lookup.h"

namespace sfmon {

using alerts::AlertAction;
using alerts::AlertStatus;

AlertEvent record_alert_event(SqliteDb& db, AlertEvent event) {
  Statement& insert = db.prepare(
      "INSERT INTO alert_events(alert_id, at, actor, action, from_status, to_status, comment) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind_int64(1, event.alert_id).bind_int64(2, event.at).bind_text(3, event.actor);
  insert.bind_text(4, event.action);
  insert.bind_text_or_null(
      5, event.from ? std::optional<std::string>(alerts::to_string(*event.from)) : std::nullopt);
  insert.bind_text_or_null(
      6, event.to ? std::optional<std::string>(alerts::to_string(*event.to)) : std::nullopt);
  insert.bind_text(7, event.comment).run();
  event.id = db.last_insert_rowid();
  return event;
}

AlertLifecycleStore::AlertLifecycleStore(SqliteDb& db, UtcClock clock)
    : db_(db), clock_(std::move(clock)) {}

AlertEvent AlertLifecycleStore::apply(std::int64_t alert_id, AlertAction action,
                                      const std::string& user, const std::string& comment) {
  if (user.find_first_not_of(" \t") == std::string::npos) {
    throw std::invalid_argument("the user (--by) must not be empty");
  }
  Transaction transaction(db_);
  const auto stored = find_alert(db_, alert_id);
  const std::string name = "alert " + std::to_string(alert_id);
  if (!stored) throw AlertNotActionable(name + " does not exist");
  if (stored->result_set != "live") {
    throw AlertNotActionable(name + " is a " + stored->result_set +
                             " result, not a live alert; replays cannot be acted on");
  }
  if (stored->withdrawn) {
    throw AlertNotActionable(name +
                             " was withdrawn (its records no longer make it fire); "
                             "it cannot be acted on");
  }
  const alerts::Transition transition =
      alerts::apply_action(alert_id, stored->alert.status, action, comment);
  const std::int64_t at = utc_now(clock_);
  if (transition.to != transition.from) {
    Statement& update = db_.prepare("UPDATE alerts SET status = ?2, updated_at = ?3 WHERE id = ?1");
    update.bind_int64(1, alert_id).bind_text(2, alerts::to_string(transition.to));
    update.bind_int64(3, at).run();
  }
  AlertEvent event;
  event.alert_id = alert_id;
  event.at = at;
  event.actor = user;
  event.action = alerts::to_string(action);
  event.from = transition.from;
  event.to = transition.to;
  event.comment = comment;
  event = record_alert_event(db_, std::move(event));
  transaction.commit();
  return event;
}

AlertEvent AlertLifecycleStore::acknowledge(std::int64_t alert_id, const std::string& user,
                                            const std::string& comment) {
  return apply(alert_id, AlertAction::Acknowledge, user, comment);
}

AlertEvent AlertLifecycleStore::resolve(std::int64_t alert_id, const std::string& user,
                                        const std::string& comment) {
  return apply(alert_id, AlertAction::Resolve, user, comment);
}

AlertEvent AlertLifecycleStore::dismiss(std::int64_t alert_id, const std::string& user,
                                        const std::string& comment) {
  return apply(alert_id, AlertAction::Dismiss, user, comment);
}

AlertEvent AlertLifecycleStore::comment(std::int64_t alert_id, const std::string& user,
                                        const std::string& comment) {
  return apply(alert_id, AlertAction::Comment, user, comment);
}

std::vector<AlertEvent> AlertLifecycleStore::history(std::int64_t alert_id) {
  Statement& query = db_.prepare(
      "SELECT id, at, actor, action, from_status, to_status, comment FROM alert_events "
      "WHERE alert_id = ?1 ORDER BY at, id");
  query.bind_int64(1, alert_id);
  std::vector<AlertEvent> events;
  while (query.step()) {
    AlertEvent event;
    event.id = query.column_int64(0);
    event.alert_id = alert_id;
    event.at = query.column_int64(1);
    event.actor = query.column_text(2);
    event.action = query.column_text(3);
    if (const auto from = query.column_text_or_null(4)) {
      event.from = alerts::alert_status_from_string(*from);
    }
    if (const auto to = query.column_text_or_null(5))
      event.to = alerts::alert_status_from_string(*to);
    event.comment = query.column_text(6);
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace sfmon
