#pragma once
// Calendar dates and instants. Instants are stored as UTC seconds with the
// offset the source gave (or the bureau zone's offset when it gave none);
// "a day" for rules is a local calendar day in the bureau zone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfmon {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  // Days since 1970-01-01 (proleptic Gregorian); negative before.
  std::int64_t days_since_epoch() const;
  static Date from_days_since_epoch(std::int64_t days);
  std::string to_string() const;  // "YYYY-MM-DD"

  friend auto operator<=>(const Date&, const Date&) = default;
};

bool is_valid_date(int year, int month, int day);
int days_in_month(int year, int month);

// "YYYY-MM-DD" only; nullopt when malformed or not a real date (2016-02-30).
std::optional<Date> parse_iso_date(std::string_view text);

// The bureau's zone. Asia/Shanghai has had a fixed +08:00 offset without DST
// since 1991, so a fixed offset represents it exactly for every date sfmon sees.
struct Zone {
  std::string name = "Asia/Shanghai";
  int offset_minutes = 480;
};

struct Instant {
  std::int64_t utc_seconds = 0;  // seconds since 1970-01-01T00:00:00Z
  int offset_minutes = 0;        // the source's UTC offset (or the zone's)
  bool date_only = false;        // the source gave a date, no time of day

  // Date-only values print as "YYYY-MM-DD"; others as ISO 8601 with their
  // offset, e.g. "2024-09-02T10:30:00+08:00".
  std::string to_string() const;
  Date local_date(const Zone& zone) const;

  friend bool operator==(const Instant&, const Instant&) = default;
};

// `utc_seconds` as ISO 8601 date-time at `zone`'s offset (how sfmon prints
// times it stamped itself: alert, notice, silence and delivery times).
std::string local_time_text(std::int64_t utc_seconds, const Zone& zone);

// A date-only booking is at 00:00 local time of that day in `zone`.
Instant instant_from_date(const Date& date, const Zone& zone);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" optionally followed by
// "Z" or "±HH:MM" / "±HHMM"; a space may replace 'T'. A date-time without an
// offset is local time in `zone`. nullopt when malformed or not a real time.
std::optional<Instant> parse_iso_instant(std::string_view text, const Zone& zone);

}  // namespace sfmon
