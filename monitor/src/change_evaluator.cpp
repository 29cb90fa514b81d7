#include "change_evaluator.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "record_loader.h"
#include "sfmon/model/name_normaliser.h"

namespace sfmon {
namespace {

constexpr std::int64_t kDay = 86400;
// Margin around every span for local-day rounding: a record changes the
// balance fact at the end of its local day and the tumbling day it falls in.
constexpr std::int64_t kDayMargin = 2 * kDay;
// "Since forever" / "for ever after": far enough out that adding or
// subtracting spans cannot overflow.
constexpr std::int64_t kEarliest = -(std::int64_t{1} << 52);
constexpr std::int64_t kLatest = std::int64_t{1} << 52;

std::int64_t bounded(std::int64_t time) {
  return std::clamp(time, kEarliest, kLatest);
}

// Seeding a window with fewer days of totals saves less than the lookup costs.
constexpr std::int64_t kMinSeedDays = 7;

}  // namespace

ChangeEvaluator::ChangeEvaluator(SqliteDb& db, const rules::CompiledPack& pack,
                                 const std::vector<rules::ListedParty>& listed, const Zone& zone,
                                 std::int64_t horizon, std::string totals_basis)
    : db_(db),
      pack_(pack),
      listed_(listed),
      zone_(zone),
      horizon_(horizon),
      totals_basis_(std::move(totals_basis)),
      totals_(db) {}

std::int64_t ChangeEvaluator::local_day(std::int64_t time) const {
  return local_day_of(time, zone_);
}

std::int64_t ChangeEvaluator::day_start(std::int64_t day) const {
  return day * kDay - zone_.offset_minutes * std::int64_t{60};
}

struct ChangeEvaluator::Enrolment {
  // Student → earliest enrolled_at of any of their records, for the students
  // looked up (those with no enrolment anywhere are left out).
  std::map<std::string, Date> earliest;
  std::set<std::string> looked_up;
  // Records that take their enrolment from other records and whose students'
  // earliest enrolment the changed records may have moved: a span to re-judge.
  std::optional<ChangedSpan> inheritors;
};

ChangeEvaluation ChangeEvaluator::evaluate(const School& school, const ChangedSpan& span) {
  ChangedSpan changed{bounded(span.from), bounded(span.to)};
  // Of the change as marked, before a reversal widens it to the whole history.
  const std::int64_t first_day_kept = first_totals_day_to_keep(pack_, zone_, changed.to);
  // A reversal can cancel an entry of any earlier time, and an entry can
  // become the match of any later reversal: with one in play, the whole
  // history is judged again (and no daily totals are trusted or kept).
  latest_reversal_ = latest_booked_reversal(school);
  const bool whole_history = reversal_since(changed.from);
  if (whole_history) changed = {kEarliest, kLatest};

  // The facts of the changed span first, to see which rules they take part in.
  std::int64_t loaded_from = bounded(changed.from - kDayMargin);
  std::int64_t loaded_to = bounded(changed.to + 2 * kDayMargin);
  // The evaluator's records and facts, reused from school to school: the
  // vectors and their strings are allocated (and their pages faulted in)
  // once per run. Balances are loaded below.
  rules::FactInputs& inputs = inputs_;
  reload_school_records(db_, school, loaded_from, loaded_to, kLoadBank | kLoadFees, inputs);
  // Enrolment dates come from other records: wanted when a loaded record has
  // none of its own, or a changed one gives one (it may be the student's
  // earliest, which their other records inherit).
  const auto wants_enrolment = [&](const rules::FactInputs& loaded) {
    return std::any_of(loaded.fees.begin(), loaded.fees.end(), [&](const FeeRecord& fee) {
      if (fee.student_id.empty()) return false;
      const std::int64_t paid = fee.paid_at.utc_seconds;
      return !fee.enrolled_at || (paid >= changed.from && paid <= changed.to);
    });
  };
  // Every record of the changed span is loaded, so its students are looked
  // up now, and with them every student whose enrolment the change can move.
  std::optional<Enrolment> enrolment;
  if (wants_enrolment(inputs)) {
    enrolment.emplace();
    load_enrolment(school, changed, inputs.fees, *enrolment);
    if (enrolment->inheritors &&
        (enrolment->inheritors->from < changed.from || enrolment->inheritors->to > changed.to)) {
      // Records far from the change inherit the student's new enrolment:
      // judge them too, from the start.
      return evaluate(school, ChangedSpan{std::min(changed.from, enrolment->inheritors->from),
                                          std::max(changed.to, enrolment->inheritors->to)});
    }
    inputs.enrolment = enrolment->earliest;
  }
  load_balances_near(school, loaded_from, loaded_to, inputs);
  const rules::TimeRange changed_facts{changed.from, bounded(changed.to + kDayMargin)};
  rules::SchoolFacts& facts = facts_;
  rules::build_school_facts(school, inputs, listed_, zone_, facts);
  const std::vector<bool> taking_part = rules::rules_taking_part(pack_, facts, changed_facts);

  bool any_reads_closing = false;
  for (const rules::CompiledRule& rule : pack_.rules) {
    any_reads_closing = any_reads_closing || (rule.enabled && rule.reads_closing_balance);
  }
  // Changed closing balances hold until the next known one.
  const std::int64_t closing_changed_to =
      any_reads_closing ? std::max(changed.to, next_closing_after(school, changed.to)) : changed.to;

  ChangeEvaluation evaluation;
  evaluation.totals.forget_all = whole_history;
  evaluation.totals.first_day_kept = first_day_kept;
  std::vector<rules::TimeRange> ranges(pack_.rules.size(), rules::TimeRange{1, 0});
  // What the judged rules need loaded, per kind of record: bank records feed
  // bank and balance facts; fee records only fee facts (their one input from
  // other times, the enrolment date, is loaded whole above).
  rules::TimeRange need_bank{loaded_from, loaded_to};
  rules::TimeRange need_fees{loaded_from, loaded_to};
  std::vector<std::optional<rules::TimeRange>> bank_needs(pack_.rules.size());
  // Stored balances feed balance facts and closing_balance(): from the
  // earliest day a judged rule over balance facts needs (closing_balance()
  // readers are added below), not from the earliest bank record loaded.
  std::int64_t balances_from = loaded_from;
  bool closing_rule_judged = false;
  for (std::size_t i = 0; i < pack_.rules.size(); ++i) {
    const rules::CompiledRule& rule = pack_.rules[i];
    if (!rule.enabled || rule.sources == 0) {
      // A rule switched off withdraws its firings around the change, as
      // every rule's did before spans were per rule.
      evaluation.spans.push_back(
          RuleSpan{rule.id, bounded(changed.from - horizon_), bounded(changed.to + horizon_)});
      continue;
    }
    if (!taking_part[i] && !rule.reads_closing_balance) continue;
    const rules::RuleReach reach = rules::rule_reach(rule);
    const std::int64_t changed_to = rule.reads_closing_balance ? closing_changed_to : changed.to;
    rules::TimeRange judged{bounded(changed.from - reach.after - kDayMargin),
                            bounded(changed_to + reach.before + kDayMargin)};
    ranges[i] = judged;
    evaluation.spans.push_back(RuleSpan{rule.id, judged.from, judged.to});
    const rules::TimeRange need{bounded(judged.from - reach.before - kDayMargin),
                                bounded(judged.to + reach.after + kDayMargin)};
    for (auto [mask, kind] : {std::pair{rules::kBankFacts | rules::kBalanceFacts, &need_bank},
                              std::pair{unsigned{rules::kFeeFacts}, &need_fees}}) {
      if ((rule.sources & mask) == 0) continue;
      kind->from = std::min(kind->from, need.from);
      kind->to = std::max(kind->to, need.to);
    }
    if ((rule.sources & (rules::kBankFacts | rules::kBalanceFacts)) != 0) bank_needs[i] = need;
    if ((rule.sources & rules::kBalanceFacts) != 0)
      balances_from = std::min(balances_from, need.from);
    closing_rule_judged = closing_rule_judged || rule.reads_closing_balance;
  }
  if (std::all_of(ranges.begin(), ranges.end(),
                  [](const rules::TimeRange& range) { return range.from > range.to; })) {
    if (!whole_history) keep_day_totals({{loaded_from, loaded_to}}, evaluation.totals);
    return evaluation;
  }
  // closing_balance() may fall back to the latest known balance before
  // what its rules load.
  std::int64_t closing_from = kLatest;
  if (closing_rule_judged) {
    for (std::size_t i = 0; i < pack_.rules.size(); ++i) {
      if (pack_.rules[i].reads_closing_balance && bank_needs[i]) {
        closing_from = std::min(closing_from, bank_needs[i]->from);
      }
    }
    if (closing_from == kLatest) closing_from = need_bank.from;  // balance facts only
    closing_from = last_closing_before(school, closing_from);
    need_bank.from = std::min(need_bank.from, closing_from);
    balances_from = std::min(balances_from, closing_from);
  }

  // Records after the changed span first: the latest of them bounds the
  // judged points, and so which days every judged window covers whole.
  bool loaded_more = false;
  if (need_bank.to > loaded_to)
    load_school_records(db_, school, loaded_to + 1, need_bank.to, kLoadBank, inputs);
  if (need_fees.to > loaded_to)
    load_school_records(db_, school, loaded_to + 1, need_fees.to, kLoadFees, inputs);
  loaded_more = need_bank.to > loaded_to || need_fees.to > loaded_to;
  std::optional<Seed> seed;
  if (!whole_history && !totals_basis_.empty()) {
    seed = plan_seed(school, ranges, bank_needs, std::min(loaded_from, closing_from));
  }
  // The bank records before the changed span, less the seed's days.
  std::vector<rules::TimeRange> bank_loads;
  if (seed) {
    bank_loads = {{need_bank.from, day_start(seed->first_day) - 1},
                  {day_start(seed->last_day + 1), loaded_from - 1}};
  } else {
    bank_loads = {{need_bank.from, loaded_from - 1}};
  }
  for (const rules::TimeRange& range : bank_loads) {
    if (range.from > range.to) continue;
    load_school_records(db_, school, range.from, range.to, kLoadBank, inputs);
    loaded_more = true;
  }
  if (need_fees.from < loaded_from) {
    load_school_records(db_, school, need_fees.from, loaded_from - 1, kLoadFees, inputs);
    loaded_more = true;
  }
  if (loaded_more) {
    // The students of the records loaded now (none of them paid in the
    // changed span, so they add no inheritors).
    if (!enrolment && wants_enrolment(inputs)) enrolment.emplace();
    if (enrolment) {
      load_enrolment(school, changed, inputs.fees, *enrolment);
      inputs.enrolment = enrolment->earliest;
    }
    load_balances_near(school, balances_from, std::max(need_bank.to, loaded_to), inputs);
    rules::build_school_facts(school, inputs, listed_, zone_, facts);
  }
  if (seed) {
    std::vector<const rules::WindowSeed*> seeds(pack_.rules.size(), nullptr);
    seeds[seed->rule] = &seed->window;
    try {
      evaluation.firings = rules::evaluate_school(pack_, facts, ranges, seeds);
      evaluation.days_from_totals = seed->last_day - seed->first_day + 1;
    } catch (const rules::SeedOverflow&) {
      // Statistics beyond 128 bits: judge from every fact, as without totals.
      load_school_records(db_, school, day_start(seed->first_day),
                          day_start(seed->last_day + 1) - 1, kLoadBank, inputs);
      rules::build_school_facts(school, inputs, listed_, zone_, facts);
      evaluation.firings = rules::evaluate_school(pack_, facts, ranges);
      seed.reset();
      bank_loads = {{need_bank.from, loaded_from - 1}};
    }
  } else {
    evaluation.firings = rules::evaluate_school(pack_, facts, ranges);
  }
  if (!whole_history && !totals_basis_.empty()) {
    // Totals of the whole days of the loaded records (the seed's days are
    // not loaded and keep theirs). A seed found every day of the window
    // stored, so only the changed days (forgotten when this is written) are
    // new; without one, all are kept, which also fills in missing days.
    std::vector<rules::TimeRange> loaded{{loaded_from, std::max(loaded_to, need_bank.to)}};
    for (const rules::TimeRange& range : bank_loads) {
      if (range.from <= range.to) loaded.push_back(range);
    }
    keep_day_totals(std::move(loaded), evaluation.totals,
                    seed ? std::optional(changed) : std::nullopt);
  }
  return evaluation;
}

std::optional<ChangeEvaluator::Seed> ChangeEvaluator::plan_seed(
    const School& school, const std::vector<rules::TimeRange>& ranges,
    const std::vector<std::optional<rules::TimeRange>>& bank_needs, std::int64_t near_from) {
  // The rule whose window reaches furthest back decides what is loaded; only
  // its window is seeded, every other judged rule must not need those days.
  std::optional<std::size_t> seeded;
  for (std::size_t i = 0; i < pack_.rules.size(); ++i) {
    if (!bank_needs[i]) continue;
    if (!seeded || bank_needs[i]->from < bank_needs[*seeded]->from) seeded = i;
  }
  if (!seeded || !rules::totals_can_stand_in(pack_.rules[*seeded])) return std::nullopt;
  const rules::CompiledRule& rule = pack_.rules[*seeded];
  const rules::TimeRange& judged = ranges[*seeded];
  // Judged points lie at facts: none after the latest loaded record.
  std::int64_t latest = kEarliest;
  for (const BankRecord& record : inputs_.bank) {
    latest = std::max(latest, record.booked_at.utc_seconds);
  }
  const std::int64_t last_point = std::min(judged.to, latest);
  if (last_point < judged.from) return std::nullopt;
  // Whole local days inside [t - W + 1, t - 1] for every judged point t, in
  // every closure of the window (so they never enter or leave), and before
  // everything loaded for the change and the other rules.
  for (std::size_t i = 0; i < pack_.rules.size(); ++i) {
    if (i != *seeded && bank_needs[i]) near_from = std::min(near_from, bank_needs[i]->from);
  }
  Seed seed;
  seed.rule = *seeded;
  seed.first_day = local_day(last_point - rule.window.seconds) + 1;
  seed.last_day = std::min(local_day(judged.from), local_day(near_from)) - 1;
  if (seed.last_day - seed.first_day + 1 < kMinSeedDays) return std::nullopt;
  // Bank facts are derived from their own record, except that a reversal
  // cancels another: with none booked since the window's earliest record,
  // the facts of every loaded day match those the totals were made from.
  if (reversal_since(bank_needs[*seeded]->from)) return std::nullopt;
  if (!totals_.sum_days(school.id, rule.id, rule.aggregates.size(), totals_basis_, seed.first_day,
                        seed.last_day, seed.window.keys)) {
    return std::nullopt;
  }
  seed.window.coordinate = day_start(seed.first_day);
  return seed;
}

std::int64_t first_totals_day_to_keep(const rules::CompiledPack& pack, const Zone& zone,
                                      std::int64_t judged_to) {
  std::optional<std::int64_t> longest;  // window of the rules that take totals, seconds
  for (const rules::CompiledRule& rule : pack.rules) {
    if (rule.enabled && rules::totals_can_stand_in(rule)) {
      longest = std::max(longest.value_or(0), rule.window.seconds);
    }
  }
  if (!longest) return std::numeric_limits<std::int64_t>::max();
  // plan_seed() seeds a look-back window W (reach.after = 0) from day
  // local_day(last_point - W) + 1, and its last judged point is at least
  // judged.from = change - kDayMargin. So a change at or after `judged_to`
  // never asks for a day before local_day(judged_to - kDayMargin - W) + 1.
  // kSpareDays more are kept for a change up to a week older (a statement
  // that comes after a weekend or a holiday), at 7 rows per school. An older
  // change may find days missing and is judged from its records: slower, but
  // exact, and its evaluation stores their totals again.
  constexpr std::int64_t kSpareDays = 7;
  return local_day_of(bounded(judged_to) - kDayMargin - *longest, zone) + 1 - kSpareDays;
}

void ChangeEvaluator::keep_day_totals(std::vector<rules::TimeRange> loaded,
                                      WindowTotalsUpdate& update,
                                      std::optional<ChangedSpan> changed) {
  std::vector<const rules::CompiledRule*> rules;
  for (const rules::CompiledRule& rule : pack_.rules) {
    if (rule.enabled && rules::totals_can_stand_in(rule)) rules.push_back(&rule);
  }
  if (rules.empty() || facts_.facts.empty()) return;
  // Adjacent loads make one span: a day across their border is whole too.
  std::sort(loaded.begin(), loaded.end(),
            [](const rules::TimeRange& a, const rules::TimeRange& b) { return a.from < b.from; });
  std::vector<rules::TimeRange> spans;
  for (const rules::TimeRange& range : loaded) {
    if (!spans.empty() && range.from <= spans.back().to + 1) {
      spans.back().to = std::max(spans.back().to, range.to);
    } else {
      spans.push_back(range);
    }
  }
  // See plan_seed(): without reversals, loaded days have their own facts.
  if (reversal_since(spans.front().from)) return;
  // Days before the first fact or after the last stay unwritten (records
  // arriving for them would forget them anyway, but they would churn).
  std::int64_t first_fact_day = facts_.facts.front().day;
  std::int64_t last_fact_day = first_fact_day;
  for (const rules::Fact& fact : facts_.facts) {
    first_fact_day = std::min(first_fact_day, fact.day);
    last_fact_day = std::max(last_fact_day, fact.day);
  }
  if (changed) {
    first_fact_day = std::max(first_fact_day, local_day(changed->from));
    last_fact_day = std::min(last_fact_day, local_day(changed->to));
  }
  // Nor days run_pending prunes right after writing (a year's ingest would
  // write about three of every four days only to delete them).
  first_fact_day = std::max(first_fact_day, update.first_day_kept);
  for (const rules::CompiledRule* rule : rules) {
    WindowTotalsUpdate::RuleDays days{rule->id, {}};
    for (const rules::TimeRange& span : spans) {
      // Only days loaded whole.
      const std::int64_t first = std::max(local_day(span.from - 1) + 1, first_fact_day);
      const std::int64_t last = std::min(local_day(span.to + 1) - 1, last_fact_day);
      if (first <= last) rules::day_totals(pack_, *rule, facts_, first, last, days.days);
    }
    if (!days.days.empty()) update.rules.push_back(std::move(days));
  }
}

std::optional<std::int64_t> ChangeEvaluator::latest_booked_reversal(const School& school) {
  // A seek per account in bank_records_reversals (booked reversals only).
  Statement& query = db_.prepare(
      "SELECT max(b.booked_at_utc) FROM bank_records b JOIN accounts a ON a.number = b.account "
      "WHERE a.school_id = ?1 AND b.reversal = 1 AND b.status = 'booked'");
  ResetGuard guard(query);
  query.bind_text(1, school.id);
  return query.step() ? query.column_int64_or_null(0) : std::nullopt;
}

bool ChangeEvaluator::reversal_since(std::int64_t from) const {
  return latest_reversal_ && *latest_reversal_ >= from;
}

void ChangeEvaluator::load_enrolment(const School& school, const ChangedSpan& span,
                                     const std::vector<FeeRecord>& fees, Enrolment& enrolment) {
  // Per student of `fees` not looked up yet: the earliest enrolment of all
  // their records, of the changed ones and of the others, and when the
  // records without one of their own were paid. One index seek each
  // (fee_records_by_student), instead of grouping all the school's students.
  Statement& query = db_.prepare(
      "SELECT min(enrolled_at), "
      "min(CASE WHEN paid_at_utc BETWEEN ?3 AND ?4 THEN enrolled_at END), "
      "min(CASE WHEN paid_at_utc NOT BETWEEN ?3 AND ?4 THEN enrolled_at END), "
      "min(CASE WHEN enrolled_at IS NULL THEN paid_at_utc END), "
      "max(CASE WHEN enrolled_at IS NULL THEN paid_at_utc END) "
      "FROM fee_records WHERE school_id = ?1 AND student_id = ?2");
  for (const FeeRecord& fee : fees) {
    if (fee.student_id.empty() || !enrolment.looked_up.insert(fee.student_id).second) continue;
    ResetGuard guard(query);
    query.bind_text(1, school.id)
        .bind_text(2, fee.student_id)
        .bind_int64(3, span.from)
        .bind_int64(4, span.to);
    if (!query.step()) continue;
    const auto earliest = query.column_text_or_null(0);
    if (!earliest) continue;
    if (const auto date = parse_iso_date(*earliest)) {
      enrolment.earliest.emplace(fee.student_id, *date);
    }
    const auto changed = query.column_text_or_null(1);
    const auto others = query.column_text_or_null(2);
    const auto inheritors_from = query.column_int64_or_null(3);
    // The changed records moved this student's enrolment earlier (or gave
    // the first one): records that inherit it are judged again.
    if (changed && (!others || *changed < *others) && inheritors_from) {
      const std::int64_t inheritors_to = query.column_int64(4);
      if (!enrolment.inheritors)
        enrolment.inheritors = ChangedSpan{*inheritors_from, inheritors_to};
      enrolment.inheritors->from = std::min(enrolment.inheritors->from, *inheritors_from);
      enrolment.inheritors->to = std::max(enrolment.inheritors->to, inheritors_to);
    }
  }
}

namespace {

std::vector<std::string> supervised_accounts(const School& school) {
  std::vector<std::string> numbers;
  for (const SchoolAccount& account : school.accounts) {
    if (account.role == AccountRole::Supervised)
      numbers.push_back(normalise_account(account.number));
  }
  return numbers;
}

}  // namespace

std::int64_t ChangeEvaluator::next_closing_after(const School& school, std::int64_t time) {
  // Each supervised account's next known closing balance (a statement's, or
  // an entry's balance_after); the latest of them, or for ever when one has none.
  Statement& entry = db_.prepare(
      "SELECT booked_at_utc FROM bank_records WHERE account = ?1 AND booked_at_utc > ?2 "
      "AND balance_after_fen IS NOT NULL AND status = 'booked' ORDER BY booked_at_utc LIMIT 1");
  Statement& statement = db_.prepare(
      "SELECT min(date) FROM balances WHERE account = ?1 AND type = 'closing' AND date > ?2");
  const std::string day = Instant{time, zone_.offset_minutes, false}.local_date(zone_).to_string();
  std::int64_t latest = time;
  for (const std::string& account : supervised_accounts(school)) {
    std::optional<std::int64_t> next;
    {
      ResetGuard guard(entry);
      entry.bind_text(1, account).bind_int64(2, time);
      if (entry.step()) next = entry.column_int64(0);
    }
    {
      ResetGuard guard(statement);
      statement.bind_text(1, account).bind_text(2, day);
      if (statement.step()) {
        if (const auto date_text = statement.column_text_or_null(0)) {
          if (const auto date = parse_iso_date(*date_text)) {
            const std::int64_t end_of_day =
                instant_from_date(Date::from_days_since_epoch(date->days_since_epoch() + 1), zone_)
                    .utc_seconds -
                1;
            next = next ? std::min(*next, end_of_day) : end_of_day;
          }
        }
      }
    }
    if (!next) return kLatest;
    latest = std::max(latest, *next);
  }
  return latest;
}

std::int64_t ChangeEvaluator::last_closing_before(const School& school, std::int64_t time) {
  // The start of the local day of each supervised account's last entry with
  // a balance before `time` (statement balances are always loaded).
  Statement& entry = db_.prepare(
      "SELECT booked_at_utc FROM bank_records WHERE account = ?1 AND booked_at_utc < ?2 "
      "AND balance_after_fen IS NOT NULL AND status = 'booked' ORDER BY booked_at_utc DESC LIMIT "
      "1");
  std::int64_t earliest = time;
  for (const std::string& account : supervised_accounts(school)) {
    ResetGuard guard(entry);
    entry.bind_text(1, account).bind_int64(2, time);
    if (!entry.step()) continue;
    const Date day = Instant{entry.column_int64(0), zone_.offset_minutes, false}.local_date(zone_);
    earliest = std::min(earliest, instant_from_date(day, zone_).utc_seconds);
  }
  return earliest;
}

void ChangeEvaluator::load_balances_near(const School& school, std::int64_t from, std::int64_t to,
                                         rules::FactInputs& inputs) {
  // A day more on each side: local days, and the day a balance fact ends.
  // Dates compare as ISO text, so they stay within the years 0001 to 9999.
  constexpr std::int64_t kFirstDay = -719162;  // 0001-01-01
  constexpr std::int64_t kLastDay = 2932896;   // 9999-12-31
  const auto day = [&](std::int64_t time, std::int64_t shift) {
    const std::int64_t days = local_day(time) + shift;
    return Date::from_days_since_epoch(std::clamp(days, kFirstDay, kLastDay)).to_string();
  };
  const std::string first = day(from, -1);
  const std::string last = day(to, 1);
  inputs.balances.clear();
  Statement& within = db_.prepare(
      "SELECT b.account, b.date, b.amount_fen FROM balances b JOIN accounts a "
      "ON a.number = b.account WHERE a.school_id = ?1 AND b.type = 'closing' "
      "AND b.date BETWEEN ?2 AND ?3");
  within.bind_text(1, school.id).bind_text(2, first).bind_text(3, last);
  while (within.step()) {
    if (const auto date = parse_iso_date(within.column_text(1))) {
      inputs.balances.push_back(
          rules::StoredBalance{within.column_text(0), *date, within.column_int64(2)});
    }
  }
  // closing_balance() falls back to the latest earlier balance of each account.
  Statement& before = db_.prepare(
      "SELECT date, amount_fen FROM balances WHERE account = ?1 AND type = 'closing' "
      "AND date < ?2 ORDER BY date DESC LIMIT 1");
  for (const SchoolAccount& account : school.accounts) {
    const std::string number = normalise_account(account.number);
    ResetGuard guard(before);
    before.bind_text(1, number).bind_text(2, first);
    if (!before.step()) continue;
    if (const auto date = parse_iso_date(before.column_text(0))) {
      inputs.balances.push_back(rules::StoredBalance{number, *date, before.column_int64(1)});
    }
  }
}

}  // namespace sfmon
