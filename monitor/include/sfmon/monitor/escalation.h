#pragma once
// Escalation of alerts nobody acknowledges (product.md "Alerts"). An open
// alert that is not acknowledged within its level's time (config
// `escalation`) is raised one level; a red alert stays red and instead
// notifies the next recipient of its routes' `escalate` lists. Each step is
// an `escalations` row and an alert_events row (actor "sfmon").
//
// Timing: a level's clock starts when the alert reached it — when sfmon
// raised the alert, or at the previous step. A step falls due exactly at
// start + time (the boundary escalates) and is recorded at that moment, so
// a run after downtime catches up step by step, as if it had run all along,
// and running again changes nothing: each step happens once.
//
// Not thread-safe: borrows one SqliteDb. Each alert is escalated in its own
// transaction, which re-reads the alert's steps under the write lock, so a
// daemon and a CLI run at the same time do not repeat a step.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sfmon/alerts/alert.h"
#include "sfmon/monitor/notification_config.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon {

struct EscalationStep {
  std::int64_t alert_id = 0;
  int step = 0;         // 1, 2, ... per alert
  std::int64_t at = 0;  // when it fell due, UTC seconds
  rules::Level from_level = rules::Level::Yellow;
  rules::Level to_level = rules::Level::Yellow;
  std::string notified;  // red steps: the channel told; empty for level raises
};

// What escalation needs from routing, silences and delivery.
struct EscalationHooks {
  // The ordered escalation recipients (channel names) of an alert. Unset or
  // empty: a red alert has nobody further to tell and stays as it is.
  std::function<std::vector<std::string>(const alerts::Alert&)> recipients;
  // True while a silence mutes notifications about the alert at `at`; a
  // muted red step waits (level raises do not: silences never touch alerts).
  std::function<bool(const alerts::Alert&, std::int64_t at)> muted;
  // Queues the notification of `channel` about the alert, inside the
  // step's transaction (so the step and its delivery commit together).
  std::function<void(const alerts::Alert&, const std::string& channel)> notify;
};

// When the step after an alert reached `level` at `since` falls due.
std::int64_t escalation_due_at(const EscalationConfig& config, rules::Level level,
                               std::int64_t since);

class Escalator {
 public:
  Escalator(SqliteDb& db, const EscalationConfig& config, EscalationHooks hooks = {},
            UtcClock clock = {});

  // Escalates every open live alert whose next step is due; returns the
  // steps taken, in order.
  std::vector<EscalationStep> run();

  // The steps an alert has taken so far, in order.
  std::vector<EscalationStep> steps(std::int64_t alert_id);

 private:
  // The steps due for the alert at `now`, read without writing; `alert` is
  // set to the alert as stored.
  std::vector<EscalationStep> plan(std::int64_t alert_id, std::int64_t now, alerts::Alert& alert);
  std::vector<EscalationStep> escalate(std::int64_t alert_id, std::int64_t now);
  void record(const alerts::Alert& alert, const EscalationStep& step);

  SqliteDb& db_;
  EscalationConfig config_;
  EscalationHooks hooks_;
  UtcClock clock_;
};

}  // namespace sfmon
