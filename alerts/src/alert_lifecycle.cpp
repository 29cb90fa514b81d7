#include "sfmon/alerts/alert_lifecycle.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sfmon::alerts {
namespace {

constexpr std::array<std::pair<const char*, AlertAction>, 4> kActions{{
    {"acknowledge", AlertAction::Acknowledge},
    {"resolve", AlertAction::Resolve},
    {"dismiss", AlertAction::Dismiss},
    {"comment", AlertAction::Comment},
}};

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

std::string alert_name(std::int64_t alert_id) {
  return "alert " + std::to_string(alert_id);
}

}  // namespace

const char* to_string(AlertAction action) {
  for (const auto& [name, value] : kActions) {
    if (value == action) return name;
  }
  return "comment";
}

std::optional<AlertAction> alert_action_from_string(const std::string& text) {
  for (const auto& [name, value] : kActions) {
    if (text == name) return value;
  }
  return std::nullopt;
}

LifecycleError::LifecycleError(const std::string& message, std::int64_t alert_id, AlertStatus from,
                               AlertAction action)
    : std::runtime_error(message), alert_id_(alert_id), from_(from), action_(action) {}

bool is_final(AlertStatus status) {
  return status == AlertStatus::Resolved || status == AlertStatus::Dismissed;
}

Transition apply_action(std::int64_t alert_id, AlertStatus current, AlertAction action,
                        const std::string& comment) {
  const std::string verb = to_string(action);
  const auto refuse = [&](const std::string& why) {
    throw LifecycleError(alert_name(alert_id) + " is " + to_string(current) + "; cannot " + verb +
                             " it (" + why + ")",
                         alert_id, current, action);
  };
  const auto need_comment = [&] {
    if (blank(comment)) {
      throw LifecycleError(alert_name(alert_id) + ": " + verb + " needs a comment (--comment TEXT)",
                           alert_id, current, action);
    }
  };
  switch (action) {
    case AlertAction::Comment:
      need_comment();
      return {current, current};
    case AlertAction::Acknowledge:
      if (current != AlertStatus::Open) refuse("acknowledge is allowed from open");
      return {current, AlertStatus::Acknowledged};
    case AlertAction::Resolve:
    case AlertAction::Dismiss:
      if (is_final(current)) refuse(verb + " is allowed from open or acknowledged");
      need_comment();
      return {current,
              action == AlertAction::Resolve ? AlertStatus::Resolved : AlertStatus::Dismissed};
  }
  refuse("unknown action");
  return {current, current};
}

}  // namespace sfmon::alerts
