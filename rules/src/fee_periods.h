#pragma once
// Fee periods (rules-catalogue.md "Fee periods", "Current term"): how many
// months a payment covers, which terms it overlaps, the end of the term it
// is paid in, and its amount normalised to the catalogue's `per`. Days are
// local calendar days as days since 1970-01-01; money is fen.

#include <cstdint>
#include <optional>
#include <vector>

#include "sfmon/model/money.h"
#include "sfmon/model/registry.h"

namespace sfmon::rules::fee_periods {

// Whole calendar months plus partial months as covered days / days in that
// month, for the inclusive period [start, end]: Sep 1 – Nov 30 = 3.0,
// Sep 1 – Sep 15 = 0.5. nullopt when end is before start.
std::optional<double> months_covered(std::int64_t start, std::int64_t end);

struct Term {
  std::int64_t start = 0;  // first day
  std::int64_t end = 0;    // last day (inclusive)
};

// A school's terms: its own academic calendar, with the default calendar
// (autumn Sep 1 – Jan 31, spring Feb 1 – Jul 31) filling the stretches the
// school's calendar does not cover, so a school that lists only this year's
// terms still has terms next year. A default term that overlaps any of the
// school's terms is left out.
//
// The queries are not const: the calendar lays out the terms of the years
// asked about once and keeps them (a school's fee facts ask about the same
// few years thousands of times). One calendar serves one thread.
class TermCalendar {
 public:
  explicit TermCalendar(const std::vector<AcademicTerm>& school_terms);

  // The end of the term that contains `day`, or, between terms, of the next
  // one.
  std::int64_t current_term_end(std::int64_t day);
  // How many terms share at least one day with [start, end].
  int terms_overlapping(std::int64_t start, std::int64_t end);

 private:
  // Every term that may touch [from, to], sorted by start (and perhaps more:
  // terms of other years touch neither query's answer). Valid until the
  // next call.
  const std::vector<Term>& terms_around(std::int64_t from, std::int64_t to);
  // The school's terms and the default ones of [first_year, last_year] that
  // none of them overlaps, sorted by start.
  std::vector<Term> lay_out(int first_year, int last_year) const;

  std::vector<Term> school_terms_;
  std::vector<Term> laid_out_;  // lay_out(first_year_, last_year_)
  int first_year_ = 0;
  int last_year_ = -1;  // none laid out yet
  // The days whose queries laid_out_ answers: a query needs the default
  // terms of the year before its first day to the year after its last.
  std::int64_t covered_from_ = 1;
  std::int64_t covered_to_ = 0;
  std::vector<Term> one_off_;  // a query spanning too many years to keep
};

// What normalisation needs to know about one payment.
struct FeeQuantities {
  Fen amount = 0;
  std::optional<double> hours;
  std::optional<double> months;  // months_covered of the period, when it has one
  std::optional<int> terms;      // terms_overlapping of the period, when it has one
};

// The amount per `per`, rounded half away from zero to the fen:
// hour → amount / hours; month → amount / months; semester → amount / terms
// the period overlaps; year → amount / (months / 12) for periods longer than
// twelve months, else the amount. nullopt when the quantity it divides by is
// unknown or zero (no hours, no period for `month`). A semester fee without
// a period, or whose period lies between terms, counts as one term; a year
// fee without a period as one year.
std::optional<Fen> normalise_fee(const FeeQuantities& fee, FeePer per);

}  // namespace sfmon::rules::fee_periods
