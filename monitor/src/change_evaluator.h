#pragma once
// Works out the firings of one school that a change of its stored records can
// affect, reading the store through one connection (the per-rule reasoning is
// described in sfmon/monitor/rule_runner.h).

#include <cstdint>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/fact_builder.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon {

// Keeps its record and fact buffers between schools, so that their storage is
// reused: one school at a time per evaluator, one evaluator per thread. Reads
// the store; writes nothing.
class ChangeEvaluator {
 public:
  // Everything borrowed must outlive the evaluator. `horizon`: the pack's
  // longest window reach in seconds (RuleRunner::horizon()).
  ChangeEvaluator(SqliteDb& db, const rules::CompiledPack& pack,
                  const std::vector<rules::ListedParty>& listed, const Zone& zone,
                  std::int64_t horizon);

  // The firings of `school` that records changed in `span` (UTC seconds) can
  // affect, and per rule the span of event time they were judged over.
  ChangeEvaluation evaluate(const School& school, const ChangedSpan& span);

 private:
  struct Enrolment;
  // Replaces inputs.balances with the school's closing balances of the local
  // days around [from, to] (UTC seconds) and each account's latest before
  // them, all that facts of that span read.
  void load_balances_near(const School& school, std::int64_t from, std::int64_t to,
                          rules::FactInputs& inputs);
  bool has_reversal_since(const School& school, std::int64_t from);
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
  rules::FactInputs inputs_;
  rules::SchoolFacts facts_;
};

}  // namespace sfmon
