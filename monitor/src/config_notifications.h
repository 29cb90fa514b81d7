#pragma once
// Readers for the `escalation` and `notifications` config sections, used by
// config.cpp. Problems go to `problem` with the YAML position they concern;
// the caller turns them into "file:line:column: message".

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>

#include "sfmon/monitor/notification_config.h"

namespace sfmon {

using ConfigProblemSink = std::function<void(const YAML::Mark&, const std::string&)>;

void read_escalation_config(const YAML::Node& node, EscalationConfig& config,
                            const ConfigProblemSink& problem);
void read_notifications_config(const YAML::Node& node, NotificationsConfig& config,
                               const ConfigProblemSink& problem);

}  // namespace sfmon
