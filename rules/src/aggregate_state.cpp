#include "aggregate_state.h"

#include <algorithm>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/min.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/tail_quantile.hpp>
#include <boost/accumulators/statistics/variance.hpp>
#include <cmath>
#include <stdexcept>

namespace sfmon::rules {
namespace {

namespace acc = boost::accumulators;
__extension__ typedef __int128 Int128;

// Orders two non-null values of the same type.
bool less(const Value& a, const Value& b) {
  switch (a.type) {
    case ValueType::Number:
      return a.number < b.number;
    case ValueType::String:
      return a.text < b.text;
    default:
      return a.i < b.i;
  }
}

double as_double(const Value& value) {
  return value.type == ValueType::Number ? value.number : static_cast<double>(value.i);
}

// A statistic as a value of the aggregate's type: numbers stay numbers,
// money and durations round half away from zero (std::llround) to whole
// fen / seconds.
Value typed(double statistic, ValueType type) {
  if (type == ValueType::Number) return Value::real(statistic);
  if (!std::isfinite(statistic)) return Value::null();
  return Value{type, std::llround(statistic)};
}

// The nearest-rank quantile: the ceil(n·q)-th smallest value (the smallest
// for q = 0). Boost's left tail_quantile gives exactly that order statistic
// when its cache holds the whole window, except for the top rank, which its
// range check excludes: that one is the maximum.
double nearest_rank_quantile(const std::vector<double>& values, double q) {
  using Set = acc::accumulator_set<
      double, acc::stats<acc::tag::min, acc::tag::max, acc::tag::tail_quantile<acc::left>>>;
  const std::size_t n = values.size();
  Set set(acc::tag::tail<acc::left>::cache_size = n);
  for (double value : values) set(value);
  if (!(q > 0)) return acc::min(set);
  const double rank = std::ceil(static_cast<double>(n) * q);
  if (rank >= static_cast<double>(n)) return acc::max(set);
  return acc::quantile(set, acc::quantile_probability = q);
}

}  // namespace

void SlidingAggregate::clear() {
  members_.clear();
  begin_ = end_ = 0;
  present_ = 0;
  integer_sum_ = 0;
  real_sum_ = 0;
  extremes_.clear();
  distinct_.clear();
  moment1_ = moment2_ = 0;
  moments_exact_ = true;
  totals_in_window_ = 0;
  extra_count_ = 0;
  statistic_.reset();
}

void SlidingAggregate::slide(std::int64_t lo, std::int64_t hi) {
  const std::size_t old_begin = begin_;
  const std::size_t old_end = end_;
  while (end_ < members_.size() && members_[end_].coordinate <= hi) enter(end_++);
  while (begin_ < end_ && members_[begin_].coordinate < lo) leave(begin_++);
  // An empty window may lag behind: skip what it will never see.
  if (begin_ == end_) {
    while (end_ < members_.size() && members_[end_].coordinate < lo) ++end_;
    begin_ = end_;
  }
  if (begin_ != old_begin || end_ != old_end) statistic_.reset();
}

void SlidingAggregate::enter(std::size_t index) {
  if (members_[index].totals != nullptr) {
    enter_totals(*members_[index].totals, +1);
    return;
  }
  const Value& value = members_[index].value;
  if (spec_->func == AggregateFunc::Count || value.is_null()) return;
  ++present_;
  switch (spec_->func) {
    case AggregateFunc::Sum:
      if (value.type == ValueType::Number) {
        real_sum_ += value.number;
      } else {
        integer_sum_ += value.i;
      }
      break;
    case AggregateFunc::Min:
      while (!extremes_.empty() && !less(members_[extremes_.back()].value, value)) {
        extremes_.pop_back();
      }
      extremes_.push_back(index);
      break;
    case AggregateFunc::Max:
      while (!extremes_.empty() && !less(value, members_[extremes_.back()].value)) {
        extremes_.pop_back();
      }
      extremes_.push_back(index);
      break;
    case AggregateFunc::Distinct:
      ++distinct_[value];
      break;
    case AggregateFunc::Mean:
    case AggregateFunc::Stddev:
      add_moments(value, +1);
      break;
    default:  // quantiles read the window when asked
      break;
  }
}

void SlidingAggregate::add_moments(const Value& value, int sign) {
  if (!moments_exact_ || value.type == ValueType::Number) return;
  const Int128 x = value.i;
  const Int128 square = x * x;  // |x| < 2^63, so x² < 2^126
  moments_exact_ = !__builtin_add_overflow(moment1_, sign * x, &moment1_) &&
                   !__builtin_add_overflow(moment2_, sign * square, &moment2_);
}

// Totals members only feed aggregates whose state is counts and exact
// moments (totals_can_stand_in()); anything else is a caller's error.
void SlidingAggregate::enter_totals(const Moments& totals, int sign) {
  totals_in_window_ += sign;
  if (spec_->func == AggregateFunc::Count) {
    extra_count_ += sign * (totals.count - 1);
    return;
  }
  present_ += sign * totals.count;
  switch (spec_->func) {
    case AggregateFunc::Sum:
      if (__builtin_add_overflow(integer_sum_, sign * totals.sum, &integer_sum_)) {
        throw SeedOverflow();
      }
      break;
    case AggregateFunc::Mean:
    case AggregateFunc::Stddev:
      if (!moments_exact_) break;
      moments_exact_ = !__builtin_add_overflow(moment1_, sign * totals.sum, &moment1_) &&
                       !__builtin_add_overflow(moment2_, sign * totals.sum_squares, &moment2_);
      break;
    default:
      throw std::logic_error("window totals given to an aggregate that cannot take them");
  }
}

void SlidingAggregate::leave(std::size_t index) {
  if (members_[index].totals != nullptr) {
    enter_totals(*members_[index].totals, -1);
    return;
  }
  const Value& value = members_[index].value;
  if (spec_->func == AggregateFunc::Count || value.is_null()) return;
  --present_;
  switch (spec_->func) {
    case AggregateFunc::Sum:
      if (value.type == ValueType::Number) {
        real_sum_ -= value.number;
      } else {
        integer_sum_ -= value.i;
      }
      break;
    case AggregateFunc::Min:
    case AggregateFunc::Max:
      if (!extremes_.empty() && extremes_.front() == index) extremes_.pop_front();
      break;
    case AggregateFunc::Distinct:
      if (auto it = distinct_.find(value); it != distinct_.end() && --it->second == 0) {
        distinct_.erase(it);
      }
      break;
    case AggregateFunc::Mean:
    case AggregateFunc::Stddev:
      add_moments(value, -1);
      break;
    default:
      break;
  }
}

Value SlidingAggregate::value() const {
  switch (spec_->func) {
    case AggregateFunc::Count:
      return Value::integer(static_cast<std::int64_t>(end_ - begin_) + extra_count_);
    case AggregateFunc::Distinct:
      return Value::integer(static_cast<std::int64_t>(distinct_.size()));
    case AggregateFunc::Sum:
      if (spec_->type == ValueType::Number) return Value::real(static_cast<double>(real_sum_));
      return Value{spec_->type, static_cast<std::int64_t>(
                                    std::clamp<Int128>(integer_sum_, INT64_MIN, INT64_MAX))};
    case AggregateFunc::Min:
    case AggregateFunc::Max:
      return extremes_.empty() ? Value::null() : members_[extremes_.front()].value;
    case AggregateFunc::Mean:
    case AggregateFunc::Stddev:
    case AggregateFunc::Quantile:
      if (!statistic_) statistic_ = statistic();
      return *statistic_;
  }
  return Value::null();
}

Value SlidingAggregate::statistic() const {
  if (present_ == 0) return Value::null();
  if (spec_->func == AggregateFunc::Quantile) {
    return typed(nearest_rank_quantile(window_values(), spec_->quantile), spec_->type);
  }
  if (moments_exact_ && spec_->type != ValueType::Number) return statistic_from_moments();
  if (totals_in_window_ > 0) throw SeedOverflow();  // Boost needs the values
  return statistic_by_boost();
}

std::vector<double> SlidingAggregate::window_values() const {
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(present_));
  for (std::size_t i = begin_; i < end_; ++i) {
    if (!members_[i].value.is_null()) values.push_back(as_double(members_[i].value));
  }
  return values;
}

Value SlidingAggregate::statistic_by_boost() const {
  // variance is the population variance (divides by n), as the catalogue asks.
  acc::accumulator_set<double, acc::stats<acc::tag::mean, acc::tag::variance>> set;
  for (std::size_t i = begin_; i < end_; ++i) {
    if (!members_[i].value.is_null()) set(as_double(members_[i].value));
  }
  if (spec_->func == AggregateFunc::Mean) return typed(acc::mean(set), spec_->type);
  return typed(std::sqrt(acc::variance(set)), spec_->type);
}

// Population mean Σx / n and variance (n·Σx² − (Σx)²) / n², with exact
// integer numerators: the same formulas Boost's mean and variance estimate.
Value SlidingAggregate::statistic_from_moments() const {
  const Int128 n = present_;
  if (spec_->func == AggregateFunc::Mean) {
    // Whole part and remainder apart, so that a large Σx loses no fen.
    const Int128 whole = moment1_ / n;
    const Int128 rest = moment1_ % n;
    const long double mean = static_cast<long double>(whole) +
                             static_cast<long double>(rest) / static_cast<long double>(n);
    return typed(static_cast<double>(mean), spec_->type);
  }
  Int128 scaled = 0;
  Int128 squared_sum = 0;
  if (__builtin_mul_overflow(n, moment2_, &scaled) ||
      __builtin_mul_overflow(moment1_, moment1_, &squared_sum)) {
    if (totals_in_window_ > 0) throw SeedOverflow();  // Boost needs the values
    return statistic_by_boost();
  }
  const long double variance = static_cast<long double>(scaled - squared_sum) /
                               (static_cast<long double>(n) * static_cast<long double>(n));
  return typed(static_cast<double>(std::sqrt(variance)), spec_->type);
}

void SlidingAggregate::append_contributors(std::vector<std::uint32_t>& facts) const {
  for (std::size_t i = begin_; i < end_; ++i) {
    if (members_[i].totals != nullptr) continue;
    if (spec_->func == AggregateFunc::Count || !members_[i].value.is_null()) {
      facts.push_back(members_[i].fact);
    }
  }
}

}  // namespace sfmon::rules
