#include "sfmon/model/time.h"

#include <cstdio>

namespace sfmon {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the
// proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

std::string format_offset(int minutes) {
  if (minutes == 0) return "Z";
  char buffer[24];
  const int magnitude = minutes < 0 ? -minutes : minutes;
  std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", minutes < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return buffer;
}

}  // namespace

bool is_valid_date(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::int64_t Date::days_since_epoch() const {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date Date::from_days_since_epoch(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::string Date::to_string() const {
  // Written digit by digit: the store formats the dates of every record it
  // keeps, and snprintf took about 1,600 instructions for each.
  const auto in = [](int value, int low, int high) { return value >= low && value <= high; };
  if (in(year, 0, 9999) && in(month, 0, 99) && in(day, 0, 99)) {
    std::string text = "0000-00-00";
    const auto put = [&](std::size_t end, int value, int digits) {
      for (int i = 1; i <= digits; ++i, value /= 10) {
        text[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      }
    };
    put(4, year, 4);
    put(7, month, 2);
    put(10, day, 2);
    return text;
  }
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::optional<Date> parse_iso_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, &y) ||
      !read_digits(text, 5, 2, &m) || !read_digits(text, 8, 2, &d) || !is_valid_date(y, m, d)) {
    return std::nullopt;
  }
  return Date{y, m, d};
}

std::string Instant::to_string() const {
  const std::int64_t local = utc_seconds + static_cast<std::int64_t>(offset_minutes) * 60;
  const Date date = Date::from_days_since_epoch(floor_div(local, 86400));
  if (date_only) return date.to_string();
  const std::int64_t second_of_day = local - floor_div(local, 86400) * 86400;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "T%02d:%02d:%02d", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return date.to_string() + buffer + format_offset(offset_minutes);
}

std::string local_time_text(std::int64_t utc_seconds, const Zone& zone) {
  return Instant{utc_seconds, zone.offset_minutes, false}.to_string();
}

Date Instant::local_date(const Zone& zone) const {
  const std::int64_t local = utc_seconds + static_cast<std::int64_t>(zone.offset_minutes) * 60;
  return Date::from_days_since_epoch(floor_div(local, 86400));
}

Instant instant_from_date(const Date& date, const Zone& zone) {
  return Instant{
      date.days_since_epoch() * 86400 - static_cast<std::int64_t>(zone.offset_minutes) * 60,
      zone.offset_minutes, true};
}

std::optional<Instant> parse_iso_instant(std::string_view text, const Zone& zone) {
  const auto date = parse_iso_date(text.substr(0, 10));
  if (!date) return std::nullopt;
  if (text.size() == 10) return instant_from_date(*date, zone);
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;

  int hour = 0, minute = 0, second = 0;
  std::size_t pos = 11;
  if (!read_digits(text, pos, 2, &hour) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !read_digits(text, pos + 3, 2, &minute)) {
    return std::nullopt;
  }
  pos += 5;
  if (pos < text.size() && text[pos] == ':') {
    if (!read_digits(text, pos + 1, 2, &second)) return std::nullopt;
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;  // fractions of a second are below what any rule looks at
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (second == 60) second = 59;  // a leap second stays inside its minute

  int offset = zone.offset_minutes;
  if (pos < text.size()) {
    if (text[pos] == 'Z' && pos + 1 == text.size()) {
      offset = 0;
    } else if (text[pos] == '+' || text[pos] == '-') {
      int oh = 0, om = 0;
      const std::string_view rest = text.substr(pos + 1);
      const bool colon = rest.size() == 5 && rest[2] == ':';
      if (!(rest.size() == 4 || colon) || !read_digits(rest, 0, 2, &oh) ||
          !read_digits(rest, colon ? 3 : 2, 2, &om) || oh > 23 || om > 59) {
        return std::nullopt;
      }
      offset = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  const std::int64_t local_seconds =
      date->days_since_epoch() * 86400 + hour * 3600 + minute * 60 + second;
  return Instant{local_seconds - static_cast<std::int64_t>(offset) * 60, offset, false};
}

}  // namespace sfmon
