// Routing by level, district and rule tag; recipients per channel.
#include "sfmon/monitor/notification_routing.h"

#include <gtest/gtest.h>

namespace sfmon::notification_routing_test {
namespace {

using rules::Level;

RouteConfig route(std::vector<Level> levels, std::vector<std::string> districts,
                  std::vector<std::string> tags, std::vector<std::string> channels,
                  std::vector<std::string> escalate = {}) {
  return RouteConfig{std::move(levels), std::move(districts), std::move(tags), std::move(channels),
                     std::move(escalate)};
}

TEST(NotificationRoutingTest, EmptyRouteMatchesEverything) {
  EXPECT_TRUE(route_matches(route({}, {}, {}, {"mail"}), RoutedAlert{Level::Blue, "", {}}));
}

TEST(NotificationRoutingTest, LevelMustBeListed) {
  const RouteConfig urgent = route({Level::Orange, Level::Red}, {}, {}, {"mail"});
  EXPECT_TRUE(route_matches(urgent, RoutedAlert{Level::Red, "岳麓区", {}}));
  EXPECT_FALSE(route_matches(urgent, RoutedAlert{Level::Yellow, "岳麓区", {}}));
}

TEST(NotificationRoutingTest, DistrictMustBeListed) {
  const RouteConfig local = route({}, {"岳麓区"}, {}, {"mail"});
  EXPECT_TRUE(route_matches(local, RoutedAlert{Level::Red, "岳麓区", {}}));
  EXPECT_FALSE(route_matches(local, RoutedAlert{Level::Red, "开福区", {}}));
  EXPECT_FALSE(route_matches(local, RoutedAlert{Level::Red, "", {}}));
}

TEST(NotificationRoutingTest, OneTagInCommonIsEnough) {
  const RouteConfig fees = route({}, {}, {"fees", "admissions"}, {"mail"});
  EXPECT_TRUE(route_matches(fees, RoutedAlert{Level::Red, "", {"funds", "admissions"}}));
  EXPECT_FALSE(route_matches(fees, RoutedAlert{Level::Red, "", {"funds"}}));
  EXPECT_FALSE(route_matches(fees, RoutedAlert{Level::Red, "", {}}));
}

TEST(NotificationRoutingTest, EveryListMustMatch) {
  const RouteConfig narrow = route({Level::Red}, {"岳麓区"}, {"fees"}, {"mail"});
  EXPECT_TRUE(route_matches(narrow, RoutedAlert{Level::Red, "岳麓区", {"fees"}}));
  EXPECT_FALSE(route_matches(narrow, RoutedAlert{Level::Orange, "岳麓区", {"fees"}}));
  EXPECT_FALSE(route_matches(narrow, RoutedAlert{Level::Red, "开福区", {"fees"}}));
}

TEST(NotificationRoutingTest, NoticeGoesToChannelsOfEveryRouteOneAlertMatchesOnce) {
  NotificationsConfig config;
  config.routes = {route({Level::Red}, {}, {}, {"director", "mail"}),
                   route({}, {"岳麓区"}, {}, {"mail", "hook"}),
                   route({Level::Blue}, {}, {}, {"archive"})};
  const std::vector<RoutedAlert> alerts = {{Level::Yellow, "岳麓区", {}},
                                           {Level::Red, "开福区", {}}};
  EXPECT_EQ(notice_channels(config, alerts),
            (std::vector<std::string>{"director", "mail", "hook"}));
  EXPECT_TRUE(notice_channels(config, {}).empty());
}

TEST(NotificationRoutingTest, EscalationChainConcatenatesMatchingRoutes) {
  NotificationsConfig config;
  config.routes = {route({Level::Red}, {}, {}, {"mail"}, {"deputy", "director"}),
                   route({}, {"岳麓区"}, {}, {"mail"}, {"director", "mayor"}),
                   route({}, {"开福区"}, {}, {"mail"}, {"other"})};
  EXPECT_EQ(escalation_chain(config, RoutedAlert{Level::Red, "岳麓区", {}}),
            (std::vector<std::string>{"deputy", "director", "mayor"}));
}

TEST(NotificationRoutingTest, RecipientsAreSmtpAddressesOrTheWebhookUrl) {
  ChannelConfig mail;
  mail.type = ChannelType::Smtp;
  mail.smtp.to = {"a@example.org", "b@example.org"};
  EXPECT_EQ(channel_recipients(mail), mail.smtp.to);
  ChannelConfig hook;
  hook.type = ChannelType::Webhook;
  hook.webhook.url = "https://example.org/hook";
  EXPECT_EQ(channel_recipients(hook), (std::vector<std::string>{"https://example.org/hook"}));
}

}  // namespace
}  // namespace sfmon::notification_routing_test
