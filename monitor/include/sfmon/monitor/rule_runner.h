#pragma once
// Runs the rule pack over stored records and merges what fires into alerts.
//
// Evaluation is a pure function of the stored records (rules/evaluator.h), so
// alerts do not depend on the order files arrived in. Ingest marks which
// schools and times changed (EvaluationQueue, committed with the records);
// the runner re-evaluates exactly the firings those records can affect, and
// clears the marks in the same transaction as the alerts, so a crash at any
// point re-runs the work and merges nothing twice.
//
// What a change at [a, b] can affect is worked out per rule (run_pending):
// - a rule no fact of [a, b] takes part in (its `where` or an aggregate's
//   filter) keeps its firings, unless it reads closing_balance();
// - otherwise the rule is re-judged over [a - after, b + before] (its
//   RuleReach: window look-ahead and look-back) plus two days for local-day
//   rounding, reading the facts its window needs around that;
// - a rule reading closing_balance() is re-judged up to the next known
//   supervised closing balance after b, which ends the changed balances'
//   influence, and sees the latest closing balance before what it loads.
//   Its reads are taken to lie within its window plus two days before the
//   judged record (FUND-DRAIN reads the day before t - 7 days).
// Only the union of the rules' load spans is read from the store.
// Derived fields that are not local in time are kept exact: enrolment
// dates come from every stored fee record of the student, a student whose
// earlier enrolment arrives has their other records re-judged, and a school
// with a booked reversal at or after a is evaluated over its whole history
// (a reversal may cancel an entry of any earlier time). A reversal booked
// before the entry it names is matched only when both are loaded.
//
// Daily totals: a look-back rule whose aggregates are counts, sums and
// exact moments (FUND-ANOMALY's 90-day baseline; rules/window_totals.h)
// would read back its whole window for one new day. Every evaluation keeps,
// per local day it loaded whole, the totals of what that rule's aggregates
// take (window_totals_store.h), and the next evaluation reads the days that
// every judged window covers whole as one total instead of their records,
// when those days are a week or more, nothing else judged needs them, all
// their totals are stored under the current pack, registry and zone, and no
// reversal is booked since the window's earliest record (bank facts are
// then derived from their own record alone). Firings are the same either
// way; the incremental tests check that, and that every stored total is
// the one the full history gives.

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/fee_record.h"
#include "sfmon/model/registry.h"
#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/evaluator.h"
#include "sfmon/rules/fact_builder.h"
#include "sfmon/rules/rule_pack.h"
#include "sfmon/rules/window_totals.h"

namespace sfmon {

// A span of event time (UTC seconds, inclusive) whose records changed.
struct ChangedSpan {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

// Marks of what needs evaluation, durable in the store.
class EvaluationQueue {
 public:
  explicit EvaluationQueue(SqliteDb& db) : db_(db) {}
  // Call inside the transaction that stores the records.
  void mark(const std::string& school_id, const ChangedSpan& span);
  // The spans of event time `file` / `records` touch, per registered school
  // (records of unregistered accounts or schools are judged once registered).
  void mark(const BankFile& file, const Registry& registry, const Zone& zone);
  void mark(const std::vector<FeeRecord>& records, const Registry& registry);
  // Pending marks per school, merged into one span each.
  std::map<std::string, ChangedSpan> pending();
  void clear(const std::string& school_id);

 private:
  SqliteDb& db_;
};

// Daily totals of windowed rules that an evaluation computed for one school
// (monitor/src/window_totals_store.h keeps them), for its writer to store.
struct WindowTotalsUpdate {
  // Drop every total of the school first: its facts may have changed
  // anywhere (a reversal was judged).
  bool forget_all = false;
  // The school's first local day whose totals are kept after this update
  // (first_totals_day_to_keep); earlier days are pruned. The default prunes
  // none.
  std::int64_t first_day_kept = std::numeric_limits<std::int64_t>::min();
  struct RuleDays {
    std::string rule_id;
    std::vector<rules::DayTotals> days;
  };
  std::vector<RuleDays> rules;
};

// The firings of a school that a change of its records can affect, and per
// rule the span of event time they were judged over (rules that cannot
// change are left out), and the daily totals worked out on the way.
struct ChangeEvaluation {
  std::vector<rules::Firing> firings;
  std::vector<RuleSpan> spans;
  WindowTotalsUpdate totals;
  // Local days whose records were not read because daily totals stood in.
  std::int64_t days_from_totals = 0;
};

struct RunSummary {
  int schools = 0;
  int firings = 0;
  MergeSummary merged;
  std::map<std::string, int> firings_per_rule;
  std::int64_t days_from_totals = 0;  // see ChangeEvaluation
};

class ChangeEvaluator;

class RuleRunner {
 public:
  // Everything borrowed must outlive the runner. Daily totals of windowed
  // rules are used and kept when the pack has a source digest and the store
  // a synced registry (window_totals_store.h).
  RuleRunner(SqliteDb& db, const rules::CompiledPack& pack, const Registry& registry,
             const std::vector<rules::ListedParty>& listed, const Zone& zone);
  ~RuleRunner();
  RuleRunner(const RuleRunner&) = delete;
  RuleRunner& operator=(const RuleRunner&) = delete;

  // Evaluates every school with pending marks; alerts go to the live set.
  // Schools are judged as evaluate() does, on two threads with a file store
  // (a second, read-only use of a connection of its own); alerts are written
  // on this one, in school order.
  RunSummary run_pending();

  // Evaluates `school_ids` (all registered schools when empty) over the
  // local days [from, to] into `result_set`, leaving the queue alone (replay).
  // Judged on two threads and written in order, as run_pending.
  RunSummary run_range(const std::vector<std::string>& school_ids, std::int64_t from,
                       std::int64_t to, const std::string& result_set);

  // The longest look-back or look-ahead of any window in the pack, seconds
  // (what replays load around their period).
  std::int64_t horizon() const { return horizon_; }

  // The firings of `school` that records changed in `span` can affect (see
  // ChangeEvaluation). Reads the store; writes nothing. Reuses the runner's
  // record and fact buffers: one school at a time per runner.
  using Evaluation = ChangeEvaluation;
  Evaluation evaluate(const School& school, const ChangedSpan& span);

 private:
  SqliteDb& db_;
  const rules::CompiledPack& pack_;
  const Registry& registry_;
  const std::vector<rules::ListedParty>& listed_;
  Zone zone_;
  std::int64_t horizon_ = 0;
  std::string totals_basis_;  // empty: no daily totals
  // evaluate()'s, made when first used.
  std::unique_ptr<ChangeEvaluator> evaluator_;
};

}  // namespace sfmon
