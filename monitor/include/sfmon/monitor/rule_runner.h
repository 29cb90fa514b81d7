#pragma once
// Runs the rule pack over stored records and merges what fires into alerts.
//
// Evaluation is a pure function of the stored records (rules/evaluator.h), so
// alerts do not depend on the order files arrived in. Ingest marks which
// schools and times changed (EvaluationQueue, committed with the records);
// the runner re-evaluates exactly the firings those records can affect — the
// changed span widened by the longest window of the pack on each side — and
// clears the marks in the same transaction as the alerts, so a crash at any
// point re-runs the work and merges nothing twice.

#include <cstdint>
#include <map>
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

struct RunSummary {
  int schools = 0;
  int firings = 0;
  MergeSummary merged;
  std::map<std::string, int> firings_per_rule;
};

class RuleRunner {
 public:
  // Everything borrowed must outlive the runner.
  RuleRunner(SqliteDb& db, const rules::CompiledPack& pack, const Registry& registry,
             const std::vector<rules::ListedParty>& listed, const Zone& zone);

  // Evaluates every school with pending marks; alerts go to the live set.
  RunSummary run_pending();

  // Evaluates `school_ids` (all registered schools when empty) over the
  // local days [from, to] into `result_set`, leaving the queue alone (replay).
  RunSummary run_range(const std::vector<std::string>& school_ids, std::int64_t from,
                       std::int64_t to, const std::string& result_set);

  // The longest look-back or look-ahead of any window in the pack, seconds.
  std::int64_t horizon() const { return horizon_; }

 private:
  std::vector<rules::Firing> evaluate(const School& school, const ChangedSpan& span);
  rules::FactInputs load_inputs(const School& school, std::int64_t from, std::int64_t to);

  SqliteDb& db_;
  const rules::CompiledPack& pack_;
  const Registry& registry_;
  const std::vector<rules::ListedParty>& listed_;
  Zone zone_;
  std::int64_t horizon_ = 0;
};

}  // namespace sfmon
