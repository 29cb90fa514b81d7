// Windows: where their edges lie (half-open, closed, exclude_current,
// following, local tumbling days), keys, aggregates with their own filters,
// and the sliding aggregates checked against a brute-force recount.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../../rules/src/aggregate_state.h"
#include "sfmon/rules/evaluator.h"

namespace sfmon::rules::window_test {
namespace {

const Zone kShanghai{};

std::int64_t utc(const char* text) {
  return parse_iso_instant(text, kShanghai)->utc_seconds;
}

Fact bank_fact(const char* id, const char* when, Fen amount, const char* counterparty = "X") {
  const Instant instant = *parse_iso_instant(when, kShanghai);
  Fact fact;
  fact.kind = FactKind::Bank;
  fact.id = id;
  fact.time = instant.utc_seconds;
  fact.day = instant.local_date(kShanghai).days_since_epoch();
  fact.account = "A1";
  fact.account_role = AccountRole::Supervised;
  fact.amount = amount;
  fact.debit = amount < 0;
  fact.credit = amount > 0;
  fact.counterparty_name = counterparty;
  fact.counterparty_key = counterparty;
  return fact;
}

class WindowTest : public ::testing::Test {
 protected:
  // Evaluates one rule; returns each firing as "trigger-id message".
  std::vector<std::string> run(const std::string& rule_yaml) {
    firings_.clear();
    PackDocument doc;
    try {
      read_rules_file("- rule: W\n  title: t\n  level: yellow\n  source: bank\n" + rule_yaml,
                      "pack.yaml", doc);
      pack_ = compile_pack(doc, {});
    } catch (const PackError& error) {
      for (const Diagnostic& diagnostic : error.errors()) ADD_FAILURE() << diagnostic.to_string();
      return {};
    }
    SchoolFacts facts;
    facts.school = &school_;
    facts.zone = kShanghai;
    facts.facts = facts_;
    std::sort(facts.facts.begin(), facts.facts.end(), [](const Fact& a, const Fact& b) {
      return std::tie(a.time, a.kind, a.id) < std::tie(b.time, b.kind, b.id);
    });
    firings_ = evaluate_school(*pack_, facts);
    std::vector<std::string> lines;
    for (const Firing& firing : firings_) lines.push_back(firing.message);
    return lines;
  }
  std::vector<std::string> evidence_ids(std::size_t firing) const {
    std::vector<std::string> ids;
    for (const EvidenceRef& ref : firings_.at(firing).evidence) ids.push_back(ref.id);
    return ids;
  }

  School school_{.id = "CS-0001"};
  std::vector<Fact> facts_;
  std::unique_ptr<CompiledPack> pack_;
  std::vector<Firing> firings_;
};

// A FUND-PASSTHRU-like rule: credits in the window before each debit.
std::string passthru(const char* window) {
  return std::string("  where: record.debit\n  window: ") + window +
         "\n  aggregates: {credits: sum(record.amount) where record.credit}\n"
         "  condition: credits > 0\n  message: \"{record.id} {credits}\"\n";
}

// ---- preceding -------------------------------------------------------------------

TEST_F(WindowTest, RecordExactlyTheWidthEarlierIsOutsideAHalfOpenWindow) {
  // Date-only bookings exactly 72 h apart.
  facts_ = {bank_fact("C1", "2024-11-04", 10500000), bank_fact("D1", "2024-11-07", -10000000)};
  EXPECT_TRUE(run(passthru("{preceding: 72h}")).empty());
}

TEST_F(WindowTest, RecordOneSecondInsideTheWidthIsInsideAHalfOpenWindow) {
  facts_ = {bank_fact("C1", "2024-11-04T00:00:01", 10500000),
            bank_fact("D1", "2024-11-07", -10000000)};
  EXPECT_EQ(run(passthru("{preceding: 72h}")), (std::vector<std::string>{"D1 105000.00"}));
  EXPECT_EQ(evidence_ids(0), (std::vector<std::string>{"C1", "D1"}));
}

TEST_F(WindowTest, RecordExactlyTheWidthEarlierIsInsideAClosedWindow) {
  facts_ = {bank_fact("C1", "2024-11-04", 10500000), bank_fact("D1", "2024-11-07", -10000000)};
  EXPECT_EQ(run(passthru("{preceding: 72h, closed: true}")),
            (std::vector<std::string>{"D1 105000.00"}));
}

TEST_F(WindowTest, RecordsAtTheTriggersInstantAreInsideAPrecedingWindow) {
  facts_ = {bank_fact("D1", "2024-11-07", -10000000), bank_fact("C1", "2024-11-07", 10500000)};
  EXPECT_EQ(run(passthru("{preceding: 72h}")), (std::vector<std::string>{"D1 105000.00"}));
}

TEST_F(WindowTest, ExcludeCurrentSeesOnlyRecordsBookedStrictlyBefore) {
  // D2 and D3 share an instant: neither sees the other; the one exactly 90
  // days before D4 is in ([t − W, t)).
  facts_ = {bank_fact("D1", "2024-08-09T10:00:00", -100), bank_fact("D2", "2024-10-01", -100),
            bank_fact("D3", "2024-10-01", -100), bank_fact("D4", "2024-11-07T10:00:00", -100)};
  const std::string rule =
      "  where: record.debit\n  window: {preceding: 90d, exclude_current: true}\n"
      "  aggregates: {n: count()}\n  condition: true\n  message: \"{record.id} {n}\"\n";
  EXPECT_EQ(run(rule), (std::vector<std::string>{"D1 0", "D2 1", "D3 1", "D4 3"}));
}

TEST_F(WindowTest, BaselineStatisticsComeFromTheEarlierRecords) {
  const std::vector<Fen> history{200, 400, 400, 400, 500, 500, 700, 900};  // mean 5, sd 2
  for (std::size_t i = 0; i < history.size(); ++i) {
    const std::string when = "2024-10-0" + std::to_string(i + 1);
    facts_.push_back(bank_fact(("H" + std::to_string(i)).c_str(), when.c_str(), -history[i]));
  }
  facts_.push_back(bank_fact("X", "2024-10-09T10:00:00", -1400));
  const std::string rule =
      "  where: record.debit\n  window: {preceding: 90d, exclude_current: true}\n"
      "  aggregates:\n    n: count()\n    mu: mean(-record.amount)\n"
      "    sd: stddev(-record.amount)\n    p50: quantile(-record.amount, 0.5)\n"
      "  condition: n >= 8 and -record.amount > mu + 4 * sd\n"
      "  message: \"{mu} {sd} {p50}\"\n";
  EXPECT_EQ(run(rule), (std::vector<std::string>{"5.00 2.00 4.00"}));
  pack_.reset();
}

TEST_F(WindowTest, EachKeyHasItsOwnWindow) {
  facts_ = {bank_fact("D1", "2024-10-15T09:00:00", -34000000, "HENGDA"),
            bank_fact("D2", "2024-10-15T15:00:00", -34000000, "OTHER"),
            bank_fact("D3", "2024-10-16T09:00:00", -34000000, "HENGDA")};
  const std::string rule =
      "  where: record.debit\n  key: [counterparty.key]\n"
      "  window: {preceding: 24h, closed: true}\n"
      "  aggregates: {n: count(), total: sum(-record.amount)}\n"
      "  condition: n >= 2\n  message: \"{counterparty.key} {n} {total}\"\n";
  EXPECT_EQ(run(rule), (std::vector<std::string>{"HENGDA 2 680000.00"}));
  EXPECT_EQ(evidence_ids(0), (std::vector<std::string>{"D1", "D3"}));
}

// ---- following -------------------------------------------------------------------

TEST_F(WindowTest, FollowingWindowIsHalfOpenFromTheTrigger) {
  facts_ = {bank_fact("C1", "2024-09-05", 50000000), bank_fact("D0", "2024-09-05", -1000),
            bank_fact("D1", "2024-10-17", -9000000), bank_fact("D2", "2025-03-03T23:59:59", -2000),
            bank_fact("D3", "2025-03-04", -4000)};
  // 2025-03-04 is exactly 180 days after 2024-09-05: [t, t + 180d) ends just before it.
  const std::string rule =
      "  where: record.credit\n  window: {following: 180d}\n"
      "  aggregates: {back: sum(-record.amount) where record.debit}\n"
      "  condition: back > 0\n  message: \"{record.id} {back} {window.start} {window.end}\"\n";
  EXPECT_EQ(run(rule), (std::vector<std::string>{"C1 90030.00 2024-09-05T00:00:00+08:00 "
                                                 "2025-03-04T00:00:00+08:00"}));
  EXPECT_EQ(evidence_ids(0), (std::vector<std::string>{"C1", "D0", "D1", "D2"}))
      << "the same day (D0) is in, exactly the width later (D3) is out";
}

// ---- tumbling day -------------------------------------------------------------------

const std::string kDayTotal =
    "  where: record.debit\n  key: [record.account]\n  window: {tumbling: day}\n"
    "  aggregates: {total: sum(-record.amount)}\n  condition: total >= 2000000.00\n"
    "  message: \"{record.id} {window.day} {total} {window.start} {window.end}\"\n";

TEST_F(WindowTest, TumblingDayIsTheLocalDayAcrossUtcMidnight) {
  // 16:45Z on Oct 23 is 00:45 on Oct 24 in Shanghai.
  facts_ = {bank_fact("T0", "2024-10-23T23:59:59", -100000000),
            bank_fact("T1", "2024-10-23T16:45:00Z", -80000000),
            bank_fact("T2", "2024-10-24T09:30:00", -120000000)};
  EXPECT_EQ(run(kDayTotal),
            (std::vector<std::string>{"T2 2024-10-24 2000000.00 2024-10-24T00:00:00+08:00 "
                                      "2024-10-24T23:59:59+08:00"}));
  EXPECT_EQ(firings_[0].time, utc("2024-10-24T23:59:59"));
  EXPECT_EQ(evidence_ids(0), (std::vector<std::string>{"T1", "T2"}));
}

TEST_F(WindowTest, TumblingDayDoesNotJoinTwoLocalDaysOfOneUtcDay) {
  facts_ = {bank_fact("T1", "2024-11-05T23:30:00", -100000000),
            bank_fact("T2", "2024-11-06T00:30:00", -100000000)};
  EXPECT_TRUE(run(kDayTotal).empty());
}

TEST_F(WindowTest, TumblingDayFilteredAggregateSeesRecordsOutsideTheRulesWhere) {
  // The day's credits count against its debits although `where` picks debits.
  facts_ = {bank_fact("C1", "2024-10-09T09:00:00", 6800000),
            bank_fact("D1", "2024-10-09T10:00:00", -1700000),
            bank_fact("C2", "2024-10-10T09:00:00", 100)};
  const std::string rule =
      "  where: record.debit\n  window: {tumbling: day}\n"
      "  aggregates:\n    paid: sum(-record.amount)\n"
      "    received: sum(record.amount) where record.credit\n"
      "  condition: received > paid\n  message: \"{window.day} {received} {paid}\"\n";
  EXPECT_EQ(run(rule), (std::vector<std::string>{"2024-10-09 68000.00 17000.00"}));
  EXPECT_EQ(evidence_ids(0), (std::vector<std::string>{"C1", "D1"}));
}

// ---- sliding aggregates against a brute-force recount -------------------------------

CompiledAggregate spec(AggregateFunc func, ValueType type, double quantile = 0.5) {
  CompiledAggregate aggregate;
  aggregate.func = func;
  aggregate.type = type;
  aggregate.quantile = quantile;
  return aggregate;
}

Value brute_force(AggregateFunc func, const std::vector<AggregateMember>& members, std::int64_t lo,
                  std::int64_t hi) {
  std::int64_t count = 0;
  std::int64_t sum = 0;
  std::optional<std::int64_t> min, max;
  std::set<std::int64_t> distinct;
  for (const AggregateMember& member : members) {
    if (member.coordinate < lo || member.coordinate > hi) continue;
    ++count;
    if (member.value.is_null()) continue;
    const std::int64_t v = member.value.i;
    sum += v;
    min = min ? std::min(*min, v) : v;
    max = max ? std::max(*max, v) : v;
    distinct.insert(v);
  }
  switch (func) {
    case AggregateFunc::Count:
      return Value::integer(count);
    case AggregateFunc::Sum:
      return Value::money(sum);
    case AggregateFunc::Min:
      return min ? Value::money(*min) : Value::null();
    case AggregateFunc::Max:
      return max ? Value::money(*max) : Value::null();
    case AggregateFunc::Distinct:
      return Value::integer(static_cast<std::int64_t>(distinct.size()));
    default:
      return Value::null();
  }
}

TEST(SlidingAggregate, IncrementalValuesMatchARecountOfEveryWindow) {
  std::mt19937 random(20241008);
  std::uniform_int_distribution<int> gap(0, 3), amount(-5, 5), width(0, 12), nulls(0, 9);
  for (AggregateFunc func : {AggregateFunc::Count, AggregateFunc::Sum, AggregateFunc::Min,
                             AggregateFunc::Max, AggregateFunc::Distinct}) {
    const CompiledAggregate aggregate = spec(
        func, func == AggregateFunc::Count || func == AggregateFunc::Distinct ? ValueType::Integer
                                                                              : ValueType::Money);
    SlidingAggregate sliding(aggregate);
    std::vector<AggregateMember> members;
    std::int64_t t = 0;
    for (std::uint32_t i = 0; i < 300; ++i) {
      t += gap(random);
      const Value value = nulls(random) == 0 ? Value::null() : Value::money(amount(random));
      members.push_back({t, i, value});
      sliding.add_member(members.back());
    }
    std::int64_t lo = 0;
    for (std::int64_t hi = 0; hi <= t + 5; hi += gap(random)) {
      lo = std::max(lo, hi - width(random));
      sliding.slide(lo, hi);
      const Value expected = brute_force(func, members, lo, hi);
      const Value actual = sliding.value();
      ASSERT_EQ(actual.type, expected.type)
          << "func " << static_cast<int>(func) << " [" << lo << ", " << hi << "]";
      ASSERT_EQ(actual.i, expected.i)
          << "func " << static_cast<int>(func) << " [" << lo << ", " << hi << "]";
      if (hi == t + 5) break;
    }
  }
}

TEST(SlidingAggregate, EmptyWindowCountsZeroAndHasNoExtremesOrStatistics) {
  for (AggregateFunc func :
       {AggregateFunc::Min, AggregateFunc::Mean, AggregateFunc::Stddev, AggregateFunc::Quantile}) {
    const CompiledAggregate aggregate = spec(func, ValueType::Money);
    SlidingAggregate sliding(aggregate);
    sliding.add_member({5, 0, Value::money(1)});
    sliding.slide(0, 4);
    EXPECT_TRUE(sliding.value().is_null()) << static_cast<int>(func);
  }
  const CompiledAggregate sum = spec(AggregateFunc::Sum, ValueType::Money);
  SlidingAggregate sliding(sum);
  sliding.slide(0, 4);
  EXPECT_EQ(sliding.value().type, ValueType::Money);
  EXPECT_EQ(sliding.value().i, 0);
}

TEST(SlidingAggregate, NullArgumentsDoNotFeedTheAggregateOrItsEvidence) {
  const CompiledAggregate aggregate = spec(AggregateFunc::Sum, ValueType::Money);
  SlidingAggregate sliding(aggregate);
  sliding.add_member({1, 7, Value::money(5)});
  sliding.add_member({2, 8, Value::null()});
  sliding.slide(0, 10);
  EXPECT_EQ(sliding.value().i, 5);
  std::vector<std::uint32_t> contributors;
  sliding.append_contributors(contributors);
  EXPECT_EQ(contributors, (std::vector<std::uint32_t>{7}));
}

TEST(SlidingAggregate, QuantileIsTheNearestRank) {
  const std::vector<std::pair<double, std::int64_t>> expected{
      {0.0, 10}, {0.25, 10}, {0.5, 20}, {0.51, 30}, {0.75, 30}, {0.9, 40}, {1.0, 40}};
  for (const auto& [q, value] : expected) {
    const CompiledAggregate aggregate = spec(AggregateFunc::Quantile, ValueType::Money, q);
    SlidingAggregate sliding(aggregate);
    for (std::int64_t v : {40, 10, 30, 20}) {
      sliding.add_member({0, 0, Value::money(v)});
    }
    sliding.slide(0, 0);
    EXPECT_EQ(sliding.value().i, value) << "q = " << q;
  }
}

TEST(SlidingAggregate, MoneyMeanRoundsHalfAwayFromZeroAndNumbersStayExact) {
  const CompiledAggregate money = spec(AggregateFunc::Mean, ValueType::Money);
  SlidingAggregate sliding(money);
  sliding.add_member({0, 0, Value::money(-1)});
  sliding.add_member({0, 1, Value::money(-2)});
  sliding.slide(0, 0);
  EXPECT_EQ(sliding.value().i, -2);  // -1.5 fen

  const CompiledAggregate number = spec(AggregateFunc::Stddev, ValueType::Number);
  SlidingAggregate deviation(number);
  deviation.add_member({0, 0, Value::real(1)});
  deviation.add_member({0, 1, Value::real(2)});
  deviation.slide(0, 0);
  EXPECT_DOUBLE_EQ(deviation.value().number, 0.5);  // population, not sample (0.707)
}

TEST(SlidingAggregate, SlidingMeanAndPopulationDeviationMatchATwoPassRecount) {
  std::mt19937 random(7);
  std::uniform_int_distribution<std::int64_t> amount(-100000000, 100000000);
  const CompiledAggregate mean = spec(AggregateFunc::Mean, ValueType::Money);
  const CompiledAggregate deviation = spec(AggregateFunc::Stddev, ValueType::Money);
  SlidingAggregate sliding_mean(mean), sliding_deviation(deviation);
  std::vector<std::int64_t> values;
  for (std::uint32_t i = 0; i < 400; ++i) {
    values.push_back(amount(random));
    sliding_mean.add_member({i, i, Value::money(values.back())});
    sliding_deviation.add_member({i, i, Value::money(values.back())});
  }
  for (std::int64_t hi = 0; hi < 400; hi += 7) {
    const std::int64_t lo = std::max<std::int64_t>(0, hi - 90);
    sliding_mean.slide(lo, hi);
    sliding_deviation.slide(lo, hi);
    long double sum = 0, squares = 0;
    for (std::int64_t i = lo; i <= hi; ++i) sum += values[static_cast<std::size_t>(i)];
    const long double n = static_cast<long double>(hi - lo + 1);
    for (std::int64_t i = lo; i <= hi; ++i) {
      const long double d = values[static_cast<std::size_t>(i)] - sum / n;
      squares += d * d;
    }
    EXPECT_LE(std::llabs(sliding_mean.value().i - std::llround(sum / n)), 1) << hi;
    EXPECT_LE(std::llabs(sliding_deviation.value().i - std::llround(std::sqrt(squares / n))), 1)
        << hi;
  }
}

TEST(SlidingAggregate, MomentsThatWouldOverflowAreRecomputedFromTheValues) {
  // 200 × (9e16)² overflows n·Σx² in 128 bits.
  const CompiledAggregate mean = spec(AggregateFunc::Mean, ValueType::Money);
  const CompiledAggregate deviation = spec(AggregateFunc::Stddev, ValueType::Money);
  SlidingAggregate sliding_mean(mean), sliding_deviation(deviation);
  for (std::uint32_t i = 0; i < 200; ++i) {
    sliding_mean.add_member({0, i, Value::money(90000000000000000)});
    sliding_deviation.add_member({0, i, Value::money(90000000000000000)});
  }
  sliding_mean.slide(0, 0);
  sliding_deviation.slide(0, 0);
  EXPECT_EQ(sliding_mean.value().i, 90000000000000000);
  EXPECT_EQ(sliding_deviation.value().i, 0);
}

}  // namespace
}  // namespace sfmon::rules::window_test
