#pragma once
// Works out the firings of one school that a change of its stored records can
// affect, reading the store through one connection (the per-rule reasoning is
// described in sfmon/monitor/rule_runner.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/fact_builder.h"
#include "sfmon/rules/rule_pack.h"
#include "sfmon/rules/window_totals.h"
#include "window_totals_store.h"

namespace sfmon {

// Keeps its record and fact buffers between schools, so that their storage is
// reused: one school at a time per evaluator, one evaluator per thread. Reads
// the store; writes nothing.
class ChangeEvaluator {
 public:
  // Everything borrowed must outlive the evaluator. `horizon`: the pack's
  // longest window reach in seconds (RuleRunner::horizon()). `totals_basis`
  // (window_totals_basis()): daily totals of that basis stand in for the
  // records of whole days inside every judged window, and evaluations
  // return the totals of the days they loaded; empty: neither.
  ChangeEvaluator(SqliteDb& db, const rules::CompiledPack& pack,
                  const std::vector<rules::ListedParty>& listed, const Zone& zone,
                  std::int64_t horizon, std::string totals_basis = "");

  // The firings of `school` that records changed in `span` (UTC seconds) can
  // affect, and per rule the span of event time they were judged over.
  ChangeEvaluation evaluate(const School& school, const ChangedSpan& span);

 private:
  struct Enrolment;
  // Daily totals standing in for the local days [first_day, last_day] in
  // the window of pack rule `rule`.
  struct Seed {
    std::size_t rule = 0;
    std::int64_t first_day = 0;
    std::int64_t last_day = 0;
    rules::WindowSeed window;
  };
  // The seed for this evaluation, if the rule whose window reaches furthest
  // back can take one, every judged window holds a week or more of whole
  // days that nothing else loaded needs, and their totals are all stored.
  // `ranges` and `bank_needs` per pack rule: judged spans and bank records
  // needed (UTC seconds); `near_from`: where the other loads begin.
  std::optional<Seed> plan_seed(const School& school, const std::vector<rules::TimeRange>& ranges,
                                const std::vector<std::optional<rules::TimeRange>>& bank_needs,
                                std::int64_t near_from);
  // Adds to `update` the totals of every day loaded whole in `loaded` (UTC
  // seconds) from update.first_day_kept on, for each rule that keeps them, from
  // facts_; with `changed`, only of the local days of that span (the days
  // run_pending forgets).
  void keep_day_totals(std::vector<rules::TimeRange> loaded, WindowTotalsUpdate& update,
                       std::optional<ChangedSpan> changed = std::nullopt);
  std::int64_t local_day(std::int64_t time) const;  // UTC seconds → day in zone_
  std::int64_t day_start(std::int64_t day) const;   // its first second, UTC
  // Replaces inputs.balances with the school's closing balances of the local
  // days around [from, to] (UTC seconds) and each account's latest before
  // them, all that facts of that span read.
  void load_balances_near(const School& school, std::int64_t from, std::int64_t to,
                          rules::FactInputs& inputs);
  // When the school's latest booked reversal was booked (UTC seconds), if any.
  std::optional<std::int64_t> latest_booked_reversal(const School& school);
  // Whether the evaluated school has a booked reversal at or after `from`
  // (latest_reversal_, read once per evaluate()).
  bool reversal_since(std::int64_t from) const;
  // Adds the enrolment of the students of `fees` not in `enrolment` yet, and
  // the span of their records that inherit an enrolment `span` moved.
  void load_enrolment(const School& school, const ChangedSpan& span,
                      const std::vector<FeeRecord>& fees, Enrolment& enrolment);
  std::int64_t next_closing_after(const School& school, std::int64_t time);
  std::int64_t last_closing_before(const School& school, std::int64_t time);

  SqliteDb& db_;
  const rules::CompiledPack& pack_;
  const std::vector<rules::ListedParty>& listed_;
  Zone zone_;
  std::int64_t horizon_ = 0;
  std::string totals_basis_;
  WindowTotalsStore totals_;
  std::optional<std::int64_t> latest_reversal_;  // of the school being evaluated
  rules::FactInputs inputs_;
  rules::SchoolFacts facts_;
};

// The first local day (days since 1970-01-01 in `zone`) whose daily totals
// a school keeps after run_pending judged its changes up to `judged_to` (UTC
// seconds, the end of the marked span): ChangeEvaluator::plan_seed() asks
// no later change for an earlier day. INT64_MAX when no enabled rule of
// `pack` takes totals, so that none is kept.
std::int64_t first_totals_day_to_keep(const rules::CompiledPack& pack, const Zone& zone,
                                      std::int64_t judged_to);

}  // namespace sfmon
