#include "sfmon/monitor/rule_runner.h"

#include <algorithm>

namespace sfmon {
namespace {

constexpr std::int64_t kDay = 86400;

std::optional<Date> date_or_null(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parse_iso_date(*text);
}

void add(MergeSummary& total, const MergeSummary& more) {
  total.new_firings += more.new_firings;
  total.withdrawn_firings += more.withdrawn_firings;
  total.new_alerts += more.new_alerts;
  total.updated_alerts += more.updated_alerts;
  total.withdrawn_alerts += more.withdrawn_alerts;
}

CounterpartyClass class_from_text(const std::string& text) {
  if (text == "person") return CounterpartyClass::Person;
  if (text == "organisation") return CounterpartyClass::Organisation;
  return CounterpartyClass::Unknown;
}

}  // namespace

void EvaluationQueue::mark(const std::string& school_id, const ChangedSpan& span) {
  Statement& insert = db_.prepare(
      "INSERT INTO evaluation_queue(school_id, from_utc, to_utc) VALUES (?1, ?2, ?3)");
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
}

RunSummary RuleRunner::run_pending() {
  RunSummary summary;
  EvaluationQueue queue(db_);
  AlertStore alerts(db_);
  for (const auto& [school_id, span] : queue.pending()) {
    Transaction transaction(db_);
    const School* school = registry_.find_school(school_id);
    if (school != nullptr) {
      // A record at t can change firings in [t - H, t + H].
      const std::int64_t from = span.from - horizon_;
      const std::int64_t to = span.to + horizon_;
      const std::vector<rules::Firing> firings = evaluate(*school, span);
      add(summary.merged, alerts.replace_firings(school_id, from, to, firings));
      summary.firings += static_cast<int>(firings.size());
      for (const rules::Firing& firing : firings) ++summary.firings_per_rule[firing.rule_id];
      ++summary.schools;
    }
    queue.clear(school_id);
    transaction.commit();
  }
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
  for (const School* school : schools) {
    // Replays judge exactly [from, to]; windows still see records around it.
    rules::FactInputs inputs = load_inputs(*school, from - horizon_, to + horizon_);
    const rules::SchoolFacts facts = rules::build_school_facts(*school, inputs, listed_, zone_);
    const std::vector<rules::Firing> firings = rules::evaluate_school(pack_, facts, {from, to});
    add(summary.merged, alerts.replace_firings(school->id, from, to, firings, result_set));
    summary.firings += static_cast<int>(firings.size());
    for (const rules::Firing& firing : firings) ++summary.firings_per_rule[firing.rule_id];
    ++summary.schools;
  }
  return summary;
}

std::vector<rules::Firing> RuleRunner::evaluate(const School& school, const ChangedSpan& span) {
  // Judging the firings in [t - H, t + H] needs the records in [t - 2H, t + 2H].
  rules::FactInputs inputs = load_inputs(school, span.from - 2 * horizon_, span.to + 2 * horizon_);
  const rules::SchoolFacts facts = rules::build_school_facts(school, inputs, listed_, zone_);
  return rules::evaluate_school(pack_, facts, {span.from - horizon_, span.to + horizon_});
}

rules::FactInputs RuleRunner::load_inputs(const School& school, std::int64_t from, std::int64_t to) {
  rules::FactInputs inputs;
  Statement& bank = db_.prepare(
      "SELECT b.account, b.bank_ref, b.ref_is_hash, b.booked_at_utc, b.booked_at_offset, "
      "b.booked_at_date_only, b.value_date, b.amount_fen, b.currency, b.status, b.reversal, "
      "b.reversal_of, b.cp_name, b.cp_account, b.cp_bank, b.cp_class, b.purpose, b.tx_code, "
      "b.balance_after_fen, b.source_file, b.source_position "
      "FROM bank_records b JOIN accounts a ON a.number = b.account "
      "WHERE a.school_id = ?1 AND b.booked_at_utc BETWEEN ?2 AND ?3 ORDER BY b.booked_at_utc, b.id");
  bank.bind_text(1, school.id).bind_int64(2, from).bind_int64(3, to);
  while (bank.step()) {
    BankRecord record;
    record.account = bank.column_text(0);
    record.bank_ref = bank.column_text(1);
    record.ref_is_hash = bank.column_bool(2);
    record.booked_at = Instant{bank.column_int64(3), static_cast<int>(bank.column_int64(4)),
                               bank.column_bool(5)};
    record.value_date = date_or_null(bank.column_text_or_null(6));
    record.amount_fen = bank.column_int64(7);
    record.currency = bank.column_text(8);
    record.status = bank.column_text(9) == "pending" ? EntryStatus::Pending : EntryStatus::Booked;
    record.reversal = bank.column_bool(10);
    record.reversal_of = bank.column_text(11);
    record.counterparty.name = bank.column_text(12);
    record.counterparty.account = bank.column_text(13);
    record.counterparty.bank = bank.column_text(14);
    record.counterparty.cls = class_from_text(bank.column_text(15));
    record.purpose = bank.column_text(16);
    record.tx_code = bank.column_text(17);
    record.balance_after_fen = bank.column_int64_or_null(18);
    record.source = SourcePosition{bank.column_text(19), bank.column_text(20)};
    inputs.bank.push_back(std::move(record));
  }
  Statement& fees = db_.prepare(
      "SELECT fee_id, student_id, paid_at_utc, paid_at_offset, paid_at_date_only, amount_fen, "
      "currency, fee_type, grade, period_start, period_end, hours, receiving_account, refund_of, "
      "enrolled_at, source_file, source_position FROM fee_records "
      "WHERE school_id = ?1 AND paid_at_utc BETWEEN ?2 AND ?3 ORDER BY paid_at_utc, id");
  fees.bind_text(1, school.id).bind_int64(2, from).bind_int64(3, to);
  while (fees.step()) {
    FeeRecord record;
    record.school_id = school.id;
    record.fee_id = fees.column_text(0);
    record.student_id = fees.column_text(1);
    record.paid_at = Instant{fees.column_int64(2), static_cast<int>(fees.column_int64(3)),
                             fees.column_bool(4)};
    record.amount_fen = fees.column_int64(5);
    record.currency = fees.column_text(6);
    record.fee_type = fees.column_text(7);
    record.grade = fees.column_text(8);
    record.period_start = date_or_null(fees.column_text_or_null(9));
    record.period_end = date_or_null(fees.column_text_or_null(10));
    record.hours = fees.column_double_or_null(11);
    record.receiving_account = fees.column_text(12);
    record.refund_of = fees.column_text(13);
    record.enrolled_at = date_or_null(fees.column_text_or_null(14));
    record.source = SourcePosition{fees.column_text(15), fees.column_text(16)};
    inputs.fees.push_back(std::move(record));
  }
  // Balances are few; all of them, so "the latest earlier balance" is known.
  Statement& balances = db_.prepare(
      "SELECT b.account, b.date, b.amount_fen FROM balances b JOIN accounts a "
      "ON a.number = b.account WHERE a.school_id = ?1 AND b.type = 'closing' ORDER BY b.date");
  balances.bind_text(1, school.id);
  while (balances.step()) {
    const auto date = parse_iso_date(balances.column_text(1));
    if (!date) continue;
    inputs.balances.push_back(rules::StoredBalance{balances.column_text(0), *date, balances.column_int64(2)});
  }
  return inputs;
}

}  // namespace sfmon
