#pragma once
// One notification pass of the alert manager, shared by `sfmon notify` and
// the daemon's schedule:
//   1. escalate open alerts nobody acknowledged in time (escalation.h);
//   2. build each school's notice of the day and store it when it changed
//      (notice_store.h), queueing a delivery per routed channel and
//      recipient in the same transaction;
//   3. send every delivery that is due, once, through its channel, and
//      record success, a retry with backoff, or a dead letter.
// Silences mute (1)'s notifications and leave alerts out of (2).
//
// Not thread-safe: borrows one SqliteDb and the configuration, registry and
// pack, which must outlive the Notifier.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/delivery_store.h"
#include "sfmon/monitor/escalation.h"
#include "sfmon/monitor/notification_channel.h"
#include "sfmon/monitor/notification_routing.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon {

struct AppContext;

struct NotifySummary {
  std::vector<EscalationStep> escalations;
  int notices_created = 0;
  int notices_unchanged = 0;
  int muted_alerts = 0;  // left out of notices by a silence
  int queued = 0;        // deliveries queued by this run
  int sent = 0;
  int retrying = 0;                   // failed, will be tried again
  int dead = 0;                       // failed for good: in the dead letters
  std::vector<std::string> failures;  // one line per failed attempt
};

class Notifier {
 public:
  // `pack` gives rule titles and tags (null: none, and routes with `tags`
  // match nothing). `channels` makes a channel from its config (default:
  // the real SMTP and webhook channels).
  Notifier(SqliteDb& db, const Config& config, const Registry& registry,
           const rules::CompiledPack* pack, UtcClock clock = {}, ChannelFactory channels = {});

  NotifySummary run_once();

  void escalate(NotifySummary& summary);
  void build_notices(NotifySummary& summary);
  void deliver_due(NotifySummary& summary);

 private:
  RoutedAlert routed(const alerts::Alert& alert) const;
  int queue(std::optional<std::int64_t> notice_id, std::optional<std::int64_t> alert_id,
            const std::string& channel);
  // The message of a delivery, or nullopt with `error` set.
  std::optional<OutgoingMessage> message_for(const Delivery& delivery, std::string& error);
  NotificationChannel* channel(const std::string& name);

  SqliteDb& db_;
  const Config& config_;
  const Registry& registry_;
  const rules::CompiledPack* pack_;
  UtcClock clock_;
  ChannelFactory factory_;
  DeliveryStore deliveries_;
  std::map<std::string, std::unique_ptr<NotificationChannel>> channels_;
};

// run_once() over an opened app (open_app + load_rules), as `sfmon notify`
// and the daemon do.
NotifySummary run_notifications(AppContext& app, UtcClock clock = {});

}  // namespace sfmon
