// evaluate_school(): every enabled rule over one school's facts.
//
// Per rule, one pass over the facts of its sources decides which take part
// (the rule's `where`, each aggregate's own filter) and groups them by key;
// then each key's facts are walked once in event order with a sliding
// window per aggregate (aggregate_state.h), so a rule costs O(facts) plus
// the statistics it reads. Strings are built only when a rule fires.

#include "sfmon/rules/evaluator.h"

#include <algorithm>
#include <map>
#include <span>
#include <tuple>

#include "aggregate_state.h"
#include "fact_context.h"
#include "sfmon/rules/window_totals.h"
#include "window_keys.h"
#include "window_plan.h"

namespace sfmon::rules {
namespace {

unsigned kind_bit(FactKind kind) {
  switch (kind) {
    case FactKind::Bank:
      return kBankFacts;
    case FactKind::Fee:
      return kFeeFacts;
    case FactKind::Balance:
      return kBalanceFacts;
  }
  return 0;
}

bool holds(const std::unique_ptr<CompiledExpr>& expression, const EvalContext& context) {
  return expression->test(context);
}

// "key" for a one-part key, else "key.1", "key.2", ...
std::string key_name(std::size_t part, std::size_t parts) {
  return parts == 1 ? "key" : "key." + std::to_string(part + 1);
}

class RuleEvaluation final : public AggregateSource {
 public:
  // `seed`: totals standing in for facts left out, or nullptr.
  RuleEvaluation(const CompiledRule& rule, const CompiledPack& pack, const SchoolFacts& facts,
                 const TimeRange& range, std::vector<Firing>& firings,
                 const WindowSeed* seed = nullptr)
      : rule_(rule),
        facts_(facts),
        range_(range),
        firings_(firings),
        seed_(seed),
        context_(facts, pack.param_values) {
    aggregates_.reserve(rule.aggregates.size());
    for (const CompiledAggregate& spec : rule.aggregates) aggregates_.emplace_back(spec);
  }

  void run() {
    if (rule_.window.kind == WindowKind::None && rule_.aggregates.empty()) {
      run_per_record();
    } else {
      run_windowed();
    }
  }

  // Whether a fact with event time in the range takes part (see
  // rules_taking_part()).
  bool any_takes_part() {
    for (const Fact& fact : facts_.facts) {
      if (!of_sources(fact) || !in_range(fact.time)) continue;
      record_context(fact);
      if (passes_where()) return true;
      for (const CompiledAggregate& spec : rule_.aggregates) {
        if (spec.filter && holds(spec.filter, context_)) return true;
      }
    }
    return false;
  }

  // The totals per local day in [first_day, last_day] of the facts that
  // feed the rule's aggregates (see day_totals()).
  void collect_day_totals(std::int64_t first_day, std::int64_t last_day,
                          std::vector<DayTotals>& out) {
    struct Day {
      std::map<std::string, std::vector<Moments>> keys;
      bool exact = true;
    };
    std::map<std::int64_t, Day> days;
    for (const Fact& fact : facts_.facts) {
      if (!of_sources(fact) || fact.day < first_day || fact.day > last_day) continue;
      record_context(fact);
      const bool where = passes_where();
      Day* day = nullptr;
      std::vector<Moments>* moments = nullptr;
      for (std::size_t a = 0; a < rule_.aggregates.size(); ++a) {
        const CompiledAggregate& spec = rule_.aggregates[a];
        if (!(spec.filter ? holds(spec.filter, context_) : where)) continue;
        if (moments == nullptr) {
          compute_key();
          day = &days[fact.day];
          moments = &day->keys[key_text(key_)];
          moments->resize(rule_.aggregates.size());
        }
        Moments& m = (*moments)[a];
        if (!spec.argument) {
          ++m.count;
          continue;
        }
        const Value value = spec.argument->eval(context_);
        if (value.is_null()) continue;
        const WideInt x = value.i;
        ++m.count;
        day->exact = day->exact && !__builtin_add_overflow(m.sum, x, &m.sum) &&
                     !__builtin_add_overflow(m.sum_squares, x * x, &m.sum_squares);
      }
    }
    for (std::int64_t d = first_day; d <= last_day; ++d) {
      DayTotals totals;
      totals.day = d;
      if (const auto it = days.find(d); it != days.end()) {
        if (!it->second.exact) continue;
        for (auto& [key, moments] : it->second.keys) {
          totals.keys.push_back(KeyTotals{key, std::move(moments)});
        }
      }
      out.push_back(std::move(totals));
    }
  }

  Value aggregate(int slot) const override {
    if (slot < 0 || static_cast<std::size_t>(slot) >= aggregates_.size()) return Value::null();
    return aggregates_[static_cast<std::size_t>(slot)].value();
  }

 private:
  struct Entry {
    std::uint32_t fact = 0;
    std::uint32_t group = 0;
  };

  bool in_range(std::int64_t time) const { return time >= range_.from && time <= range_.to; }
  bool of_sources(const Fact& fact) const { return (kind_bit(fact.kind) & rule_.sources) != 0; }

  void record_context(const Fact& fact) {
    context_.set_fact(fact);
    context_.set_window(nullptr);
    context_.set_aggregates(nullptr);
  }
  bool passes_where() const { return !rule_.where || holds(rule_.where, context_); }

  // The key of the current fact into key_ (school.id when the rule has none).
  void compute_key() {
    if (rule_.key_is_school && !key_.empty()) return;  // the same for every fact
    key_.clear();
    if (rule_.key.empty()) {
      static const std::string kNoSchool;
      key_.push_back(Value::string(facts_.school != nullptr ? facts_.school->id : kNoSchool));
      return;
    }
    for (const auto& part : rule_.key) key_.push_back(part->eval(context_));
  }

  // No window, no aggregates: each record is judged alone.
  void run_per_record() {
    for (std::size_t i = 0; i < facts_.facts.size(); ++i) {
      const Fact& fact = facts_.facts[i];
      if (!of_sources(fact) || !in_range(fact.time)) continue;
      record_context(fact);
      if (!passes_where()) continue;
      compute_key();
      EvaluationPoint point;
      point.fact = static_cast<std::uint32_t>(i);
      point.lo = point.hi = point.time = fact.time;
      evaluate(point, key_);
    }
  }

  void run_windowed() {
    classify();
    // Entries grouped by key, each group in event order (counting sort).
    std::vector<std::uint32_t> starts(groups_.size() + 1, 0);
    for (const Entry& entry : entries_) ++starts[entry.group + 1];
    for (std::size_t g = 1; g < starts.size(); ++g) starts[g] += starts[g - 1];
    std::vector<std::uint32_t> order(entries_.size());
    {
      std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
      for (std::uint32_t e = 0; e < entries_.size(); ++e) order[next[entries_[e].group]++] = e;
    }
    for (std::uint32_t g = 0; g < groups_.size(); ++g) {
      evaluate_group(
          std::span<const std::uint32_t>(order).subspan(starts[g], starts[g + 1] - starts[g]),
          groups_.key(g));
    }
  }

  // Which facts take part (flags: [0] the rule's where, [1 + a] feeds
  // aggregate a) and their key groups.
  void classify() {
    const std::size_t stride = rule_.aggregates.size() + 1;
    std::vector<char> fact_flags(stride);
    for (std::size_t i = 0; i < facts_.facts.size(); ++i) {
      const Fact& fact = facts_.facts[i];
      if (!of_sources(fact)) continue;
      record_context(fact);
      fact_flags[0] = passes_where();
      bool takes_part = fact_flags[0];
      for (std::size_t a = 0; a < rule_.aggregates.size(); ++a) {
        const CompiledAggregate& spec = rule_.aggregates[a];
        fact_flags[a + 1] = spec.filter ? holds(spec.filter, context_) : fact_flags[0];
        takes_part = takes_part || fact_flags[a + 1];
      }
      if (!takes_part) continue;
      compute_key();
      entries_.push_back({static_cast<std::uint32_t>(i), key_group()});
      flags_.insert(flags_.end(), fact_flags.begin(), fact_flags.end());
    }
  }

  // The group of key_, the key just computed.
  std::uint32_t key_group() {
    if (rule_.key_is_school && groups_.size() == 1) return 0;  // the school's, the one group
    return groups_.group_of(key_);
  }

  // The seed's totals of `key`, or nullptr.
  const KeyTotals* seed_totals(const std::vector<Value>& key) const {
    if (seed_ == nullptr) return nullptr;
    const std::string text = key_text(key);
    const auto it = std::lower_bound(
        seed_->keys.begin(), seed_->keys.end(), text,
        [](const KeyTotals& totals, const std::string& wanted) { return totals.key < wanted; });
    return it != seed_->keys.end() && it->key == text ? &*it : nullptr;
  }

  // Members in coordinate order: the seed's totals go before the first fact
  // after its coordinate.
  void add_seed_members(const KeyTotals& totals) {
    for (std::size_t a = 0; a < aggregates_.size(); ++a) {
      AggregateMember member{seed_->coordinate, kNoFact, {}};
      member.totals = &totals.aggregates[a];
      aggregates_[a].add_member(std::move(member));
    }
  }

  void evaluate_group(std::span<const std::uint32_t> group, const std::vector<Value>& key) {
    const std::size_t stride = rule_.aggregates.size() + 1;
    for (SlidingAggregate& aggregate : aggregates_) aggregate.clear();
    triggers_.clear();
    const KeyTotals* seed = seed_totals(key);
    for (std::uint32_t e : group) {
      const Fact& fact = facts_.facts[entries_[e].fact];
      if (seed != nullptr && window_coordinate(rule_.window, fact) > seed_->coordinate) {
        add_seed_members(*seed);
        seed = nullptr;
      }
      const char* fact_flags = &flags_[e * stride];
      if (fact_flags[0]) triggers_.push_back(entries_[e].fact);
      bool context_set = false;
      for (std::size_t a = 0; a < aggregates_.size(); ++a) {
        if (!fact_flags[a + 1]) continue;
        AggregateMember member{window_coordinate(rule_.window, fact), entries_[e].fact, {}};
        if (const auto& argument = rule_.aggregates[a].argument) {
          if (!context_set) record_context(fact);
          context_set = true;
          member.value = argument->eval(context_);
        }
        aggregates_[a].add_member(std::move(member));
      }
    }
    if (seed != nullptr) add_seed_members(*seed);
    points_.clear();
    plan_evaluations(rule_.window, facts_, triggers_, points_);
    for (const EvaluationPoint& point : points_) {
      if (!in_range(point.time)) continue;  // later points slide past what this one skips
      for (SlidingAggregate& aggregate : aggregates_) aggregate.slide(point.lo, point.hi);
      evaluate(point, key);
    }
  }

  void evaluate(const EvaluationPoint& point, std::span<const Value> key) {
    context_.set_fact(facts_.facts[point.fact]);
    context_.set_window(point.has_window ? &point.window : nullptr);
    context_.set_aggregates(this);
    if (rule_.condition && !holds(rule_.condition, context_)) return;
    fire(point, key);
  }

  void fire(const EvaluationPoint& point, std::span<const Value> key) {
    Firing firing;
    firing.rule_id = rule_.id;
    firing.rule_version = rule_.version;
    firing.school_id = facts_.school != nullptr ? facts_.school->id : "";
    firing.level = rule_.level;
    for (const CompiledEscalation& step : rule_.escalate) {  // highest level first
      if (step.when && holds(step.when, context_)) {
        firing.level = std::max(firing.level, step.level);
        break;
      }
    }
    firing.time = point.time;
    firing.group_window_seconds = rule_.group_window_seconds;
    firing.message = rule_.message.render(context_);
    if (rule_.dedup.literals.empty()) {  // a rule built without a dedup template
      for (std::size_t i = 0; i < key.size(); ++i) {
        if (i > 0) firing.dedup_key += ':';
        firing.dedup_key += format_value(key[i]);
      }
    } else {
      firing.dedup_key = rule_.dedup.render(context_);
    }
    for (std::size_t a = 0; a < aggregates_.size(); ++a) {
      firing.values.emplace_back(rule_.aggregates[a].name, format_value(aggregates_[a].value()));
    }
    for (std::size_t i = 0; i < key.size(); ++i) {
      firing.values.emplace_back(key_name(i, key.size()), format_value(key[i]));
    }
    firing.evidence = evidence(point);
    firings_.push_back(std::move(firing));
  }

  std::vector<EvidenceRef> evidence(const EvaluationPoint& point) const {
    std::vector<std::uint32_t> sources{point.fact};
    if (rule_.evidence_window) {
      for (const SlidingAggregate& aggregate : aggregates_) aggregate.append_contributors(sources);
    }
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    std::vector<EvidenceRef> refs;
    for (std::uint32_t index : sources) {
      const Fact& fact = facts_.facts[index];
      refs.push_back({to_string(fact.kind), fact.id});
    }
    const Fact& trigger = facts_.facts[point.fact];
    refs.insert(refs.end(), trigger.day_debits.begin(), trigger.day_debits.end());
    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    return refs;
  }

  static constexpr std::uint32_t kNoFact = UINT32_MAX;  // a totals member's fact

  const CompiledRule& rule_;
  const SchoolFacts& facts_;
  const TimeRange& range_;
  std::vector<Firing>& firings_;
  const WindowSeed* seed_;
  FactContext context_;
  std::vector<SlidingAggregate> aggregates_;
  window::KeyGroups groups_;
  std::vector<Entry> entries_;
  std::vector<char> flags_;              // per entry: stride = aggregates + 1
  std::vector<Value> key_;               // scratch
  std::vector<std::uint32_t> triggers_;  // scratch, per key
  std::vector<EvaluationPoint> points_;  // scratch, per key
};

}  // namespace

namespace {

void sort_firings(std::vector<Firing>& firings) {
  std::stable_sort(firings.begin(), firings.end(), [](const Firing& a, const Firing& b) {
    return std::tie(a.time, a.rule_id, a.dedup_key) < std::tie(b.time, b.rule_id, b.dedup_key);
  });
}

}  // namespace

std::vector<Firing> evaluate_school(const CompiledPack& pack, const SchoolFacts& facts,
                                    const TimeRange& range) {
  const std::vector<TimeRange> ranges(pack.rules.size(), range);
  return evaluate_school(pack, facts, ranges);
}

std::vector<Firing> evaluate_school(const CompiledPack& pack, const SchoolFacts& facts,
                                    std::span<const TimeRange> rule_ranges) {
  return evaluate_school(pack, facts, rule_ranges, {});
}

std::vector<Firing> evaluate_school(const CompiledPack& pack, const SchoolFacts& facts,
                                    std::span<const TimeRange> rule_ranges,
                                    std::span<const WindowSeed* const> seeds) {
  std::vector<Firing> firings;
  for (std::size_t i = 0; i < pack.rules.size() && i < rule_ranges.size(); ++i) {
    const CompiledRule& rule = pack.rules[i];
    if (!rule.enabled || rule.sources == 0 || rule_ranges[i].from > rule_ranges[i].to) continue;
    const WindowSeed* seed = i < seeds.size() ? seeds[i] : nullptr;
    if (seed != nullptr && !totals_can_stand_in(rule)) {
      throw std::logic_error("window totals given for rule " + rule.id +
                             ", which cannot take them");
    }
    RuleEvaluation(rule, pack, facts, rule_ranges[i], firings, seed).run();
  }
  sort_firings(firings);
  return firings;
}

void day_totals(const CompiledPack& pack, const CompiledRule& rule, const SchoolFacts& facts,
                std::int64_t first_day, std::int64_t last_day, std::vector<DayTotals>& out) {
  std::vector<Firing> unused;
  RuleEvaluation(rule, pack, facts, TimeRange{}, unused)
      .collect_day_totals(first_day, last_day, out);
}

RuleReach rule_reach(const CompiledRule& rule) {
  constexpr std::int64_t kDay = 86400;
  switch (rule.window.kind) {
    case WindowKind::None:
      return {};
    case WindowKind::TumblingDay:  // fires at the day's last second
      return {kDay, 0};
    case WindowKind::Preceding:
      return {rule.window.seconds, 0};
    case WindowKind::Following:
      return {0, rule.window.seconds};
  }
  return {};
}

std::vector<bool> rules_taking_part(const CompiledPack& pack, const SchoolFacts& facts,
                                    const TimeRange& range) {
  std::vector<bool> taking_part(pack.rules.size(), false);
  std::vector<Firing> unused;
  for (std::size_t i = 0; i < pack.rules.size(); ++i) {
    const CompiledRule& rule = pack.rules[i];
    if (!rule.enabled || rule.sources == 0) continue;
    taking_part[i] = RuleEvaluation(rule, pack, facts, range, unused).any_takes_part();
  }
  return taking_part;
}

}  // namespace sfmon::rules
