// The `escalation` and `notifications` config sections: defaults, decoding,
// and every problem reported as file:line:column.
#include <gtest/gtest.h>

#include "sfmon/monitor/config.h"

namespace sfmon::notification_config_test {
namespace {

std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    parse_config(yaml, "/etc/sfmon/sfmon.yaml");
  } catch (const ConfigError& error) {
    return error.problems();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return {};
}

constexpr const char* kFull = R"(database: sfmon.db
escalation: {blue: 3d, yellow: 12h, orange: 90m, red: 2h}
notifications:
  interval: 5m
  retry: {attempts: 4, backoff: 30s, max_backoff: 10m}
  channels:
    - {name: mail, type: smtp, host: smtp.example.org, port: 587, starttls: true,
       ca_file: certs/bureau-ca.pem, username: sfmon, password_env: SMTP_PASSWORD, from: sfmon@example.org,
       to: [a@example.org, b@example.org], timeout: 20s}
    - {name: hook, type: webhook, url: "https://example.org/hook", secret_env: HOOK_SECRET}
  routes:
    - {levels: [orange, red], districts: [岳麓区], tags: [fees], channels: [mail, hook],
       escalate: [hook]}
)";

TEST(NotificationConfigTest, DefaultsWhenAbsent) {
  const Config config = parse_config("database: x.db\n", "/etc/sfmon/sfmon.yaml");
  EXPECT_EQ(config.escalation.for_level(rules::Level::Blue), 72 * 3600);
  EXPECT_EQ(config.escalation.for_level(rules::Level::Yellow), 24 * 3600);
  EXPECT_EQ(config.escalation.for_level(rules::Level::Orange), 8 * 3600);
  EXPECT_EQ(config.escalation.for_level(rules::Level::Red), 2 * 3600);
  EXPECT_TRUE(config.notifications.channels.empty());
  EXPECT_TRUE(config.notifications.routes.empty());
  EXPECT_EQ(config.notifications.retry.max_attempts, 5);
  EXPECT_EQ(config.notifications.interval_seconds, 60);
}

TEST(NotificationConfigTest, CaFileWithoutStarttlsIsAnError) {
  const auto errors = problems_of(
      "database: x.db\n"
      "notifications:\n"
      "  channels:\n"
      "    - {name: mail, type: smtp, host: h, from: a@b.c, to: [d@e.f], ca_file: ca.pem}\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("ca_file needs starttls: true"), std::string::npos) << errors[0];
}

TEST(NotificationConfigTest, EscalationTimesAreRead) {
  const Config config = parse_config(kFull, "/etc/sfmon/sfmon.yaml");
  EXPECT_EQ(config.escalation.for_level(rules::Level::Blue), 3 * 86400);
  EXPECT_EQ(config.escalation.for_level(rules::Level::Yellow), 12 * 3600);
  EXPECT_EQ(config.escalation.for_level(rules::Level::Orange), 90 * 60);
  EXPECT_EQ(config.escalation.for_level(rules::Level::Red), 2 * 3600);
}

TEST(NotificationConfigTest, ChannelsRoutesAndRetryAreRead) {
  const Config config = parse_config(kFull, "/etc/sfmon/sfmon.yaml");
  const NotificationsConfig& n = config.notifications;
  ASSERT_EQ(n.channels.size(), 2u);
  const ChannelConfig& mail = n.channels[0];
  EXPECT_EQ(mail.type, ChannelType::Smtp);
  EXPECT_EQ(mail.smtp.host, "smtp.example.org");
  EXPECT_EQ(mail.smtp.port, 587);
  EXPECT_TRUE(mail.smtp.starttls);
  EXPECT_EQ(mail.smtp.ca_file, "/etc/sfmon/certs/bureau-ca.pem") << "relative to the config";
  EXPECT_EQ(n.interval_seconds, 300);
  EXPECT_EQ(mail.smtp.username, "sfmon");
  EXPECT_EQ(mail.smtp.password_env, "SMTP_PASSWORD");
  EXPECT_EQ(mail.smtp.to, (std::vector<std::string>{"a@example.org", "b@example.org"}));
  EXPECT_EQ(mail.timeout_seconds, 20);
  const ChannelConfig* hook = n.find_channel("hook");
  ASSERT_NE(hook, nullptr);
  EXPECT_EQ(hook->webhook.url, "https://example.org/hook");
  EXPECT_EQ(hook->webhook.secret_env, "HOOK_SECRET");
  EXPECT_EQ(hook->timeout_seconds, 30);
  ASSERT_EQ(n.routes.size(), 1u);
  EXPECT_EQ(n.routes[0].levels,
            (std::vector<rules::Level>{rules::Level::Orange, rules::Level::Red}));
  EXPECT_EQ(n.routes[0].districts, (std::vector<std::string>{"岳麓区"}));
  EXPECT_EQ(n.routes[0].tags, (std::vector<std::string>{"fees"}));
  EXPECT_EQ(n.routes[0].channels, (std::vector<std::string>{"mail", "hook"}));
  EXPECT_EQ(n.routes[0].escalate, (std::vector<std::string>{"hook"}));
  EXPECT_EQ(n.retry.max_attempts, 4);
  EXPECT_EQ(n.retry.backoff_seconds, 30);
  EXPECT_EQ(n.retry.max_backoff_seconds, 600);
}

TEST(NotificationConfigTest, BadEscalationDurationNamesItsPosition) {
  EXPECT_EQ(problems_of("database: x.db\nescalation: {red: soon}\n"),
            (std::vector<std::string>{"/etc/sfmon/sfmon.yaml:2:19: escalation.red must look like "
                                      "90s, 30m, 8h or 3d (value 'soon')"}));
}

TEST(NotificationConfigTest, UnknownEscalationLevelIsAnError) {
  EXPECT_EQ(problems_of("database: x.db\nescalation:\n  purple: 1h\n"),
            (std::vector<std::string>{"/etc/sfmon/sfmon.yaml:3:3: unknown key 'purple' in "
                                      "escalation"}));
}

TEST(NotificationConfigTest, RouteNamingAnUnknownChannelIsAnError) {
  const auto problems = problems_of(R"(database: x.db
notifications:
  channels:
    - {name: hook, type: webhook, url: "http://127.0.0.1:9/"}
  routes:
    - {levels: [red], channels: [hook, pager]}
)");
  EXPECT_EQ(problems, (std::vector<std::string>{"/etc/sfmon/sfmon.yaml:6:40: channels names an "
                                                "unknown channel 'pager'"}));
}

TEST(NotificationConfigTest, EveryChannelProblemIsReported) {
  const auto problems = problems_of(R"(database: x.db
notifications:
  channels:
    - {name: mail, type: smtp, port: 99999, to: [nobody]}
    - {name: mail, type: webhook, url: "ftp://x"}
    - {name: pager, type: sms}
  routes:
    - {levels: [purple], channels: [mail]}
)");
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "/etc/sfmon/sfmon.yaml:4:7: smtp channel needs a 'host'",
                          "/etc/sfmon/sfmon.yaml:4:38: port must be a whole number from 1 to "
                          "65535 (value '99999')",
                          "/etc/sfmon/sfmon.yaml:4:7: smtp channel needs a 'from' address",
                          "/etc/sfmon/sfmon.yaml:4:49: 'nobody' in 'to' is not an email address",
                          "/etc/sfmon/sfmon.yaml:5:14: duplicate channel name 'mail'",
                          "/etc/sfmon/sfmon.yaml:5:40: url must start with http:// or https:// "
                          "(value 'ftp://x')",
                          "/etc/sfmon/sfmon.yaml:6:27: channel type must be smtp or webhook "
                          "(value 'sms')",
                          "/etc/sfmon/sfmon.yaml:8:17: a level must be blue, yellow, orange or "
                          "red (value 'purple')",
                      }));
}

TEST(NotificationConfigTest, LoginNeedsAPasswordVariable) {
  const auto problems = problems_of(R"(database: x.db
notifications:
  channels:
    - {name: mail, type: smtp, host: h, from: a@b, to: [c@d], username: u}
)");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("smtp login needs 'password_env'"), std::string::npos);
  EXPECT_EQ(problems[0].rfind("/etc/sfmon/sfmon.yaml:4:", 0), 0u);
}

TEST(NotificationConfigTest, UnknownKeysAreErrors) {
  const auto problems = problems_of(R"(database: x.db
notifications:
  channel: []
  retry: {attempts: 0, backof: 1s}
)");
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "/etc/sfmon/sfmon.yaml:3:3: unknown key 'channel' in notifications",
                          "/etc/sfmon/sfmon.yaml:4:24: unknown key 'backof' in retry",
                          "/etc/sfmon/sfmon.yaml:4:21: attempts must be a whole number from 1 "
                          "to 100 (value '0')",
                      }));
}

}  // namespace
}  // namespace sfmon::notification_config_test
