#include "sfmon/rules/value.h"

#include <cmath>
#include <cstdio>

#include "sfmon/model/time.h"

namespace sfmon::rules {
namespace {

// The bureau zone's offset; times in messages read as local time.
constexpr int kBureauOffsetMinutes = 480;

// Up to four decimals, trailing zeros dropped: 0.8, 3, 0.3333.
std::string format_number(double number) {
  if (std::isnan(number)) return "nan";
  if (std::isinf(number)) return number < 0 ? "-inf" : "inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", number);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

// Whole days from a week up read in days ("7d", "90d"); shorter spans in
// hours ("24h", "72h"), as rule authors write them; else minutes or seconds.
std::string format_duration(std::int64_t seconds) {
  constexpr std::int64_t kDay = 86400;
  if (seconds == 0) return "0s";
  const std::int64_t magnitude = seconds < 0 ? -(seconds / kDay) : seconds / kDay;
  if (seconds % kDay == 0 && magnitude >= 7) return std::to_string(seconds / kDay) + "d";
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

std::string format_list(const std::vector<std::string>* items) {
  std::string text = "[";
  if (items) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (i > 0) text += ", ";
      text += (*items)[i];
    }
  }
  return text + "]";
}

}  // namespace

const char* to_string(ValueType type) {
  switch (type) {
    case ValueType::Null:
      return "null";
    case ValueType::Bool:
      return "bool";
    case ValueType::Integer:
      return "integer";
    case ValueType::Number:
      return "number";
    case ValueType::Money:
      return "money";
    case ValueType::String:
      return "string";
    case ValueType::Date:
      return "date";
    case ValueType::Time:
      return "time";
    case ValueType::Duration:
      return "duration";
    case ValueType::List:
      return "list";
  }
  return "unknown";
}

std::string format_value(const Value& value) {
  switch (value.type) {
    case ValueType::Null:
      return "null";
    case ValueType::Bool:
      return value.i != 0 ? "true" : "false";
    case ValueType::Integer:
      return std::to_string(value.i);
    case ValueType::Number:
      return format_number(value.number);
    case ValueType::Money:
      return format_amount(value.i);
    case ValueType::String:
      return std::string(value.text);
    case ValueType::Date:
      return Date::from_days_since_epoch(value.i).to_string();
    case ValueType::Time:
      return Instant{value.i, kBureauOffsetMinutes, false}.to_string();
    case ValueType::Duration:
      return format_duration(value.i);
    case ValueType::List:
      return format_list(value.list);
  }
  return "?";
}

}  // namespace sfmon::rules
