// Daily totals standing in for the facts of whole days inside every judged
// window (window_totals.h): which rules can take them, what a day's totals
// are, and that a seeded evaluation fires exactly as one over every fact.

#include "sfmon/rules/window_totals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace sfmon::rules::window_totals_test {
namespace {

const Zone kShanghai{};
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kFirstDay = 20000;  // 2024-10-04

std::int64_t day_start(std::int64_t day) {
  return day * kDay - kShanghai.offset_minutes * 60;
}

Fact bank_fact(const std::string& id, std::int64_t time, Fen amount, const std::string& party) {
  Fact fact;
  fact.kind = FactKind::Bank;
  fact.id = id;
  fact.time = time;
  fact.day = (time + kShanghai.offset_minutes * 60) / kDay;
  fact.account = "A1";
  fact.account_role = AccountRole::Supervised;
  fact.amount = amount;
  fact.debit = amount < 0;
  fact.credit = amount > 0;
  fact.counterparty_name = party;
  fact.counterparty_key = party;
  return fact;
}

std::unique_ptr<CompiledPack> pack_of(const std::string& rules_yaml) {
  PackDocument doc;
  read_rules_file(rules_yaml, "pack.yaml", doc);
  return compile_pack(doc, {});
}

std::string rule(const std::string& id, const std::string& body) {
  return "- rule: " + id + "\n  title: t\n  level: blue\n  source: bank\n" + body;
}

// FUND-ANOMALY as in the default pack.
const std::string kAnomaly = rule("ANOMALY",
                                  "  where: record.debit\n  key: [school.id]\n"
                                  "  window: {preceding: 90d, exclude_current: true}\n"
                                  "  aggregates:\n    n: count()\n    mu: mean(-record.amount)\n"
                                  "    sd: stddev(-record.amount)\n"
                                  "  condition: n >= 30 and -record.amount > mu + 2 * sd\n"
                                  "  message: \"{record.id} {n} {mu} {sd}\"\n"
                                  "  dedup: \"{record.id}\"\n  evidence: trigger\n");
// Sums with an aggregate's own filter, keyed by counterparty.
const std::string kPerParty = rule("PER-PARTY",
                                   "  where: record.debit\n  key: [counterparty.name]\n"
                                   "  window: {preceding: 30d}\n"
                                   "  aggregates:\n    paid: sum(-record.amount)\n"
                                   "    got: sum(record.amount) where record.credit\n"
                                   "    k: count()\n"
                                   "  condition: k >= 3 and paid > got\n"
                                   "  message: \"{record.id} {k} {paid} {got}\"\n"
                                   "  dedup: \"{record.id}\"\n  evidence: trigger\n");

TEST(WindowTotalsTest, OnlyLookBackCountsSumsAndMomentsOfBankFactsCanTakeTotals) {
  EXPECT_TRUE(totals_can_stand_in(pack_of(kAnomaly)->rules[0]));
  EXPECT_TRUE(totals_can_stand_in(pack_of(kPerParty)->rules[0]));
  const auto refused = [](const std::string& body) {
    return !totals_can_stand_in(pack_of(rule("R", body))->rules[0]);
  };
  const std::string tail = "  condition: true\n  message: m\n  evidence: trigger\n";
  EXPECT_TRUE(
      refused("  window: {preceding: 7d}\n  aggregates: {m: max(-record.amount)}\n" + tail));
  EXPECT_TRUE(
      refused("  window: {preceding: 7d}\n  aggregates: {m: min(-record.amount)}\n" + tail));
  EXPECT_TRUE(
      refused("  window: {preceding: 7d}\n  aggregates: {m: distinct(record.purpose)}\n" + tail));
  EXPECT_TRUE(refused("  window: {following: 7d}\n  aggregates: {n: count()}\n" + tail));
  EXPECT_TRUE(refused("  window: {tumbling: day}\n  aggregates: {n: count()}\n" + tail));
  // Window evidence lists the members, which totals do not name.
  EXPECT_TRUE(refused(
      "  window: {preceding: 7d}\n  aggregates: {n: count()}\n  condition: true\n  message: m\n"));
  EXPECT_FALSE(refused("  window: {preceding: 7d}\n  aggregates: {n: count()}\n" + tail));
}

TEST(WindowTotalsTest, KeyTextsDifferByTypeAndValue) {
  const Value one = Value::integer(1);
  const Value one_text = Value::string("1");
  EXPECT_NE(key_text(std::vector<Value>{one}), key_text(std::vector<Value>{one_text}));
  EXPECT_NE(key_text(std::vector<Value>{Value::string("a"), Value::string("b")}),
            key_text(std::vector<Value>{Value::string("ab"), Value::string("")}));
  EXPECT_EQ(key_text(std::vector<Value>{Value::money(5)}),
            key_text(std::vector<Value>{Value::money(5)}));
}

TEST(WindowTotalsTest, DayTotalsCountEveryDayAndSumTheArguments) {
  const auto pack = pack_of(kAnomaly);
  School school{.id = "CS-0001"};
  SchoolFacts facts;
  facts.school = &school;
  facts.zone = kShanghai;
  facts.facts = {bank_fact("D1", day_start(kFirstDay) + 3600, -300, "X"),
                 bank_fact("C1", day_start(kFirstDay) + 7200, 900, "X"),  // not a debit
                 bank_fact("D2", day_start(kFirstDay) + 9000, -500, "Y"),
                 bank_fact("D3", day_start(kFirstDay + 2) + 60, -7, "X")};
  std::vector<DayTotals> days;
  day_totals(*pack, pack->rules[0], facts, kFirstDay, kFirstDay + 2, days);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].day, kFirstDay);
  ASSERT_EQ(days[0].keys.size(), 1u);
  EXPECT_EQ(days[0].keys[0].key, key_text(std::vector<Value>{Value::string("CS-0001")}));
  const std::vector<Moments> expected{{2, 0, 0}, {2, 800, 340000}, {2, 800, 340000}};
  EXPECT_EQ(days[0].keys[0].aggregates, expected);
  EXPECT_TRUE(days[1].keys.empty());  // a day without debits is a total too
  EXPECT_EQ(days[2].keys[0].aggregates[1], (Moments{1, 7, 49}));

  std::vector<KeyTotals> sums;
  for (const DayTotals& day : days) ASSERT_TRUE(add_totals(sums, day));
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums[0].aggregates[1], (Moments{3, 807, 340049}));
}

TEST(WindowTotalsTest, AddingTotalsThatOverflowFails) {
  DayTotals big{1, {KeyTotals{"k", {Moments{1, 0, 0}}}}};
  big.keys[0].aggregates[0].sum_squares = ~(WideInt{1} << 127);  // the largest value
  std::vector<KeyTotals> sums;
  ASSERT_TRUE(add_totals(sums, big));
  EXPECT_FALSE(add_totals(sums, big));
}

// Evaluates `pack` over the last `judged_days` days of `all`, once from every
// fact and once with the whole days every judged window holds replaced by
// their totals; both must fire alike.
class SeededEvaluation {
 public:
  SeededEvaluation(const CompiledPack& pack, std::vector<Fact> all) : pack_(pack) {
    std::sort(all.begin(), all.end(), [](const Fact& a, const Fact& b) {
      return std::tie(a.time, a.kind, a.id) < std::tie(b.time, b.kind, b.id);
    });
    full_.school = &school_;
    full_.zone = kShanghai;
    full_.facts = std::move(all);
  }

  using Rows = std::vector<std::tuple<std::string, std::string, std::int64_t, std::string>>;

  static Rows rows(const std::vector<Firing>& firings) {
    Rows result;
    for (const Firing& firing : firings) {
      std::string values;
      for (const auto& [name, value] : firing.values) values += name + "=" + value + " ";
      result.emplace_back(firing.rule_id, firing.dedup_key, firing.time, firing.message + values);
    }
    return result;
  }

  // Returns {full, seeded}; `seeded_days` gets the days the seed stood in for.
  std::pair<Rows, Rows> run(std::int64_t judged_from, std::int64_t& seeded_days) {
    const CompiledRule& seeded_rule = pack_.rules[0];
    const std::int64_t last_point = full_.facts.back().time;
    const std::vector<TimeRange> ranges(pack_.rules.size(), TimeRange{judged_from, last_point});
    const Rows full = rows(evaluate_school(pack_, full_, ranges));

    const std::int64_t first_day =
        (last_point - seeded_rule.window.seconds + kShanghai.offset_minutes * 60) / kDay + 1;
    const std::int64_t last_day = (judged_from + kShanghai.offset_minutes * 60) / kDay - 1;
    seeded_days = std::max<std::int64_t>(0, last_day - first_day + 1);
    std::vector<DayTotals> days;
    day_totals(pack_, seeded_rule, full_, first_day, last_day, days);
    WindowSeed seed;
    seed.coordinate = day_start(first_day);
    for (const DayTotals& day : days) EXPECT_TRUE(add_totals(seed.keys, day));
    SchoolFacts partial;
    partial.school = &school_;
    partial.zone = kShanghai;
    for (const Fact& fact : full_.facts) {
      if (fact.day < first_day || fact.day > last_day) partial.facts.push_back(fact);
    }
    std::vector<const WindowSeed*> seeds(pack_.rules.size(), nullptr);
    seeds[0] = &seed;
    // Only the first rule is seeded; the others see the gap, so they are
    // judged where it cannot matter (their windows are shorter).
    const Rows seeded = rows(evaluate_school(pack_, partial, ranges, seeds));
    return {full, seeded};
  }

 private:
  const CompiledPack& pack_;
  School school_{.id = "CS-0001"};
  SchoolFacts full_;
};

std::vector<Fact> random_history(unsigned seed, int days) {
  std::mt19937 random(seed);
  std::vector<Fact> facts;
  const char* parties[] = {"食品公司", "建筑公司", "文具店"};
  int id = 0;
  for (int day = 0; day < days; ++day) {
    const int debits = static_cast<int>(random() % 4);
    for (int k = 0; k < debits; ++k) {
      Fen amount = 10'000 + static_cast<Fen>(random() % 500'000);
      if (random() % 40 == 0) amount *= 20;  // an outlier
      facts.push_back(bank_fact("D" + std::to_string(++id),
                                day_start(kFirstDay + day) + 3600 * (8 + k) + random() % 600,
                                -amount, parties[random() % 3]));
    }
    if (random() % 3 == 0) {
      facts.push_back(bank_fact("C" + std::to_string(++id), day_start(kFirstDay + day) + 7 * 3600,
                                static_cast<Fen>(random() % 900'000), parties[random() % 3]));
    }
  }
  return facts;
}

// Over twelve random histories of `days` days judged from day `judged_day`:
// the seed stands in for at least `min_seeded` days each time, and the
// comparisons see more than `min_fired` firings in all.
void expect_seeded_as_full(const CompiledPack& pack, int days, int judged_day,
                           std::int64_t min_seeded, int min_fired) {
  int fired = 0;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    SeededEvaluation evaluation(pack, random_history(seed, days));
    std::int64_t seeded_days = 0;
    const auto [full, seeded] = evaluation.run(day_start(kFirstDay + judged_day), seeded_days);
    EXPECT_GE(seeded_days, min_seeded) << "seed " << seed;
    EXPECT_EQ(seeded, full) << "seed " << seed;
    fired += static_cast<int>(full.size());
  }
  EXPECT_GT(fired, min_fired);
}

TEST(WindowTotalsTest, SeededBaselineFiresExactlyAsTheFullHistory) {
  // The outliers fire, so the comparison sees firings.
  expect_seeded_as_full(*pack_of(kAnomaly), 150, 140, 70, 3);
}

TEST(WindowTotalsTest, SeededKeyedSumsWithFiltersFireExactlyAsTheFullHistory) {
  expect_seeded_as_full(*pack_of(kPerParty), 60, 55, 20, 10);
}

TEST(WindowTotalsTest, ASeedWhoseMomentsOverflowAsksForTheFacts) {
  const auto pack = pack_of(kAnomaly);
  School school{.id = "CS-0001"};
  SchoolFacts partial;
  partial.school = &school;
  partial.zone = kShanghai;
  partial.facts = {bank_fact("LAST", day_start(kFirstDay + 149), -100, "X")};
  WindowSeed seed;
  seed.coordinate = day_start(kFirstDay + 100);
  Moments huge{40, 0, 0};
  huge.sum_squares = WideInt{1} << 125;  // n · Σx² overflows 128 bits
  seed.keys.push_back(KeyTotals{key_text(std::vector<Value>{Value::string("CS-0001")}),
                                {Moments{40, 0, 0}, huge, huge}});
  const std::vector<TimeRange> ranges(1, TimeRange{day_start(kFirstDay + 140), INT64_MAX});
  const std::vector<const WindowSeed*> seeds{&seed};
  EXPECT_THROW(evaluate_school(*pack, partial, ranges, seeds), SeedOverflow);
}

TEST(WindowTotalsTest, ASeedForARuleThatCannotTakeOneIsRefused) {
  const auto pack = pack_of(rule("MAX",
                                 "  where: record.debit\n  window: {preceding: 7d}\n"
                                 "  aggregates: {m: max(-record.amount)}\n"
                                 "  condition: true\n  message: m\n  evidence: trigger\n"));
  School school{.id = "CS-0001"};
  SchoolFacts facts;
  facts.school = &school;
  facts.facts = {bank_fact("D1", day_start(kFirstDay), -100, "X")};
  WindowSeed seed;
  const std::vector<TimeRange> ranges(1, TimeRange{});
  const std::vector<const WindowSeed*> seeds{&seed};
  EXPECT_THROW(evaluate_school(*pack, facts, ranges, seeds), std::logic_error);
}

}  // namespace
}  // namespace sfmon::rules::window_totals_test
