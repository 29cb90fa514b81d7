#pragma once
// Where notices go: one small class per channel type behind one interface
// (channel_smtp.h, channel_webhook.h). A channel sends one message to one
// recipient and reports how it went; retries, backoff and dead letters are
// the delivery queue's business (delivery_store.h, notifier.h).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sfmon/monitor/notification_config.h"

namespace sfmon {

struct OutgoingMessage {
  std::int64_t delivery_id = 0;  // for receivers that de-duplicate retries
  std::string subject;
  std::string text;  // plain text body
  std::string html;  // HTML body
  std::string json;  // webhook body
};

struct SendResult {
  bool ok = false;
  // False when trying again cannot help (e.g. the receiver rejected the
  // request as malformed): the delivery goes straight to the dead letters.
  bool retryable = true;
  std::string error;  // one line: what failed and where

  static SendResult sent() { return {true, false, ""}; }
  static SendResult failed(std::string error, bool retryable = true) {
    return {false, retryable, std::move(error)};
  }
};

class NotificationChannel {
 public:
  virtual ~NotificationChannel() = default;
  // `recipient` is one of channel_recipients(config) (notification_routing.h).
  // Never throws for network or protocol failures: they are results.
  virtual SendResult send(const OutgoingMessage& message, const std::string& recipient) = 0;
};

// Reads a secret (a password, an HMAC key) by environment variable name.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_env(const std::string& name);

// The channel for `config` (smtp or webhook).
using ChannelFactory =
    std::function<std::unique_ptr<NotificationChannel>(const ChannelConfig& config)>;
std::unique_ptr<NotificationChannel> make_channel(const ChannelConfig& config,
                                                  const EnvLookup& env = process_env);

}  // namespace sfmon
