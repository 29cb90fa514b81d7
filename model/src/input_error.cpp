#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

std::string describe(const std::string& file, const std::string& location,
                     const std::string& message, const std::string& value) {
  std::string text = file;
  if (!location.empty()) text += ":" + location;
  text += ": " + message;
  if (!value.empty()) {
    // Keep the one-line contract even for huge or multi-line values.
    std::string shown = value.size() > 80 ? value.substr(0, 77) + "..." : value;
    for (char& c : shown) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    text += " (value '" + shown + "')";
  }
  return text;
}

}  // namespace

InputError::InputError(std::string file, std::string location, std::string message,
                       std::string value)
    : std::runtime_error(describe(file, location, message, value)),
      file_(std::move(file)),
      location_(std::move(location)),
      message_(std::move(message)),
      value_(std::move(value)) {}

std::string Warning::to_string() const {
  std::string text = file;
  if (!location.empty()) text += ":" + location;
  return text + ": " + message;
}

}  // namespace sfmon
