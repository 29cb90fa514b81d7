#include "expression_operations.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "expression_math.h"

namespace sfmon::rules::ops {
namespace {

Value same_type(const Value& like, std::int64_t i) {
  Value value;
  value.type = like.type;
  value.i = i;
  return value;
}

Value finite_number(double number) {
  return std::isfinite(number) ? Value::real(number) : Value::null();
}

Value money_or_null(std::optional<Fen> fen) {
  return fen ? Value::money(*fen) : Value::null();
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

Value add_int64(const Value& a, const Value& b) {
  std::int64_t result = 0;
  return __builtin_add_overflow(a.i, b.i, &result) ? Value::null() : same_type(a, result);
}

Value subtract_int64(const Value& a, const Value& b) {
  std::int64_t result = 0;
  return __builtin_sub_overflow(a.i, b.i, &result) ? Value::null() : same_type(a, result);
}

Value multiply_int64(const Value& a, const Value& b) {
  std::int64_t result = 0;
  return __builtin_mul_overflow(a.i, b.i, &result) ? Value::null() : same_type(a, result);
}

Value negate_int64(const Value& a) {
  std::int64_t result = 0;
  return __builtin_sub_overflow(std::int64_t{0}, a.i, &result) ? Value::null()
                                                               : same_type(a, result);
}

Value abs_int64(const Value& a) {
  return a.i < 0 ? negate_int64(a) : a;
}

Value add_number(const Value& a, const Value& b) {
  return finite_number(a.number + b.number);
}
Value subtract_number(const Value& a, const Value& b) {
  return finite_number(a.number - b.number);
}
Value multiply_number(const Value& a, const Value& b) {
  return finite_number(a.number * b.number);
}
Value divide_number(const Value& a, const Value& b) {
  return b.number == 0 ? Value::null() : finite_number(a.number / b.number);
}
Value negate_number(const Value& a) {
  return Value::real(-a.number);
}
Value abs_number(const Value& a) {
  return Value::real(std::fabs(a.number));
}
Value to_number(const Value& a) {
  return Value::real(static_cast<double>(a.i));
}
Value divide_integers(const Value& a, const Value& b) {
  return b.i == 0 ? Value::null()
                  : finite_number(static_cast<double>(a.i) / static_cast<double>(b.i));
}

Value multiply_money_number(const Value& money, const Value& number) {
  return money_or_null(math::multiply_money(money.i, number.number));
}
Value divide_money_number(const Value& money, const Value& number) {
  return money_or_null(math::divide_money(money.i, number.number));
}
Value divide_money_integer(const Value& money, const Value& integer) {
  return money_or_null(math::divide_money(money.i, integer.i));
}
Value divide_money_money(const Value& a, const Value& b) {
  return b.i == 0 ? Value::null()
                  : finite_number(static_cast<double>(a.i) / static_cast<double>(b.i));
}

Value date_plus_duration(const Value& date, const Value& duration) {
  if (duration.i % math::kSecondsPerDay != 0) return Value::null();
  return add_int64(date, Value::integer(duration.i / math::kSecondsPerDay));
}
Value date_minus_duration(const Value& date, const Value& duration) {
  if (duration.i % math::kSecondsPerDay != 0) return Value::null();
  return subtract_int64(date, Value::integer(duration.i / math::kSecondsPerDay));
}
Value date_minus_date(const Value& a, const Value& b) {
  const Value days = subtract_int64(a, b);
  return days.is_null() ? days : Value::integer(days.i);
}
Value time_minus_time(const Value& a, const Value& b) {
  const Value seconds = subtract_int64(a, b);
  return seconds.is_null() ? seconds : Value::duration(seconds.i);
}
Value day_of_time(const Value& time) {
  return Value::date(math::local_day(time.i));
}
Value days_between(const Value& from, const Value& to) {
  return date_minus_date(to, from);
}
Value add_months(const Value& date, const Value& months) {
  const std::optional<std::int64_t> day = math::add_months(date.i, months.i);
  return day ? Value::date(*day) : Value::null();
}

Value lower(const Value& text) {
  auto owned = std::make_shared<std::string>(text.text);
  std::transform(owned->begin(), owned->end(), owned->begin(), ascii_lower);
  Value value = Value::string(*owned);
  value.owned = std::move(owned);
  return value;
}
Value length_of_string(const Value& text) {
  const auto count = std::count_if(text.text.begin(), text.text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return Value::integer(count);
}
Value length_of_list(const Value& list) {
  return Value::integer(list.list ? static_cast<std::int64_t>(list.list->size()) : 0);
}

Value min_int64(const Value& a, const Value& b) {
  return b.i < a.i ? b : a;
}
Value max_int64(const Value& a, const Value& b) {
  return b.i > a.i ? b : a;
}
Value min_number(const Value& a, const Value& b) {
  return b.number < a.number ? b : a;
}
Value max_number(const Value& a, const Value& b) {
  return b.number > a.number ? b : a;
}
Value min_string(const Value& a, const Value& b) {
  return b.text < a.text ? b : a;
}
Value max_string(const Value& a, const Value& b) {
  return b.text > a.text ? b : a;
}

bool equal_int64(const Value& a, const Value& b) {
  return a.i == b.i;
}
bool not_equal_int64(const Value& a, const Value& b) {
  return a.i != b.i;
}
bool less_int64(const Value& a, const Value& b) {
  return a.i < b.i;
}
bool less_equal_int64(const Value& a, const Value& b) {
  return a.i <= b.i;
}
bool greater_int64(const Value& a, const Value& b) {
  return a.i > b.i;
}
bool greater_equal_int64(const Value& a, const Value& b) {
  return a.i >= b.i;
}
bool equal_number(const Value& a, const Value& b) {
  return a.number == b.number;
}
bool not_equal_number(const Value& a, const Value& b) {
  return a.number != b.number;
}
bool less_number(const Value& a, const Value& b) {
  return a.number < b.number;
}
bool less_equal_number(const Value& a, const Value& b) {
  return a.number <= b.number;
}
bool greater_number(const Value& a, const Value& b) {
  return a.number > b.number;
}
bool greater_equal_number(const Value& a, const Value& b) {
  return a.number >= b.number;
}
bool equal_string(const Value& a, const Value& b) {
  return a.text == b.text;
}
bool not_equal_string(const Value& a, const Value& b) {
  return a.text != b.text;
}
bool less_string(const Value& a, const Value& b) {
  return a.text < b.text;
}
bool less_equal_string(const Value& a, const Value& b) {
  return a.text <= b.text;
}
bool greater_string(const Value& a, const Value& b) {
  return a.text > b.text;
}
bool greater_equal_string(const Value& a, const Value& b) {
  return a.text >= b.text;
}

bool contains(const Value& text, const Value& part) {
  return text.text.find(part.text) != std::string_view::npos;
}
bool contains_ignoring_case(const Value& text, const Value& part) {
  return contains_ignoring_case(text.text, part.text);
}
bool starts_with(const Value& text, const Value& part) {
  return text.text.starts_with(part.text);
}
bool ends_with(const Value& text, const Value& part) {
  return text.text.ends_with(part.text);
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  const auto found = std::search(text.begin(), text.end(), part.begin(), part.end(),
                                 [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
  return found != text.end() || part.empty();
}

}  // namespace sfmon::rules::ops
