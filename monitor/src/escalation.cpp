#include "sfmon/monitor/escalation.h"

#include <optional>

#include "sfmon/monitor/alert_lifecycle_store.h"
#include "sfmon/monitor/alert_lookup.h"

namespace sfmon {
namespace {

// "72h", "90m": the config's durations as people wrote them.
std::string duration_text(std::int64_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

rules::Level level_or_red(const std::string& text) {
  return rules::level_from_string(text).value_or(rules::Level::Red);
}

}  // namespace

std::int64_t escalation_due_at(const EscalationConfig& config, rules::Level level,
                               std::int64_t since) {
  return since + config.for_level(level);
}

Escalator::Escalator(SqliteDb& db, const EscalationConfig& config, EscalationHooks hooks,
                     UtcClock clock)
    : db_(db), config_(config), hooks_(std::move(hooks)), clock_(std::move(clock)) {}

std::vector<EscalationStep> Escalator::steps(std::int64_t alert_id) {
  Statement& query = db_.prepare(
      "SELECT step, at, from_level, to_level, notified FROM escalations WHERE alert_id = ?1 "
      "ORDER BY step");
  query.bind_int64(1, alert_id);
  std::vector<EscalationStep> found;
  while (query.step()) {
    EscalationStep step;
    step.alert_id = alert_id;
    step.step = static_cast<int>(query.column_int64(0));
    step.at = query.column_int64(1);
    step.from_level = level_or_red(query.column_text(2));
    step.to_level = level_or_red(query.column_text(3));
    step.notified = query.column_text(4);
    found.push_back(std::move(step));
  }
  return found;
}

std::vector<EscalationStep> Escalator::run() {
  const std::int64_t now = utc_now(clock_);
  std::vector<std::int64_t> open;
  for (const StoredAlert& stored : unresolved_alerts(db_)) {
    if (stored.alert.status == alerts::AlertStatus::Open) open.push_back(stored.alert.id);
  }
  std::vector<EscalationStep> taken;
  for (const std::int64_t alert_id : open) {
    for (EscalationStep& step : escalate(alert_id, now)) taken.push_back(std::move(step));
  }
  return taken;
}

std::vector<EscalationStep> Escalator::plan(std::int64_t alert_id, std::int64_t now,
                                            alerts::Alert& alert) {
  const auto stored = find_alert(db_, alert_id);
  // Acknowledged (or gone) since the list was read: nothing to do.
  if (!stored || stored->withdrawn || stored->alert.status != alerts::AlertStatus::Open) return {};
  alert = stored->alert;
  const std::vector<EscalationStep> done = steps(alert_id);
  std::int64_t since = done.empty() ? stored->created_at : done.back().at;
  int next_step = done.empty() ? 1 : done.back().step + 1;
  rules::Level level = alert.level;
  std::size_t red_told = 0;
  for (const EscalationStep& step : done) red_told += step.notified.empty() ? 0 : 1;
  std::optional<std::vector<std::string>> chain;  // read when first needed

  std::vector<EscalationStep> planned;
  for (;;) {
    const std::int64_t due = escalation_due_at(config_, level, since);
    if (now < due) break;
    EscalationStep step;
    step.alert_id = alert_id;
    step.step = next_step++;
    step.at = due;
    step.from_level = level;
    if (level != rules::Level::Red) {
      step.to_level = static_cast<rules::Level>(static_cast<int>(level) + 1);
    } else {
      if (!chain) chain = hooks_.recipients ? hooks_.recipients(alert) : std::vector<std::string>{};
      if (red_told >= chain->size()) break;  // nobody further to tell
      if (hooks_.muted && hooks_.muted(alert, due)) break;
      step.to_level = rules::Level::Red;
      step.notified = (*chain)[red_told++];
    }
    level = step.to_level;
    since = due;
    planned.push_back(std::move(step));
  }
  return planned;
}

std::vector<EscalationStep> Escalator::escalate(std::int64_t alert_id, std::int64_t now) {
  alerts::Alert alert;
  // Most alerts are not due: find out before taking the write lock.
  if (plan(alert_id, now, alert).empty()) return {};
  Transaction transaction(db_);
  std::vector<EscalationStep> taken = plan(alert_id, now, alert);  // again, under the lock
  for (const EscalationStep& step : taken) {
    record(alert, step);
    if (!step.notified.empty() && hooks_.notify) hooks_.notify(alert, step.notified);
    alert.level = step.to_level;
  }
  transaction.commit();
  return taken;
}

void Escalator::record(const alerts::Alert& alert, const EscalationStep& step) {
  Statement& insert = db_.prepare(
      "INSERT INTO escalations(alert_id, step, at, from_level, to_level, notified) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind_int64(1, step.alert_id).bind_int64(2, step.step).bind_int64(3, step.at);
  insert.bind_text(4, rules::to_string(step.from_level));
  insert.bind_text(5, rules::to_string(step.to_level)).bind_text(6, step.notified).run();

  const std::string waited = "not acknowledged within " +
                             duration_text(config_.for_level(step.from_level)) + " at " +
                             rules::to_string(step.from_level);
  AlertEvent event;
  event.alert_id = alert.id;
  event.at = step.at;
  event.actor = "sfmon";
  event.action = "escalate";
  event.from = alert.status;
  event.to = alert.status;
  if (step.notified.empty()) {
    Statement& raise = db_.prepare("UPDATE alerts SET level = ?2, updated_at = ?3 WHERE id = ?1");
    raise.bind_int64(1, alert.id).bind_text(2, rules::to_string(step.to_level));
    raise.bind_int64(3, utc_now(clock_)).run();
    event.comment = waited + "; level raised to " + rules::to_string(step.to_level);
  } else {
    event.comment = waited + "; notified " + step.notified;
  }
  record_alert_event(db_, std::move(event));
}

}  // namespace sfmon
