#pragma once
// An HTTP(S) webhook: POST of the notice's JSON, with
//   Content-Type: application/json; charset=utf-8
//   X-Sfmon-Delivery: <delivery id>   (the same on every retry)
//   X-Sfmon-Signature: sha256=<hex HMAC-SHA256 of the body>   (when a secret is set)
// The HMAC key is the value of the environment variable `secret_env`.
// 2xx is success; 408, 429 and 5xx, timeouts and network errors are worth
// retrying; other statuses are not.

#include <string>

#include "sfmon/monitor/notification_channel.h"

namespace sfmon {

// "sha256=" + lower-case hex HMAC-SHA256 of `body` under `secret`.
std::string webhook_signature(const std::string& body, const std::string& secret);

class WebhookChannel : public NotificationChannel {
 public:
  WebhookChannel(ChannelConfig config, EnvLookup env);
  SendResult send(const OutgoingMessage& message, const std::string& recipient) override;

 private:
  ChannelConfig config_;
  EnvLookup env_;
};

}  // namespace sfmon
