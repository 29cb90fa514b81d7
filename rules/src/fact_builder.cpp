#include "sfmon/rules/fact_builder.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "fee_periods.h"
#include "reversal_matcher.h"
#include "sfmon/model/name_normaliser.h"

namespace sfmon::rules {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t local_day(const Instant& instant, const Zone& zone) {
  return instant.local_date(zone).days_since_epoch();
}

// The last second of a local day, in UTC seconds.
std::int64_t end_of_local_day(std::int64_t day, const Zone& zone) {
  return (day + 1) * kSecondsPerDay - static_cast<std::int64_t>(zone.offset_minutes) * 60 - 1;
}

// Parties (related parties, listed counterparties) found by normalised
// account or normalised name; the first entry that names a key wins.
template <typename Party>
class PartyIndex {
 public:
  void add(const Party& party) {
    const std::string account = normalise_account(party.account);
    const std::string name = normalise_name(party.name);
    if (!account.empty()) by_account_.emplace(account, &party);
    if (!name.empty()) by_name_.emplace(name, &party);
  }
  // An account match wins over a name match.
  const Party* find(const std::string& account, const std::string& name) const {
    if (!account.empty()) {
      if (auto it = by_account_.find(account); it != by_account_.end()) return it->second;
    }
    if (!name.empty()) {
      if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    }
    return nullptr;
  }

 private:
  std::unordered_map<std::string, const Party*> by_account_;
  std::unordered_map<std::string, const Party*> by_name_;
};

// The school's registered accounts by normalised number.
class OwnAccounts {
 public:
  explicit OwnAccounts(const School& school) {
    for (const SchoolAccount& account : school.accounts) {
      by_number_.emplace(normalise_account(account.number), &account);
    }
  }
  const SchoolAccount* find(const std::string& normalised) const {
    const auto it = by_number_.find(normalised);
    return it == by_number_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string, const SchoolAccount*> by_number_;
};

struct Context {
  const School& school;
  const Zone& zone;
  OwnAccounts own;
  PartyIndex<RelatedParty> related;
  PartyIndex<ListedParty> listed;
};

// The registry's spelling of an own account, so that keys by account do not
// split on spaces or case; other accounts as the source gave them.
const std::string& account_spelling(const SchoolAccount* own, const std::string& given) {
  return own != nullptr ? own->number : given;
}

Fact bank_fact(const BankRecord& record, bool cancelled, const Context& context) {
  Fact fact;
  fact.kind = FactKind::Bank;
  fact.time = record.booked_at.utc_seconds;
  fact.day = local_day(record.booked_at, context.zone);
  fact.id = record.bank_ref;
  const SchoolAccount* account = context.own.find(normalise_account(record.account));
  fact.account = account_spelling(account, record.account);
  fact.account_role = account != nullptr ? account->role : AccountRole::Other;
  fact.amount = record.amount_fen;
  fact.purpose = record.purpose;
  fact.tx_code = record.tx_code;
  fact.counterparty_name = record.counterparty.name;
  fact.counterparty_account = record.counterparty.account;
  fact.counterparty_class = record.counterparty.cls;

  const std::string counterparty_account = normalise_account(record.counterparty.account);
  const std::string counterparty_name = normalise_name(record.counterparty.name);
  fact.counterparty_key = counterparty_account.empty() ? counterparty_name : counterparty_account;
  fact.own_transfer = !counterparty_account.empty() && context.own.find(counterparty_account);
  const bool moves_money = !fact.own_transfer && !cancelled;
  fact.debit = moves_money && record.amount_fen < 0;
  fact.credit = moves_money && record.amount_fen > 0;
  if (const RelatedParty* party = context.related.find(counterparty_account, counterparty_name)) {
    fact.counterparty_related = true;
    fact.counterparty_relation = party->relation;
  }
  if (const ListedParty* party = context.listed.find(counterparty_account, counterparty_name)) {
    fact.counterparty_listed = true;
    fact.counterparty_list_reason = party->reason;
  }
  return fact;
}

// The student's enrolment date from any record that gives one (the earliest
// when records disagree).
std::map<std::string, Date> enrolment_dates(const std::vector<FeeRecord>& fees) {
  std::map<std::string, Date> enrolled;
  for (const FeeRecord& fee : fees) {
    if (fee.student_id.empty() || !fee.enrolled_at) continue;
    const auto [it, inserted] = enrolled.emplace(fee.student_id, *fee.enrolled_at);
    if (!inserted && *fee.enrolled_at < it->second) it->second = *fee.enrolled_at;
  }
  return enrolled;
}

// The catalogue entry of the fee type for the record's grade, preferring an
// entry for exactly that grade over one for `all`.
const FeeCatalogueEntry* catalogue_entry(const School& school, const FeeRecord& fee) {
  const FeeCatalogueEntry* for_all = nullptr;
  for (const FeeCatalogueEntry& entry : school.fee_catalogue) {
    if (entry.fee_type != fee.fee_type) continue;
    if (entry.grade == fee.grade) return &entry;
    if (entry.grade == "all" && for_all == nullptr) for_all = &entry;
  }
  return for_all;
}

Fact fee_fact(const FeeRecord& fee, const std::map<std::string, Date>& enrolled,
              const fee_periods::TermCalendar& calendar, const Context& context) {
  Fact fact;
  fact.kind = FactKind::Fee;
  fact.time = fee.paid_at.utc_seconds;
  fact.day = local_day(fee.paid_at, context.zone);
  fact.id = fee.fee_id;
  const SchoolAccount* account = context.own.find(normalise_account(fee.receiving_account));
  fact.account = account_spelling(account, fee.receiving_account);
  fact.account_role = account != nullptr ? account->role : AccountRole::Other;
  fact.to_supervised = account != nullptr && account->role == AccountRole::Supervised;
  fact.amount = fee.amount_fen;
  fact.refund = fee.amount_fen < 0;
  fact.student_id = fee.student_id;
  fact.fee_type = fee.fee_type;
  fact.grade = fee.grade;
  fact.hours = fee.hours;
  if (fee.period_start) fact.period_start = fee.period_start->days_since_epoch();
  if (fee.period_end) fact.period_end = fee.period_end->days_since_epoch();
  if (fee.enrolled_at) {
    fact.enrolled_at = fee.enrolled_at->days_since_epoch();
  } else if (auto it = enrolled.find(fee.student_id); it != enrolled.end()) {
    fact.enrolled_at = it->second.days_since_epoch();
  }
  fact.term_end = calendar.current_term_end(fact.day);

  fee_periods::FeeQuantities quantities{fee.amount_fen, fee.hours, std::nullopt, std::nullopt};
  if (fact.period_start && fact.period_end) {
    fact.months = fee_periods::months_covered(*fact.period_start, *fact.period_end);
    quantities.months = fact.months;
    if (fact.months) {
      quantities.terms = calendar.terms_overlapping(*fact.period_start, *fact.period_end);
    }
  }
  if (const FeeCatalogueEntry* entry = catalogue_entry(context.school, fee)) {
    fact.catalogued = true;
    fact.cap = entry->cap_fen;
    fact.per = entry->per;
    fact.normalised_amount = fee_periods::normalise_fee(quantities, entry->per);
  }
  return fact;
}

// Orders booked records by event: time, then account, then reference.
bool record_before(const BankRecord* a, const BankRecord* b) {
  return std::tie(a->booked_at.utc_seconds, a->account, a->bank_ref) <
         std::tie(b->booked_at.utc_seconds, b->account, b->bank_ref);
}

// Among the records booked at a day's latest instant, the one that ended the
// day: the one whose balance no other record continues from. Records with
// equal times carry no order of their own, but their balances chain.
const BankRecord* last_of_day(const std::vector<const BankRecord*>& latest) {
  for (const BankRecord* candidate : latest) {
    const bool continued = std::any_of(latest.begin(), latest.end(), [&](const BankRecord* other) {
      return other != candidate && *other->balance_after_fen - other->amount_fen ==
                                       *candidate->balance_after_fen;
    });
    if (!continued) return candidate;
  }
  return latest.back();
}

using DayBalances = std::map<std::int64_t, Fen>;  // local day → closing balance (fen)

// Closing balances of the supervised accounts (registry spelling → day →
// fen): statement closing balances, else the last balance_after of the day.
std::map<std::string, DayBalances> supervised_balances(
    const std::vector<const BankRecord*>& booked, const std::vector<StoredBalance>& balances,
    const Context& context) {
  std::map<std::string, DayBalances> result;
  const auto supervised = [&](const std::string& number) -> const SchoolAccount* {
    const SchoolAccount* account = context.own.find(normalise_account(number));
    return account != nullptr && account->role == AccountRole::Supervised ? account : nullptr;
  };
  std::map<std::pair<std::string, std::int64_t>, std::vector<const BankRecord*>> latest;
  for (const BankRecord* record : booked) {
    const SchoolAccount* account = supervised(record->account);
    if (account == nullptr || !record->balance_after_fen) continue;
    std::vector<const BankRecord*>& day =
        latest[{account->number, local_day(record->booked_at, context.zone)}];
    if (!day.empty() && day.front()->booked_at.utc_seconds < record->booked_at.utc_seconds) {
      day.clear();
    }
    day.push_back(record);
  }
  for (const auto& [where, records] : latest) {
    result[where.first][where.second] = *last_of_day(records)->balance_after_fen;
  }
  for (const StoredBalance& balance : balances) {  // a statement's balance wins
    if (const SchoolAccount* account = supervised(balance.account)) {
      result[account->number][balance.date.days_since_epoch()] = balance.closing_fen;
    }
  }
  return result;
}

// The school's supervised closing balance per day: with one supervised
// account its balances; with several, on each day any of them is known, the
// sum of every account's latest known balance.
std::map<std::int64_t, Fen> combined_closing(const std::map<std::string, DayBalances>& accounts) {
  if (accounts.size() == 1) return accounts.begin()->second;
  std::set<std::int64_t> days;
  for (const auto& [number, closing] : accounts) {
    for (const auto& [day, fen] : closing) days.insert(day);
  }
  std::map<std::int64_t, Fen> combined;
  for (std::int64_t day : days) {
    Fen total = 0;
    for (const auto& [number, closing] : accounts) {
      auto it = closing.upper_bound(day);
      if (it != closing.begin()) total += std::prev(it)->second;
    }
    combined[day] = total;
  }
  return combined;
}

// Facts sorted by (time, kind, id). A fact is large, so the sort moves
// indices and each fact moves once.
std::vector<Fact> in_event_order(std::vector<Fact> facts) {
  std::vector<std::uint32_t> order(facts.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(facts[a].time, facts[a].kind, facts[a].id) <
           std::tie(facts[b].time, facts[b].kind, facts[b].id);
  });
  std::vector<Fact> sorted;
  sorted.reserve(facts.size());
  for (std::uint32_t index : order) sorted.push_back(std::move(facts[index]));
  return sorted;
}

}  // namespace

SchoolFacts build_school_facts(const School& school, const FactInputs& inputs,
                               const std::vector<ListedParty>& listed, const Zone& zone) {
  Context context{school, zone, OwnAccounts(school), {}, {}};
  for (const RelatedParty& party : school.related_parties) context.related.add(party);
  for (const ListedParty& party : listed) context.listed.add(party);

  SchoolFacts result;
  result.school = &school;
  result.zone = zone;

  std::vector<const BankRecord*> booked;
  booked.reserve(inputs.bank.size());
  for (const BankRecord& record : inputs.bank) {
    if (record.status == EntryStatus::Booked) booked.push_back(&record);
  }
  std::sort(booked.begin(), booked.end(), record_before);
  const std::vector<bool> cancelled = match_reversals(booked);

  result.facts.reserve(booked.size() + inputs.fees.size());
  // (account, day) → the day's debits, for the evidence of balance facts.
  std::map<std::pair<std::string, std::int64_t>, std::vector<EvidenceRef>> debits_by_day;
  for (std::size_t i = 0; i < booked.size(); ++i) {
    Fact fact = bank_fact(*booked[i], cancelled[i], context);
    if (fact.debit && fact.account_role == AccountRole::Supervised) {
      debits_by_day[{fact.account, fact.day}].push_back({"bank", fact.id});
    }
    result.facts.push_back(std::move(fact));
  }

  const std::map<std::string, Date> enrolled = enrolment_dates(inputs.fees);
  const fee_periods::TermCalendar calendar(school.academic_calendar);
  for (const FeeRecord& fee : inputs.fees) {
    result.facts.push_back(fee_fact(fee, enrolled, calendar, context));
  }

  const std::map<std::string, DayBalances> balances =
      supervised_balances(booked, inputs.balances, context);
  for (const auto& [number, closing] : balances) {
    for (const auto& [day, fen] : closing) {
      Fact fact;
      fact.kind = FactKind::Balance;
      fact.time = end_of_local_day(day, zone);
      fact.day = day;
      fact.id = number + ":" + Date::from_days_since_epoch(day).to_string();
      fact.account = number;
      fact.account_role = AccountRole::Supervised;
      fact.amount = fen;
      if (auto it = debits_by_day.find({number, day}); it != debits_by_day.end()) {
        fact.day_debits = it->second;
        std::sort(fact.day_debits.begin(), fact.day_debits.end());
      }
      result.facts.push_back(std::move(fact));
    }
  }
  if (!balances.empty()) result.supervised_closing = combined_closing(balances);

  result.facts = in_event_order(std::move(result.facts));
  return result;
}

}  // namespace sfmon::rules
