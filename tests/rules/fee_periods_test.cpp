#include "../../rules/src/fee_periods.h"

#include <gtest/gtest.h>

#include "sfmon/model/time.h"

namespace sfmon::rules::fee_periods::fee_periods_test {
namespace {

std::int64_t day(const char* text) {
  return parse_iso_date(text)->days_since_epoch();
}

AcademicTerm term(const char* name, const char* start, const char* end) {
  return {name, *parse_iso_date(start), *parse_iso_date(end)};
}

// ---- months covered ----------------------------------------------------------

TEST(MonthsCovered, ThreeWholeMonthsAreExactlyThree) {
  EXPECT_EQ(months_covered(day("2024-09-01"), day("2024-11-30")), 3.0);
}

TEST(MonthsCovered, HalfOfSeptemberIsHalfAMonth) {
  EXPECT_EQ(months_covered(day("2024-09-01"), day("2024-09-15")), 0.5);
}

TEST(MonthsCovered, OneDayIntoDecemberAddsOneThirtyFirst) {
  EXPECT_DOUBLE_EQ(*months_covered(day("2024-09-01"), day("2024-12-01")), 3.0 + 1.0 / 31);
}

TEST(MonthsCovered, PartialMonthsAtBothEndsUseTheirOwnLengths) {
  // Jan 17-31 of 31 days, Feb 1-14 of 28 days (2023 is no leap year).
  EXPECT_DOUBLE_EQ(*months_covered(day("2023-01-17"), day("2023-02-14")), 15.0 / 31 + 14.0 / 28);
}

TEST(MonthsCovered, LeapFebruaryIsOneWholeMonth) {
  EXPECT_EQ(months_covered(day("2024-02-01"), day("2024-02-29")), 1.0);
  EXPECT_DOUBLE_EQ(*months_covered(day("2024-02-01"), day("2024-02-28")), 28.0 / 29);
}

TEST(MonthsCovered, SpansYearEnds) {
  EXPECT_EQ(months_covered(day("2024-09-01"), day("2025-08-31")), 12.0);
}

TEST(MonthsCovered, EndBeforeStartIsNoPeriod) {
  EXPECT_FALSE(months_covered(day("2024-09-02"), day("2024-09-01")).has_value());
}

// ---- terms -------------------------------------------------------------------

TEST(TermCalendar, DefaultAutumnTermEndsOnJanuaryThirtyFirst) {
  TermCalendar calendar({});
  EXPECT_EQ(calendar.current_term_end(day("2024-09-01")), day("2025-01-31"));
  EXPECT_EQ(calendar.current_term_end(day("2024-11-25")), day("2025-01-31"));
  EXPECT_EQ(calendar.current_term_end(day("2025-01-31")), day("2025-01-31"));
}

TEST(TermCalendar, DefaultSpringTermEndsOnJulyThirtyFirst) {
  TermCalendar calendar({});
  EXPECT_EQ(calendar.current_term_end(day("2025-02-01")), day("2025-07-31"));
  EXPECT_EQ(calendar.current_term_end(day("2025-07-31")), day("2025-07-31"));
}

TEST(TermCalendar, BetweenDefaultTermsTheNextTermCounts) {
  TermCalendar calendar({});
  EXPECT_EQ(calendar.current_term_end(day("2024-08-01")), day("2025-01-31"));
  EXPECT_EQ(calendar.current_term_end(day("2024-08-31")), day("2025-01-31"));
}

TEST(TermCalendar, SchoolCalendarReplacesTheDefaultTerm) {
  TermCalendar calendar({term("2024-autumn", "2024-09-01", "2025-01-17")});
  EXPECT_EQ(calendar.current_term_end(day("2024-08-26")), day("2025-01-17"));
  EXPECT_EQ(calendar.current_term_end(day("2024-10-01")), day("2025-01-17"));
}

TEST(TermCalendar, AfterTheSchoolsLastTermTheDefaultCalendarContinues) {
  TermCalendar calendar({term("2024-autumn", "2024-09-01", "2025-01-17")});
  // Jan 20 lies between the school's autumn term and the default spring term.
  EXPECT_EQ(calendar.current_term_end(day("2025-01-20")), day("2025-07-31"));
}

TEST(TermCalendar, BetweenSchoolTermsTheNextSchoolTermCounts) {
  TermCalendar calendar({term("2024-autumn", "2024-09-02", "2025-01-17"),
                         term("2025-spring", "2025-02-17", "2025-07-10")});
  EXPECT_EQ(calendar.current_term_end(day("2025-02-05")), day("2025-07-10"));
  EXPECT_EQ(calendar.current_term_end(day("2024-09-01")), day("2025-01-17"));
}

TEST(TermCalendar, CountsTheTermsAPeriodOverlaps) {
  TermCalendar calendar({});
  EXPECT_EQ(calendar.terms_overlapping(day("2024-09-01"), day("2025-07-31")), 2);
  EXPECT_EQ(calendar.terms_overlapping(day("2024-09-01"), day("2024-11-30")), 1);
  EXPECT_EQ(calendar.terms_overlapping(day("2025-01-31"), day("2025-02-01")), 2);
  EXPECT_EQ(calendar.terms_overlapping(day("2024-08-01"), day("2024-08-31")), 0);
}

TEST(TermCalendar, KeptYearsAnswerAsAFreshCalendarDoes) {
  // One calendar asked in a jumbled order, across years it must widen to,
  // and once over centuries (answered without keeping them), against a
  // fresh calendar for every question.
  const std::vector<AcademicTerm> own{term("2024-autumn", "2024-09-02", "2025-01-17"),
                                      term("2025-spring", "2025-02-17", "2025-07-10")};
  TermCalendar kept(own);
  const std::vector<std::pair<const char*, const char*>> periods{
      {"2024-10-01", "2024-10-01"}, {"2025-02-05", "2025-02-05"}, {"2019-08-31", "2019-08-31"},
      {"2024-08-01", "2025-09-30"}, {"2031-01-31", "2031-02-01"}, {"1900-01-01", "2100-12-31"},
      {"2025-07-11", "2025-07-11"}, {"2018-01-01", "2032-12-31"}, {"2024-09-01", "2024-09-01"}};
  for (const auto& [start, end] : periods) {
    SCOPED_TRACE(std::string(start) + " to " + end);
    EXPECT_EQ(kept.current_term_end(day(start)), TermCalendar(own).current_term_end(day(start)));
    EXPECT_EQ(kept.current_term_end(day(end)), TermCalendar(own).current_term_end(day(end)));
    EXPECT_EQ(kept.terms_overlapping(day(start), day(end)),
              TermCalendar(own).terms_overlapping(day(start), day(end)));
  }
  // Two terms a year, the school's two in place of two defaults, and the
  // autumn of 1899, which ends in January 1900.
  EXPECT_EQ(kept.terms_overlapping(day("1900-01-01"), day("2100-12-31")), 2 * 201 + 1);
}

// ---- normalisation ------------------------------------------------------------

TEST(NormaliseFee, PerHourDividesByTheHours) {
  EXPECT_EQ(normalise_fee({800000, 40.0, std::nullopt, std::nullopt}, FeePer::Hour), 20000);
}

TEST(NormaliseFee, PerHourWithoutHoursIsUnknown) {
  EXPECT_FALSE(normalise_fee({800000, std::nullopt, 3.0, 1}, FeePer::Hour).has_value());
  EXPECT_FALSE(normalise_fee({800000, 0.0, 3.0, 1}, FeePer::Hour).has_value());
}

TEST(NormaliseFee, PerMonthDividesByTheMonthsCovered) {
  EXPECT_EQ(normalise_fee({360000, std::nullopt, 3.0, 1}, FeePer::Month), 120000);
  EXPECT_EQ(normalise_fee({60000, std::nullopt, 0.5, 1}, FeePer::Month), 120000);
}

TEST(NormaliseFee, PerMonthWithoutAPeriodIsUnknown) {
  EXPECT_FALSE(normalise_fee({360000, std::nullopt, std::nullopt, std::nullopt}, FeePer::Month));
}

TEST(NormaliseFee, PerSemesterDividesByTheTermsOverlapped) {
  EXPECT_EQ(normalise_fee({3000000, std::nullopt, 11.0, 2}, FeePer::Semester), 1500000);
  EXPECT_EQ(normalise_fee({1500000, std::nullopt, 5.0, 1}, FeePer::Semester), 1500000);
}

TEST(NormaliseFee, PerSemesterWithoutAPeriodOrTermIsOneTerm) {
  EXPECT_EQ(normalise_fee({1500000, std::nullopt, std::nullopt, std::nullopt}, FeePer::Semester),
            1500000);
  EXPECT_EQ(normalise_fee({1500000, std::nullopt, 1.0, 0}, FeePer::Semester), 1500000);
}

TEST(NormaliseFee, PerYearDividesOnlyPeriodsLongerThanAYear) {
  EXPECT_EQ(normalise_fee({2400000, std::nullopt, 12.0, 2}, FeePer::Year), 2400000);
  EXPECT_EQ(normalise_fee({2400000, std::nullopt, 6.0, 1}, FeePer::Year), 2400000);
  EXPECT_EQ(normalise_fee({2400000, std::nullopt, 18.0, 3}, FeePer::Year), 1600000);
}

TEST(NormaliseFee, RoundsHalfAwayFromZeroToTheFen) {
  EXPECT_EQ(normalise_fee({5, 2.0, std::nullopt, std::nullopt}, FeePer::Hour), 3);
  EXPECT_EQ(normalise_fee({-5, 2.0, std::nullopt, std::nullopt}, FeePer::Hour), -3);
  EXPECT_EQ(normalise_fee({100, 3.0, std::nullopt, std::nullopt}, FeePer::Hour), 33);
  EXPECT_EQ(normalise_fee({5, std::nullopt, std::nullopt, 2}, FeePer::Semester), 3);
}

}  // namespace
}  // namespace sfmon::rules::fee_periods::fee_periods_test
