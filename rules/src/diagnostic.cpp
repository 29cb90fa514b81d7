#include "sfmon/rules/diagnostic.h"

namespace sfmon::rules {
namespace {

std::string describe_all(const std::vector<Diagnostic>& errors) {
  if (errors.empty()) return "invalid rule pack";
  std::string text;
  for (const Diagnostic& error : errors) {
    if (!text.empty()) text += '\n';
    text += error.to_string();
  }
  return text;
}

}  // namespace

// Unknown parts are left out rather than printed as 0: "file: message",
// "file:12: message", or just the message.
std::string Diagnostic::to_string() const {
  std::string place = where.file;
  if (where.line > 0) {
    if (!place.empty()) place += ':';
    place += std::to_string(where.line);
    if (where.column > 0) place += ':' + std::to_string(where.column);
  }
  return place.empty() ? message : place + ": " + message;
}

PackError::PackError(std::vector<Diagnostic> errors)
    : std::runtime_error(describe_all(errors)), errors_(std::move(errors)) {}

}  // namespace sfmon::rules
