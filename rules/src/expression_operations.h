#pragma once
// The operations compiled expression nodes apply, one plain function each so
// that a node calls its operation directly (no std::function, no lookup).
// Operands are never null here: the nodes handle null before calling. A
// result that cannot be represented (overflow, division by zero) is null.

#include "sfmon/rules/value.h"

namespace sfmon::rules::ops {

// Integer, money, duration, time: the result keeps the left operand's type
// (time + duration is a time, money × integer is money).
Value add_int64(const Value& a, const Value& b);
Value subtract_int64(const Value& a, const Value& b);
Value multiply_int64(const Value& a, const Value& b);
Value negate_int64(const Value& a);
Value abs_int64(const Value& a);

Value add_number(const Value& a, const Value& b);
Value subtract_number(const Value& a, const Value& b);
Value multiply_number(const Value& a, const Value& b);
Value divide_number(const Value& a, const Value& b);
Value negate_number(const Value& a);
Value abs_number(const Value& a);
Value to_number(const Value& a);                        // integer → number
Value divide_integers(const Value& a, const Value& b);  // integer / integer → number

// Money: rounded half away from zero to the fen (see expression_math.h).
Value multiply_money_number(const Value& money, const Value& number);
Value divide_money_number(const Value& money, const Value& number);
Value divide_money_integer(const Value& money, const Value& integer);
Value divide_money_money(const Value& a, const Value& b);  // → number

// Calendar. Dates move by whole days: a duration that is not a whole number
// of days gives null.
Value date_plus_duration(const Value& date, const Value& duration);
Value date_minus_duration(const Value& date, const Value& duration);
Value date_minus_date(const Value& a, const Value& b);   // → integer days, a − b
Value time_minus_time(const Value& a, const Value& b);   // → duration
Value day_of_time(const Value& time);                    // bureau-zone date
Value days_between(const Value& from, const Value& to);  // → integer, to − from
Value add_months(const Value& date, const Value& months);

// Strings; case folding is ASCII only (Chinese text has no case).
Value lower(const Value& text);
Value length_of_string(const Value& text);  // in characters (UTF-8 code points)
Value length_of_list(const Value& list);

Value min_int64(const Value& a, const Value& b);
Value max_int64(const Value& a, const Value& b);
Value min_number(const Value& a, const Value& b);
Value max_number(const Value& a, const Value& b);
Value min_string(const Value& a, const Value& b);
Value max_string(const Value& a, const Value& b);

bool equal_int64(const Value& a, const Value& b);
bool not_equal_int64(const Value& a, const Value& b);
bool less_int64(const Value& a, const Value& b);
bool less_equal_int64(const Value& a, const Value& b);
bool greater_int64(const Value& a, const Value& b);
bool greater_equal_int64(const Value& a, const Value& b);
bool equal_number(const Value& a, const Value& b);
bool not_equal_number(const Value& a, const Value& b);
bool less_number(const Value& a, const Value& b);
bool less_equal_number(const Value& a, const Value& b);
bool greater_number(const Value& a, const Value& b);
bool greater_equal_number(const Value& a, const Value& b);
bool equal_string(const Value& a, const Value& b);  // byte order
bool not_equal_string(const Value& a, const Value& b);
bool less_string(const Value& a, const Value& b);
bool less_equal_string(const Value& a, const Value& b);
bool greater_string(const Value& a, const Value& b);
bool greater_equal_string(const Value& a, const Value& b);

bool contains(const Value& text, const Value& part);
bool contains_ignoring_case(const Value& text, const Value& part);
bool starts_with(const Value& text, const Value& part);
bool ends_with(const Value& text, const Value& part);

// ASCII case-insensitive substring test, shared with contains_any.
bool contains_ignoring_case(std::string_view text, std::string_view part);

}  // namespace sfmon::rules::ops
