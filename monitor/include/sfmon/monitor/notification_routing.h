#pragma once
// Which channels hear about what (config `notifications.routes`): pure
// functions of the routes and what is known about an alert — its level, its
// school's district and its rule's tags.

#include <string>
#include <vector>

#include "sfmon/monitor/notification_config.h"

namespace sfmon {

struct RoutedAlert {
  rules::Level level = rules::Level::Yellow;
  std::string district;           // of the school; empty when unknown
  std::vector<std::string> tags;  // of the rule; empty when the rule is unknown
};

// Every list the route gives must match; an empty list matches anything.
bool route_matches(const RouteConfig& route, const RoutedAlert& alert);

// The channels a notice about `alerts` goes to: those of every route that
// matches at least one alert, each once, in the order the config names them.
std::vector<std::string> notice_channels(const NotificationsConfig& config,
                                         const std::vector<RoutedAlert>& alerts);

// The escalation recipients (channel names) of an alert, in order: the
// `escalate` lists of the routes it matches, concatenated, each name once.
std::vector<std::string> escalation_chain(const NotificationsConfig& config,
                                          const RoutedAlert& alert);

// The addresses a channel delivers to, one delivery each: an smtp channel's
// `to` addresses, a webhook's url.
std::vector<std::string> channel_recipients(const ChannelConfig& channel);

}  // namespace sfmon
