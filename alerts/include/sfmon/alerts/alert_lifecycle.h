#pragma once
// The alert lifecycle as a pure state machine (product.md "Alerts"):
//
//   open ──acknowledge──▶ acknowledged ──resolve | dismiss──▶ resolved | dismissed
//     └──────────────────resolve | dismiss──────────────────▶
//
// A comment may be added in any state and changes nothing. Resolving or
// dismissing needs a comment (why it is closed). Resolved and dismissed are
// final. Persistence is monitor/alert_lifecycle_store.h.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "sfmon/alerts/alert.h"

namespace sfmon::alerts {

enum class AlertAction { Acknowledge, Resolve, Dismiss, Comment };
// "acknowledge" | "resolve" | "dismiss" | "comment"
const char* to_string(AlertAction action);
std::optional<AlertAction> alert_action_from_string(const std::string& text);

// An action the lifecycle does not allow. what() is one line naming the
// alert, its state and what was asked, e.g. "alert 12 is resolved; cannot
// acknowledge it (acknowledge is allowed from open)".
class LifecycleError : public std::runtime_error {
 public:
  LifecycleError(const std::string& message, std::int64_t alert_id, AlertStatus from,
                 AlertAction action);
  std::int64_t alert_id() const { return alert_id_; }
  AlertStatus from() const { return from_; }
  AlertAction action() const { return action_; }

 private:
  std::int64_t alert_id_;
  AlertStatus from_;
  AlertAction action_;
};

struct Transition {
  AlertStatus from = AlertStatus::Open;
  AlertStatus to = AlertStatus::Open;  // == from for a comment
};

// The state `action` leads to from `current`, or LifecycleError. `comment`
// is the user's text; white space only counts as none. `alert_id` only
// names the alert in the error.
Transition apply_action(std::int64_t alert_id, AlertStatus current, AlertAction action,
                        const std::string& comment);

// True for resolved and dismissed: nothing but comments follow.
bool is_final(AlertStatus status);

}  // namespace sfmon::alerts
