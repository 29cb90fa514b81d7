#pragma once
// Values of the rule expression language. Small and cheap to copy: strings
// are views into facts or into the compiled pack (both outlive evaluation);
// a value computed at run time (lower(s)) keeps its text in `owned`.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/money.h"

namespace sfmon::rules {

enum class ValueType { Null, Bool, Integer, Number, Money, String, Date, Time, Duration, List };
const char* to_string(ValueType type);

struct Value {
  ValueType type = ValueType::Null;
  // Bool (0/1), Integer, Money (fen), Date (days since 1970-01-01),
  // Time (UTC seconds), Duration (seconds).
  std::int64_t i = 0;
  double number = 0;                               // Number
  std::string_view text;                           // String
  std::shared_ptr<const std::string> owned;        // backs `text` when computed
  const std::vector<std::string>* list = nullptr;  // List (owned by the pack)

  static Value null() { return {}; }
  static Value boolean(bool b) { return Value{ValueType::Bool, b ? 1 : 0}; }
  static Value integer(std::int64_t v) { return Value{ValueType::Integer, v}; }
  static Value money(Fen fen) { return Value{ValueType::Money, fen}; }
  static Value real(double v) {
    Value value{ValueType::Number};
    value.number = v;
    return value;
  }
  static Value string(std::string_view s) {
    Value value{ValueType::String};
    value.text = s;
    return value;
  }
  static Value date(std::int64_t days) { return Value{ValueType::Date, days}; }
  static Value time(std::int64_t utc_seconds) { return Value{ValueType::Time, utc_seconds}; }
  static Value duration(std::int64_t seconds) { return Value{ValueType::Duration, seconds}; }

  bool is_null() const { return type == ValueType::Null; }
  bool truthy() const { return type == ValueType::Bool && i != 0; }
};

// Human form for messages: money "1234.50", dates "2024-10-08", times ISO in
// the bureau zone, durations "72h", lists "[a, b]".
std::string format_value(const Value& value);

}  // namespace sfmon::rules
