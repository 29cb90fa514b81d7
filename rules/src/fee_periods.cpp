#include "fee_periods.h"

#include <algorithm>

#include "expression_math.h"
#include "sfmon/model/time.h"

namespace sfmon::rules::fee_periods {
namespace {

std::int64_t day_of(int year, int month, int day) {
  return Date{year, month, day}.days_since_epoch();
}

bool overlaps(const Term& term, std::int64_t start, std::int64_t end) {
  return term.start <= end && term.end >= start;
}

}  // namespace

std::optional<double> months_covered(std::int64_t start, std::int64_t end) {
  if (end < start) return std::nullopt;
  // Whole months are counted as integers so that Sep 1 – Nov 30 is exactly 3.
  std::int64_t whole = 0;
  double partial = 0;
  Date month_first = Date::from_days_since_epoch(start);
  month_first.day = 1;
  while (month_first.days_since_epoch() <= end) {
    const int length = days_in_month(month_first.year, month_first.month);
    const std::int64_t first = month_first.days_since_epoch();
    const std::int64_t last = first + length - 1;
    const std::int64_t covered = std::min(end, last) - std::max(start, first) + 1;
    if (covered == length) {
      ++whole;
    } else {
      partial += static_cast<double>(covered) / length;
    }
    month_first.month = month_first.month == 12 ? 1 : month_first.month + 1;
    if (month_first.month == 1) ++month_first.year;
  }
  return static_cast<double>(whole) + partial;
}

TermCalendar::TermCalendar(const std::vector<AcademicTerm>& school_terms) {
  for (const AcademicTerm& term : school_terms) {
    school_terms_.push_back({term.start.days_since_epoch(), term.end.days_since_epoch()});
  }
}

std::vector<Term> TermCalendar::lay_out(int first_year, int last_year) const {
  std::vector<Term> terms = school_terms_;
  for (int year = first_year; year <= last_year; ++year) {
    for (const Term& fallback : {Term{day_of(year, 2, 1), day_of(year, 7, 31)},
                                 Term{day_of(year, 9, 1), day_of(year + 1, 1, 31)}}) {
      const bool covered =
          std::any_of(school_terms_.begin(), school_terms_.end(),
                      [&](const Term& own) { return overlaps(own, fallback.start, fallback.end); });
      if (!covered) terms.push_back(fallback);
    }
  }
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  return terms;
}

const std::vector<Term>& TermCalendar::terms_around(std::int64_t from, std::int64_t to) {
  if (from >= covered_from_ && to <= covered_to_) return laid_out_;
  // One default year before and after: a day in August needs next autumn, a
  // day in January last autumn.
  int first_year = Date::from_days_since_epoch(from).year - 1;
  int last_year = Date::from_days_since_epoch(to).year + 1;
  if (last_year_ >= first_year_) {  // widen what is laid out, keeping it one span
    first_year = std::min(first_year, first_year_);
    last_year = std::max(last_year, last_year_);
  }
  // A period over centuries (a typing slip) is answered once, not kept:
  // every later query would scan its terms.
  constexpr int kMaxKeptYears = 50;
  if (last_year - first_year + 1 > kMaxKeptYears) {
    one_off_ = lay_out(Date::from_days_since_epoch(from).year - 1,
                       Date::from_days_since_epoch(to).year + 1);
    return one_off_;
  }
  laid_out_ = lay_out(first_year, last_year);
  first_year_ = first_year;
  last_year_ = last_year;
  covered_from_ = day_of(first_year + 1, 1, 1);
  covered_to_ = day_of(last_year - 1, 12, 31);
  return laid_out_;
}

std::int64_t TermCalendar::current_term_end(std::int64_t day) {
  const std::vector<Term>& terms = terms_around(day, day);
  const auto containing = std::find_if(terms.begin(), terms.end(), [&](const Term& term) {
    return term.start <= day && day <= term.end;
  });
  if (containing != terms.end()) return containing->end;
  const auto next =
      std::find_if(terms.begin(), terms.end(), [&](const Term& term) { return term.start > day; });
  // The default calendar leaves no gap longer than August, and terms_around
  // reaches a year past `day`, so a next term always exists.
  return next != terms.end() ? next->end : day;
}

int TermCalendar::terms_overlapping(std::int64_t start, std::int64_t end) {
  const std::vector<Term>& terms = terms_around(start, end);
  return static_cast<int>(std::count_if(
      terms.begin(), terms.end(), [&](const Term& term) { return overlaps(term, start, end); }));
}

std::optional<Fen> normalise_fee(const FeeQuantities& fee, FeePer per) {
  switch (per) {
    case FeePer::Hour:
      if (!fee.hours || !(*fee.hours > 0)) return std::nullopt;
      return math::divide_money(fee.amount, *fee.hours);
    case FeePer::Month:
      if (!fee.months || !(*fee.months > 0)) return std::nullopt;
      return math::divide_money(fee.amount, *fee.months);
    case FeePer::Semester:
      if (!fee.terms || *fee.terms <= 1) return fee.amount;
      return math::divide_money(fee.amount, static_cast<std::int64_t>(*fee.terms));
    case FeePer::Year:
      if (!fee.months || !(*fee.months > 12)) return fee.amount;
      return math::divide_money(fee.amount, *fee.months / 12.0);
  }
  return std::nullopt;
}

}  // namespace sfmon::rules::fee_periods
