#include "sfmon/monitor/rule_runner.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "change_evaluator.h"
#include "in_order_judging.h"
#include "record_loader.h"
#include "sfmon/monitor/record_store.h"
#include "window_totals_store.h"

namespace sfmon {
namespace {

constexpr std::int64_t kDay = 86400;

// Adds one judged school: its firings and what merging them into alerts did.
void tally(RunSummary& summary, const std::vector<rules::Firing>& firings,
           const MergeSummary& merged) {
  summary.merged.new_firings += merged.new_firings;
  summary.merged.withdrawn_firings += merged.withdrawn_firings;
  summary.merged.new_alerts += merged.new_alerts;
  summary.merged.updated_alerts += merged.updated_alerts;
  summary.merged.withdrawn_alerts += merged.withdrawn_alerts;
  summary.firings += static_cast<int>(firings.size());
  for (const rules::Firing& firing : firings) ++summary.firings_per_rule[firing.rule_id];
  ++summary.schools;
}

}  // namespace

void EvaluationQueue::mark(const std::string& school_id, const ChangedSpan& span) {
  Statement& insert =
      db_.prepare("INSERT INTO evaluation_queue(school_id, from_utc, to_utc) VALUES (?1, ?2, ?3)");
  insert.bind_text(1, school_id).bind_int64(2, span.from).bind_int64(3, span.to).run();
}

namespace {

void widen(std::map<std::string, ChangedSpan>& spans, const std::string& school_id,
           std::int64_t from, std::int64_t to) {
  auto [it, inserted] = spans.try_emplace(school_id, ChangedSpan{from, to});
  it->second.from = std::min(it->second.from, from);
  it->second.to = std::max(it->second.to, to);
}

}  // namespace

void EvaluationQueue::mark(const BankFile& file, const Registry& registry, const Zone& zone) {
  std::map<std::string, ChangedSpan> spans;
  for (const BankStatement& statement : file.statements) {
    const School* school = registry.find_account_owner(statement.account);
    if (school == nullptr) continue;
    for (const BankRecord& record : statement.records) {
      widen(spans, school->id, record.booked_at.utc_seconds, record.booked_at.utc_seconds);
    }
    // A statement's balances matter to balance rules even without entries.
    for (const auto* balance : {&statement.opening, &statement.closing}) {
      if (!*balance) continue;
      const std::int64_t start = instant_from_date((*balance)->date, zone).utc_seconds;
      widen(spans, school->id, start, start + kDay - 1);
    }
  }
  for (const auto& [school_id, span] : spans) mark(school_id, span);
}

void EvaluationQueue::mark(const std::vector<FeeRecord>& records, const Registry& registry) {
  std::map<std::string, ChangedSpan> spans;
  for (const FeeRecord& record : records) {
    if (registry.find_school(record.school_id) == nullptr) continue;
    widen(spans, record.school_id, record.paid_at.utc_seconds, record.paid_at.utc_seconds);
  }
  for (const auto& [school_id, span] : spans) mark(school_id, span);
}

std::map<std::string, ChangedSpan> EvaluationQueue::pending() {
  std::map<std::string, ChangedSpan> spans;
  Statement& query = db_.prepare(
      "SELECT school_id, min(from_utc), max(to_utc) FROM evaluation_queue GROUP BY school_id "
      "ORDER BY school_id");
  while (query.step()) spans[query.column_text(0)] = {query.column_int64(1), query.column_int64(2)};
  return spans;
}

void EvaluationQueue::clear(const std::string& school_id) {
  db_.prepare("DELETE FROM evaluation_queue WHERE school_id = ?1").bind_text(1, school_id).run();
}

RuleRunner::RuleRunner(SqliteDb& db, const rules::CompiledPack& pack, const Registry& registry,
                       const std::vector<rules::ListedParty>& listed, const Zone& zone)
    : db_(db), pack_(pack), registry_(registry), listed_(listed), zone_(zone) {
  // A tumbling day spans up to a day plus the zone offset; one more day of
  // margin keeps window edges away from the loaded span.
  horizon_ = 2 * kDay;
  for (const rules::CompiledRule& rule : pack_.rules) {
    if (!rule.enabled) continue;
    horizon_ = std::max(horizon_, rule.window.seconds + kDay);
  }
  totals_basis_ =
      window_totals_basis(pack_, RecordStore(db_).registry_fingerprint().value_or(""), zone_);
}

RuleRunner::~RuleRunner() = default;

namespace {

// Judged schools are written in transactions of kSchoolsPerCommit each:
// every commit is an fsync, and a day's files (or a replay) touch most
// schools. The open batch rolls back if the run ends by an exception.
class SchoolBatches {
 public:
  explicit SchoolBatches(SqliteDb& db) : db_(db) {}

  // Around the writes of one school.
  void begin_school() {
    if (!transaction_) transaction_.emplace(db_);
  }
  void end_school() {
    if (++in_batch_ < kSchoolsPerCommit) return;
    transaction_->commit();
    transaction_.reset();
    in_batch_ = 0;
  }
  // Commits the last, partial batch.
  void finish() {
    if (transaction_) transaction_->commit();
    transaction_.reset();
  }

 private:
  static constexpr int kSchoolsPerCommit = 32;
  SqliteDb& db_;
  std::optional<Transaction> transaction_;
  int in_batch_ = 0;
};

}  // namespace

RunSummary RuleRunner::run_pending() {
  // Marks clear in the transaction that stores their alerts, so a crash
  // re-runs at most one batch and merges nothing twice.
  RunSummary summary;
  EvaluationQueue queue(db_);
  AlertStore alerts(db_);
  WindowTotalsStore totals(db_);
  const std::map<std::string, ChangedSpan> pending = queue.pending();
  std::vector<std::pair<const std::string*, const ChangedSpan*>> marks;
  marks.reserve(pending.size());
  for (const auto& [school_id, span] : pending) marks.emplace_back(&school_id, &span);
  // Schools are judged on two threads and written here in school order.
  const auto make_judge = [&](SqliteDb& db) {
    return [&marks, this,
            evaluator = ChangeEvaluator(db, pack_, listed_, zone_, horizon_, totals_basis_)](
               std::size_t i) mutable {
      const School* school = registry_.find_school(*marks[i].first);
      return school != nullptr ? std::optional(evaluator.evaluate(*school, *marks[i].second))
                               : std::nullopt;
    };
  };
  SchoolBatches batches(db_);
  const auto write = [&](std::size_t i, const std::optional<ChangeEvaluation>& evaluation) {
    const std::string& school_id = *marks[i].first;
    batches.begin_school();
    // The marked days' records changed, so their daily totals go, with the
    // marks. Until now nothing read them: they lie in the span just judged,
    // whose records evaluation always loads (and keeps totals of anew).
    totals.forget(school_id, marks[i].second->from, marks[i].second->to, zone_);
    // An unregistered school's marks go: its records are judged once it is
    // registered (the registry sync marks them).
    if (evaluation) {
      tally(summary, evaluation->firings,
            alerts.replace_firings(school_id, evaluation->spans, evaluation->firings));
      totals.write(school_id, totals_basis_, evaluation->totals);
      // Rows no later evaluation reads: older days and other bases. Without
      // a basis no totals are kept, nor read.
      if (!totals_basis_.empty()) {
        totals.prune(school_id, totals_basis_, evaluation->totals.first_day_kept);
      }
      summary.days_from_totals += evaluation->days_from_totals;
    }
    queue.clear(school_id);
    batches.end_school();
  };
  judge_in_order(db_, marks.size(), make_judge, write);
  batches.finish();
  return summary;
}

RunSummary RuleRunner::run_range(const std::vector<std::string>& school_ids, std::int64_t from,
                                 std::int64_t to, const std::string& result_set) {
  RunSummary summary;
  AlertStore alerts(db_);
  std::vector<const School*> schools;
  if (school_ids.empty()) {
    for (const School& school : registry_.schools) schools.push_back(&school);
  } else {
    for (const std::string& id : school_ids) {
      if (const School* school = registry_.find_school(id)) schools.push_back(school);
    }
  }
  // Replays judge exactly [from, to]; windows still see records around it.
  // Each thread reuses its records and facts from school to school, so the
  // large vectors and their strings are allocated once.
  struct Scratch {
    rules::FactInputs inputs;
    rules::SchoolFacts facts;
  };
  const auto make_judge = [&](SqliteDb& db) {
    return [&db, &schools, from, to, this, scratch = Scratch{}](std::size_t i) mutable {
      reload_school_records(db, *schools[i], from - horizon_, to + horizon_, kLoadAll,
                            scratch.inputs);
      rules::build_school_facts(*schools[i], scratch.inputs, listed_, zone_, scratch.facts);
      return rules::evaluate_school(pack_, scratch.facts, {from, to});
    };
  };
  // A crash mid-replay leaves a partial result set (a replay run is never
  // marked done), on a batch boundary rather than a school's.
  SchoolBatches batches(db_);
  const auto write = [&](std::size_t i, const std::vector<rules::Firing>& firings) {
    batches.begin_school();
    tally(summary, firings, alerts.replace_firings(schools[i]->id, from, to, firings, result_set));
    batches.end_school();
  };
  judge_in_order(db_, schools.size(), make_judge, write);
  batches.finish();
  return summary;
}

ChangeEvaluation RuleRunner::evaluate(const School& school, const ChangedSpan& span) {
  if (!evaluator_)
    evaluator_ =
        std::make_unique<ChangeEvaluator>(db_, pack_, listed_, zone_, horizon_, totals_basis_);
  return evaluator_->evaluate(school, span);
}

}  // namespace sfmon
