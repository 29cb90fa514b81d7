#include "sfmon/monitor/notification_channel.h"

#include <cstdlib>

#include "sfmon/monitor/channel_smtp.h"
#include "sfmon/monitor/channel_webhook.h"

namespace sfmon {

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::unique_ptr<NotificationChannel> make_channel(const ChannelConfig& config,
                                                  const EnvLookup& env) {
  if (config.type == ChannelType::Smtp) return std::make_unique<SmtpChannel>(config, env);
  return std::make_unique<WebhookChannel>(config, env);
}

}  // namespace sfmon
