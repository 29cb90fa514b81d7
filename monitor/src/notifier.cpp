#include "sfmon/monitor/notifier.h"

#include "sfmon/alerts/notice_builder.h"
#include "sfmon/monitor/alert_lookup.h"
#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/notice_json.h"
#include "sfmon/monitor/notice_store.h"
#include "sfmon/monitor/silence_store.h"

namespace sfmon {
namespace {

std::string duration_text(std::int64_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

const rules::CompiledRule* find_rule(const rules::CompiledPack* pack, const std::string& id) {
  if (pack == nullptr) return nullptr;
  for (const rules::CompiledRule& rule : pack->rules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

// What a dead letter keeps: the body the channel would have sent.
std::string dead_letter_payload(const ChannelConfig* channel,
                                const std::optional<OutgoingMessage>& message) {
  if (!message) return "";
  if (channel != nullptr && channel->type == ChannelType::Smtp) {
    return message->subject + "\n\n" + message->text;
  }
  return message->json;
}

}  // namespace

Notifier::Notifier(SqliteDb& db, const Config& config, const Registry& registry,
                   const rules::CompiledPack* pack, UtcClock clock, ChannelFactory channels)
    : db_(db),
      config_(config),
      registry_(registry),
      pack_(pack),
      clock_(std::move(clock)),
      factory_(std::move(channels)),
      deliveries_(db, clock_) {
  if (!factory_) {
    factory_ = [](const ChannelConfig& channel) { return make_channel(channel); };
  }
}

NotifySummary Notifier::run_once() {
  NotifySummary summary;
  escalate(summary);
  build_notices(summary);
  deliver_due(summary);
  return summary;
}

RoutedAlert Notifier::routed(const alerts::Alert& alert) const {
  RoutedAlert routed;
  routed.level = alert.level;
  if (const School* school = registry_.find_school(alert.school_id)) {
    routed.district = school->district;
  }
  if (const rules::CompiledRule* rule = find_rule(pack_, alert.rule_id)) routed.tags = rule->tags;
  return routed;
}

int Notifier::queue(std::optional<std::int64_t> notice_id, std::optional<std::int64_t> alert_id,
                    const std::string& channel_name) {
  const ChannelConfig* channel = config_.notifications.find_channel(channel_name);
  if (channel == nullptr) return 0;  // config validation names every routed channel
  int queued = 0;
  for (const std::string& recipient : channel_recipients(*channel)) {
    deliveries_.enqueue(notice_id, alert_id, channel_name, recipient);
    ++queued;
  }
  return queued;
}

void Notifier::escalate(NotifySummary& summary) {
  const std::vector<Silence> silences = SilenceStore(db_, clock_).list(true);
  EscalationHooks hooks;
  hooks.recipients = [this](const alerts::Alert& alert) {
    return escalation_chain(config_.notifications, routed(alert));
  };
  hooks.muted = [&silences](const alerts::Alert& alert, std::int64_t at) {
    return is_muted(silences, alert.school_id, alert.rule_id, at);
  };
  hooks.notify = [this, &summary](const alerts::Alert& alert, const std::string& channel) {
    summary.queued += queue(std::nullopt, alert.id, channel);
  };
  Escalator escalator(db_, config_.escalation, hooks, clock_);
  for (EscalationStep& step : escalator.run()) summary.escalations.push_back(std::move(step));
}

void Notifier::build_notices(NotifySummary& summary) {
  NoticeSources sources;
  sources.registry = &registry_;
  sources.zone = config_.zone;
  sources.silences = SilenceStore(db_, clock_).list(true);
  if (pack_ != nullptr) {
    for (const rules::CompiledRule& rule : pack_->rules) sources.rule_titles[rule.id] = rule.title;
  }
  NoticeStore notices(db_, clock_);
  const NoticeRun run = notices.build_notices(
      sources, [&](const StoredNotice& notice, const std::vector<alerts::Alert>& alerts) {
        std::vector<RoutedAlert> routes;
        routes.reserve(alerts.size());
        for (const alerts::Alert& alert : alerts) routes.push_back(routed(alert));
        for (const std::string& channel : notice_channels(config_.notifications, routes)) {
          summary.queued += queue(notice.id, std::nullopt, channel);
        }
      });
  summary.notices_created += static_cast<int>(run.created.size());
  summary.notices_unchanged += run.unchanged;
  summary.muted_alerts += run.muted_alerts;
}

NotificationChannel* Notifier::channel(const std::string& name) {
  if (const auto found = channels_.find(name); found != channels_.end()) return found->second.get();
  const ChannelConfig* config = config_.notifications.find_channel(name);
  if (config == nullptr) return nullptr;
  return (channels_[name] = factory_(*config)).get();
}

std::optional<OutgoingMessage> Notifier::message_for(const Delivery& delivery, std::string& error) {
  OutgoingMessage message;
  message.delivery_id = delivery.id;
  if (delivery.notice_id) {
    const auto notice = NoticeStore(db_, clock_).find(*delivery.notice_id);
    if (!notice) {
      error = "notice " + std::to_string(*delivery.notice_id) + " does not exist";
      return std::nullopt;
    }
    message.subject = notice->subject;
    message.text = notice->text;
    message.html = notice->html;
    message.json = with_ids(notice->json, notice->id, delivery.id);
    return message;
  }
  const auto stored = delivery.alert_id ? find_alert(db_, *delivery.alert_id) : std::nullopt;
  if (!stored) {
    error = "delivery " + std::to_string(delivery.id) + " names no notice and no existing alert";
    return std::nullopt;
  }
  const alerts::Alert& alert = stored->alert;
  alerts::NoticeInput input;
  input.school = {alert.school_id, "", ""};
  if (const School* school = registry_.find_school(alert.school_id)) {
    input.school.name = school->name;
    input.school.district = school->district;
  }
  input.zone = config_.zone;
  input.day = Instant{utc_now(clock_), config_.zone.offset_minutes, false}.local_date(config_.zone);
  const rules::CompiledRule* rule = find_rule(pack_, alert.rule_id);
  input.items.push_back({alert, rule ? rule->title : std::string()});
  const std::string reason = "预警 " + std::to_string(alert.id) + " 为" +
                             alerts::level_name_zh(alert.level) + "级别，超过 " +
                             duration_text(config_.escalation.for_level(alert.level)) +
                             " 仍未确认，按升级路由通知 " + delivery.channel + "。";
  const alerts::Notice notice = alerts::build_escalation_notice(input, reason);
  message.subject = notice.subject;
  message.text = notice.text;
  message.html = notice.html;
  message.json = with_ids(notice_json(input, notice, "escalation"), 0, delivery.id);
  return message;
}

void Notifier::deliver_due(NotifySummary& summary) {
  const RetryConfig& retry = config_.notifications.retry;
  for (const Delivery& delivery : deliveries_.due()) {
    const ChannelConfig* configured = config_.notifications.find_channel(delivery.channel);
    // Long enough for one send to finish or time out.
    const std::int64_t lease = 60 + 2 * (configured ? configured->timeout_seconds : 30);
    if (!deliveries_.claim(delivery.id, lease)) continue;
    std::string error;
    const auto message = message_for(delivery, error);
    NotificationChannel* target = message ? channel(delivery.channel) : nullptr;
    if (message && target == nullptr) {
      error = "channel '" + delivery.channel + "' is no longer configured";
    }
    SendResult result = target != nullptr ? target->send(*message, delivery.recipient)
                                          : SendResult::failed(error, false);
    if (result.ok) {
      deliveries_.mark_sent(delivery.id);
      ++summary.sent;
      continue;
    }
    const Delivery after =
        deliveries_.record_failure(delivery.id, result.error, result.retryable, retry,
                                   dead_letter_payload(configured, message));
    summary.failures.push_back("delivery " + std::to_string(delivery.id) + " attempt " +
                               std::to_string(after.attempts) + ": " + result.error);
    if (after.status == "dead") {
      ++summary.dead;
    } else {
      ++summary.retrying;
    }
  }
}

NotifySummary run_notifications(AppContext& app, UtcClock clock) {
  Notifier notifier(*app.db, app.config, app.registry, app.pack.get(), std::move(clock));
  return notifier.run_once();
}

}  // namespace sfmon
