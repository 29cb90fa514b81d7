#include "sfmon/monitor/notification_routing.h"

#include <algorithm>

namespace sfmon {
namespace {

template <typename T>
bool contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

void add_once(std::vector<std::string>& into, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (!contains(into, name)) into.push_back(name);
  }
}

}  // namespace

bool route_matches(const RouteConfig& route, const RoutedAlert& alert) {
  if (!route.levels.empty() && !contains(route.levels, alert.level)) return false;
  if (!route.districts.empty() && !contains(route.districts, alert.district)) return false;
  if (!route.tags.empty() &&
      std::none_of(alert.tags.begin(), alert.tags.end(),
                   [&](const std::string& tag) { return contains(route.tags, tag); })) {
    return false;
  }
  return true;
}

std::vector<std::string> notice_channels(const NotificationsConfig& config,
                                         const std::vector<RoutedAlert>& alerts) {
  std::vector<std::string> channels;
  for (const RouteConfig& route : config.routes) {
    const bool matches = std::any_of(alerts.begin(), alerts.end(), [&](const RoutedAlert& alert) {
      return route_matches(route, alert);
    });
    if (matches) add_once(channels, route.channels);
  }
  return channels;
}

std::vector<std::string> escalation_chain(const NotificationsConfig& config,
                                          const RoutedAlert& alert) {
  std::vector<std::string> chain;
  for (const RouteConfig& route : config.routes) {
    if (route_matches(route, alert)) add_once(chain, route.escalate);
  }
  return chain;
}

std::vector<std::string> channel_recipients(const ChannelConfig& channel) {
  if (channel.type == ChannelType::Smtp) return channel.smtp.to;
  return {channel.webhook.url};
}

}  // namespace sfmon
