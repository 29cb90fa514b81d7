#pragma once
// The `escalation` and `notifications` sections of the config file
// (monitor/config.h). Durations are whole seconds.
//
//   escalation: {blue: 72h, yellow: 24h, orange: 8h, red: 2h}
//   notifications:
//     interval: 60s          # how often `sfmon serve` runs a notification pass
//     retry: {attempts: 5, backoff: 1m, max_backoff: 1h}
//     channels:
//       - {name: mail, type: smtp, host: smtp.example.org, port: 587, starttls: true,
//          ca_file: bureau-ca.pem, username: sfmon, password_env: SFMON_SMTP_PASSWORD,
//          from: sfmon@example.org, to: [supervisor@example.org], timeout: 30s}
//       - {name: hook, type: webhook, url: "https://example.org/hook",
//          secret_env: SFMON_WEBHOOK_SECRET, timeout: 10s}
//     routes:
//       - {levels: [orange, red], districts: [天河区], tags: [fees], channels: [mail, hook],
//          escalate: [director-mail]}
//
// Secrets never sit in the file: the config names environment variables.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sfmon/rules/rule_pack.h"

namespace sfmon {

struct EscalationConfig {
  // How long an open alert of each level (blue, yellow, orange, red) may wait
  // for acknowledgement before it is escalated.
  std::array<std::int64_t, 4> ack_within_seconds{72 * 3600, 24 * 3600, 8 * 3600, 2 * 3600};

  std::int64_t for_level(rules::Level level) const {
    return ack_within_seconds[static_cast<std::size_t>(level)];
  }
};

enum class ChannelType { Smtp, Webhook };
const char* to_string(ChannelType type);  // "smtp" | "webhook"

struct SmtpSettings {
  std::string host;
  int port = 25;
  std::string from;
  std::vector<std::string> to;  // one delivery per address
  bool starttls = false;
  // With STARTTLS, the server's certificate must chain to a CA in this PEM
  // file (absolute; resolved against the config's folder); empty: the
  // system's CAs. The host name is checked against the certificate either way.
  std::string ca_file;
  std::string username;      // empty: no login
  std::string password_env;  // environment variable holding the password
};

struct WebhookSettings {
  std::string url;         // http:// or https://
  std::string secret_env;  // environment variable holding the HMAC key; empty: unsigned
};

struct ChannelConfig {
  std::string name;
  ChannelType type = ChannelType::Smtp;
  SmtpSettings smtp;        // type smtp
  WebhookSettings webhook;  // type webhook
  int timeout_seconds = 30;
};

// A route matches a notice (or an escalated alert) when every list it gives
// matches: the alert's level is in `levels`, the school's district in
// `districts`, one of the rule's tags in `tags`. An empty list matches all.
struct RouteConfig {
  std::vector<rules::Level> levels;
  std::vector<std::string> districts;
  std::vector<std::string> tags;
  std::vector<std::string> channels;  // channel names; notices go to all of them
  // Channel names in order: the recipients a red alert that is still not
  // acknowledged is escalated to, one more at each red deadline.
  std::vector<std::string> escalate;
};

struct RetryConfig {
  int max_attempts = 5;               // then the delivery is dead
  std::int64_t backoff_seconds = 60;  // wait after the first failure; doubles
  std::int64_t max_backoff_seconds = 3600;
};

struct NotificationsConfig {
  // The daemon runs a notification pass (escalate, build notices, deliver
  // what is due) this often, and at once after an evaluation changed alerts.
  std::int64_t interval_seconds = 60;
  std::vector<ChannelConfig> channels;
  std::vector<RouteConfig> routes;
  RetryConfig retry;

  const ChannelConfig* find_channel(const std::string& name) const;
};

}  // namespace sfmon
