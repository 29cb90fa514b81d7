#include "sfmon/model/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace sfmon::time_test {
namespace {

const Zone kShanghai{};

TEST(DateParse, RealDatesOnly) {
  EXPECT_EQ(parse_iso_date("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_EQ(parse_iso_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_iso_date("2016-02-30"), std::nullopt);
  EXPECT_EQ(parse_iso_date("2024-13-01"), std::nullopt);
  EXPECT_EQ(parse_iso_date("2024-1-01"), std::nullopt);
  EXPECT_EQ(parse_iso_date("20240101"), std::nullopt);
}

TEST(DateArithmetic, RoundTripsThroughEpochDays) {
  EXPECT_EQ((Date{1970, 1, 1}).days_since_epoch(), 0);
  EXPECT_EQ((Date{1969, 12, 31}).days_since_epoch(), -1);
  for (std::int64_t d = -800000; d < 800000; d += 997) {
    EXPECT_EQ(Date::from_days_since_epoch(d).days_since_epoch(), d);
  }
  EXPECT_EQ(Date::from_days_since_epoch((Date{2024, 3, 1}).days_since_epoch() - 1),
            (Date{2024, 2, 29}));
}

TEST(DateFormat, WritesWhatPrintfWrites) {
  const auto printf_form = [](const Date& date) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
    return std::string(buffer);
  };
  // Every day from year 0 to 9999 a prime step apart, both ends, and dates
  // outside four digits or not real (which printf writes as they are).
  for (std::int64_t d = (Date{0, 1, 1}).days_since_epoch();
       d <= (Date{9999, 12, 31}).days_since_epoch(); d += 101) {
    const Date date = Date::from_days_since_epoch(d);
    ASSERT_EQ(date.to_string(), printf_form(date));
  }
  for (const Date& date : {Date{0, 1, 1}, Date{9999, 12, 31}, Date{2024, 2, 29}, Date{10000, 1, 1},
                           Date{-1, 12, 31}, Date{2024, 0, 0}, Date{2024, 99, 99},
                           Date{2024, 100, 1}, Date{2024, 1, -5}, Date{-2147483647, 1, 1}}) {
    EXPECT_EQ(date.to_string(), printf_form(date));
  }
  EXPECT_EQ((Date{987, 6, 5}).to_string(), "0987-06-05");
}

TEST(InstantParse, DateOnlyIsLocalMidnight) {
  const auto instant = parse_iso_instant("2024-09-02", kShanghai);
  ASSERT_TRUE(instant);
  EXPECT_TRUE(instant->date_only);
  // 2024-09-02T00:00+08:00 == 2024-09-01T16:00Z
  EXPECT_EQ(instant->utc_seconds, (Date{2024, 9, 1}).days_since_epoch() * 86400 + 16 * 3600);
  EXPECT_EQ(instant->to_string(), "2024-09-02");
  EXPECT_EQ(instant->local_date(kShanghai), (Date{2024, 9, 2}));
}

TEST(InstantParse, OffsetsArePreservedAndConverted) {
  const auto utc = parse_iso_instant("2024-10-08T06:30:00Z", kShanghai);
  const auto local = parse_iso_instant("2024-10-08T14:30:00+08:00", kShanghai);
  const auto bare = parse_iso_instant("2024-10-08T14:30:00", kShanghai);
  const auto compact = parse_iso_instant("2024-10-08 14:30+0800", kShanghai);
  ASSERT_TRUE(utc && local && bare && compact);
  EXPECT_EQ(utc->utc_seconds, local->utc_seconds);
  EXPECT_EQ(bare->utc_seconds, local->utc_seconds);
  EXPECT_EQ(compact->utc_seconds, local->utc_seconds);
  EXPECT_EQ(utc->to_string(), "2024-10-08T06:30:00Z");
  EXPECT_EQ(local->to_string(), "2024-10-08T14:30:00+08:00");
  const auto fraction = parse_iso_instant("2024-10-08T14:30:00.123-05:00", kShanghai);
  ASSERT_TRUE(fraction);
  EXPECT_EQ(fraction->to_string(), "2024-10-08T14:30:00-05:00");
}

TEST(InstantParse, LocalDayCrossesUtcMidnight) {
  // 23:30 UTC on Sep 1 is already Sep 2 in Shanghai.
  const auto instant = parse_iso_instant("2024-09-01T23:30:00Z", kShanghai);
  ASSERT_TRUE(instant);
  EXPECT_EQ(instant->local_date(kShanghai), (Date{2024, 9, 2}));
}

TEST(InstantParse, RejectsMalformed) {
  for (const char* bad : {"", "2024-09-01T", "2024-09-01T25:00", "2024-09-01T10:61",
                          "2024-09-01T10:00+8", "2024-09-01T10:00:00Zjunk", "2024-02-30T10:00",
                          "2024-09-01X10:00", "2024-09-01T10:00:00."}) {
    EXPECT_EQ(parse_iso_instant(bad, kShanghai), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace sfmon::time_test
