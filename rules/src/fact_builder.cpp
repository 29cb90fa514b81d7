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

// instant.local_date(zone).days_since_epoch() without the round trip
// through a calendar date (it runs for every record).
std::int64_t local_day(const Instant& instant, const Zone& zone) {
  const std::int64_t local =
      instant.utc_seconds + static_cast<std::int64_t>(zone.offset_minutes) * 60;
  return local >= 0 ? local / kSecondsPerDay : -((-local + kSecondsPerDay - 1) / kSecondsPerDay);
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

// normalise_account() without a copy when `text` is already normalised, as
// the store keeps accounts: then the result is `text` itself, else `scratch`.
const std::string& normalised_account(const std::string& text, std::string& scratch) {
  if (account_is_normalised(text)) return text;
  scratch = normalise_account(text);
  return scratch;
}

// The registry's spelling of an own account, so that keys by account do not
// split on spaces or case; other accounts as the source gave them.
const std::string& account_spelling(const SchoolAccount* own, const std::string& given) {
  return own != nullptr ? own->number : given;
}

// A fact left by an earlier build back to a default-constructed one, keeping
// its strings' and vector's storage (each build overwrites the facts of the
// school before, and allocating every string of every fact again would cost
// more than filling them).
void clear_fact(Fact& fact) {
  static const Fact kFresh;
  // Every member is listed here: a new one must be too.
  static_assert(sizeof(Fact) == 632, "clear_fact must reset every member of Fact");
  fact.kind = kFresh.kind;
  fact.time = kFresh.time;
  fact.day = kFresh.day;
  fact.id.clear();
  fact.account.clear();
  fact.amount = kFresh.amount;
  fact.debit = kFresh.debit;
  fact.credit = kFresh.credit;
  fact.own_transfer = kFresh.own_transfer;
  fact.purpose.clear();
  fact.tx_code.clear();
  fact.counterparty_name.clear();
  fact.counterparty_account.clear();
  fact.counterparty_key.clear();
  fact.counterparty_class = kFresh.counterparty_class;
  fact.counterparty_related = kFresh.counterparty_related;
  fact.counterparty_relation.clear();
  fact.counterparty_listed = kFresh.counterparty_listed;
  fact.counterparty_list_reason.clear();
  fact.account_role = kFresh.account_role;
  fact.student_id.clear();
  fact.fee_type.clear();
  fact.grade.clear();
  fact.period_start = kFresh.period_start;
  fact.period_end = kFresh.period_end;
  fact.hours = kFresh.hours;
  fact.refund = kFresh.refund;
  fact.enrolled_at = kFresh.enrolled_at;
  fact.catalogued = kFresh.catalogued;
  fact.cap = kFresh.cap;
  fact.per = kFresh.per;
  fact.normalised_amount = kFresh.normalised_amount;
  fact.months = kFresh.months;
  fact.term_end = kFresh.term_end;
  fact.to_supervised = kFresh.to_supervised;
  fact.day_debits.clear();
}

void fill_bank_fact(const BankRecord& record, bool cancelled, const Context& context, Fact& fact) {
  fact.kind = FactKind::Bank;
  fact.time = record.booked_at.utc_seconds;
  fact.day = local_day(record.booked_at, context.zone);
  fact.id = record.bank_ref;
  std::string scratch;
  const SchoolAccount* account = context.own.find(normalised_account(record.account, scratch));
  fact.account = account_spelling(account, record.account);
  fact.account_role = account != nullptr ? account->role : AccountRole::Other;
  fact.amount = record.amount_fen;
  fact.purpose = record.purpose;
  fact.tx_code = record.tx_code;
  fact.counterparty_name = record.counterparty.name;
  fact.counterparty_account = record.counterparty.account;
  fact.counterparty_class = record.counterparty.cls;

  std::string counterparty_scratch;
  const std::string& counterparty_account =
      normalised_account(record.counterparty.account, counterparty_scratch);
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

void fill_fee_fact(const FeeRecord& fee, const std::map<std::string, Date>& enrolled,
                   fee_periods::TermCalendar& calendar, const Context& context, Fact& fact) {
  fact.kind = FactKind::Fee;
  fact.time = fee.paid_at.utc_seconds;
  fact.day = local_day(fee.paid_at, context.zone);
  fact.id = fee.fee_id;
  std::string scratch;
  const SchoolAccount* account =
      context.own.find(normalised_account(fee.receiving_account, scratch));
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
}

// Orders booked records as their facts: time, then reference (the fact's
// id), then account.
bool record_before(const BankRecord* a, const BankRecord* b) {
  return std::tie(a->booked_at.utc_seconds, a->bank_ref, a->account) <
         std::tie(b->booked_at.utc_seconds, b->bank_ref, b->account);
}

bool fee_before(const FeeRecord* a, const FeeRecord* b) {
  return std::tie(a->paid_at.utc_seconds, a->fee_id) < std::tie(b->paid_at.utc_seconds, b->fee_id);
}

// Sorts records by `before`, whose first key is `time`, with the times
// copied beside the pointers: most comparisons then read neither record
// (records are large and lie apart; only equal times need the rest).
template <typename Record>
void sort_by_time(std::vector<const Record*>& records, std::int64_t (*time)(const Record&),
                  bool (*before)(const Record*, const Record*)) {
  struct Timed {
    std::int64_t time;
    const Record* record;
  };
  std::vector<Timed> timed;
  timed.reserve(records.size());
  for (const Record* record : records) timed.push_back({time(*record), record});
  std::sort(timed.begin(), timed.end(), [before](const Timed& a, const Timed& b) {
    return a.time != b.time ? a.time < b.time : before(a.record, b.record);
  });
  for (std::size_t i = 0; i < timed.size(); ++i) records[i] = timed[i].record;
}

std::int64_t booked_time(const BankRecord& record) {
  return record.booked_at.utc_seconds;
}
std::int64_t paid_time(const FeeRecord& record) {
  return record.paid_at.utc_seconds;
}

// Among the records booked at a day's latest instant, the one that ended the
// day: the one whose balance no other record continues from. Records with
// equal times carry no order of their own, but their balances chain.
const BankRecord* last_of_day(const std::vector<const BankRecord*>& latest) {
  std::unordered_map<Fen, int> continued_from;  // balance before a record → how many
  for (const BankRecord* record : latest) {
    ++continued_from[*record->balance_after_fen - record->amount_fen];
  }
  for (const BankRecord* candidate : latest) {
    const Fen after = *candidate->balance_after_fen;
    const int own = candidate->amount_fen == 0 ? 1 : 0;  // a zero entry continues from itself
    const auto it = continued_from.find(after);
    if (it == continued_from.end() || it->second - own == 0) return candidate;
  }
  return latest.back();
}

using DayBalances = std::map<std::int64_t, Fen>;  // local day → closing balance (fen)

// Closing balances of the supervised accounts (registry spelling → day →
// fen): statement closing balances, else the last balance_after of the day.
std::map<std::string, DayBalances> supervised_balances(const std::vector<const BankRecord*>& booked,
                                                       const std::vector<StoredBalance>& balances,
                                                       const Context& context) {
  std::map<std::string, DayBalances> result;
  std::string scratch;
  const auto supervised = [&](const std::string& number) -> const SchoolAccount* {
    const SchoolAccount* account = context.own.find(normalised_account(number, scratch));
    return account != nullptr && account->role == AccountRole::Supervised ? account : nullptr;
  };
  std::map<std::pair<const SchoolAccount*, std::int64_t>, std::vector<const BankRecord*>> latest;
  for (const BankRecord* record : booked) {
    if (!record->balance_after_fen) continue;
    const SchoolAccount* account = supervised(record->account);
    if (account == nullptr) continue;
    std::vector<const BankRecord*>& day =
        latest[{account, local_day(record->booked_at, context.zone)}];
    if (!day.empty() && day.front()->booked_at.utc_seconds < record->booked_at.utc_seconds) {
      day.clear();
    }
    day.push_back(record);
  }
  for (const auto& [where, records] : latest) {
    result[where.first->number][where.second] = *last_of_day(records)->balance_after_fen;
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

// A supervised account's closing balance of one day, as a fact to be.
struct BalanceEntry {
  std::int64_t time = 0;
  std::string id;  // "ACCOUNT:YYYY-MM-DD"
  std::string account;
  std::int64_t day = 0;
  Fen closing = 0;
};

std::vector<BalanceEntry> balance_entries(const std::map<std::string, DayBalances>& balances,
                                          const Zone& zone) {
  std::vector<BalanceEntry> entries;
  for (const auto& [number, closing] : balances) {
    for (const auto& [day, fen] : closing) {
      entries.push_back({end_of_local_day(day, zone),
                         number + ":" + Date::from_days_since_epoch(day).to_string(), number, day,
                         fen});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const BalanceEntry& a, const BalanceEntry& b) {
    return std::tie(a.time, a.id) < std::tie(b.time, b.id);
  });
  return entries;
}

void fill_balance_fact(const BalanceEntry& entry, Fact& fact) {
  fact.kind = FactKind::Balance;
  fact.time = entry.time;
  fact.day = entry.day;
  fact.id = entry.id;
  fact.account = entry.account;
  fact.account_role = AccountRole::Supervised;
  fact.amount = entry.closing;
}

}  // namespace

SchoolFacts build_school_facts(const School& school, const FactInputs& inputs,
                               const std::vector<ListedParty>& listed, const Zone& zone) {
  SchoolFacts result;
  build_school_facts(school, inputs, listed, zone, result);
  return result;
}

void build_school_facts(const School& school, const FactInputs& inputs,
                        const std::vector<ListedParty>& listed, const Zone& zone,
                        SchoolFacts& result) {
  Context context{school, zone, OwnAccounts(school), {}, {}};
  for (const RelatedParty& party : school.related_parties) context.related.add(party);
  for (const ListedParty& party : listed) context.listed.add(party);

  result.school = &school;
  result.zone = zone;
  result.supervised_closing.clear();

  std::vector<const BankRecord*> booked;
  booked.reserve(inputs.bank.size());
  for (const BankRecord& record : inputs.bank) {
    if (record.status == EntryStatus::Booked) booked.push_back(&record);
  }
  sort_by_time(booked, booked_time, record_before);
  const std::vector<bool> cancelled = match_reversals(booked);

  std::vector<const FeeRecord*> fees;
  fees.reserve(inputs.fees.size());
  for (const FeeRecord& fee : inputs.fees) fees.push_back(&fee);
  sort_by_time(fees, paid_time, fee_before);
  std::map<std::string, Date> derived_enrolment;
  if (!inputs.enrolment) derived_enrolment = enrolment_dates(inputs.fees);
  const std::map<std::string, Date>& enrolled =
      inputs.enrolment ? *inputs.enrolment : derived_enrolment;
  fee_periods::TermCalendar calendar(school.academic_calendar);

  const std::map<std::string, DayBalances> balances =
      supervised_balances(booked, inputs.balances, context);
  const std::vector<BalanceEntry> balance_facts = balance_entries(balances, zone);
  if (!balances.empty()) result.supervised_closing = combined_closing(balances);

  // The three sorted sequences merge into (time, kind, id) order, each fact
  // built in its final place: facts are large, and moving them again costs
  // more than building them. A day's bank facts all come before its balance
  // fact (same or earlier time, and bank sorts before balance), so the day's
  // debits are known when the balance fact is made.
  const std::size_t count = booked.size() + fees.size() + balance_facts.size();
  result.facts.reserve(count);
  // The facts of the school before are overwritten, the rest dropped.
  if (result.facts.size() > count) {
    result.facts.erase(result.facts.begin() + static_cast<std::ptrdiff_t>(count),
                       result.facts.end());
  }
  std::size_t built = 0;
  std::map<std::pair<std::string, std::int64_t>, std::vector<EvidenceRef>> debits_by_day;
  std::size_t b = 0, f = 0, l = 0;
  while (b < booked.size() || f < fees.size() || l < balance_facts.size()) {
    const auto bank_key = [&] {
      return std::make_tuple(booked[b]->booked_at.utc_seconds, FactKind::Bank,
                             std::string_view(booked[b]->bank_ref));
    };
    const auto fee_key = [&] {
      return std::make_tuple(fees[f]->paid_at.utc_seconds, FactKind::Fee,
                             std::string_view(fees[f]->fee_id));
    };
    const auto balance_key = [&] {
      return std::make_tuple(balance_facts[l].time, FactKind::Balance,
                             std::string_view(balance_facts[l].id));
    };
    const bool bank_next = b < booked.size() && (f == fees.size() || bank_key() <= fee_key()) &&
                           (l == balance_facts.size() || bank_key() <= balance_key());
    const bool fee_next =
        !bank_next && f < fees.size() && (l == balance_facts.size() || fee_key() <= balance_key());
    Fact& fact = built < result.facts.size() ? result.facts[built] : result.facts.emplace_back();
    ++built;
    clear_fact(fact);
    if (bank_next) {
      fill_bank_fact(*booked[b], cancelled[b], context, fact);
      ++b;
      if (fact.debit && fact.account_role == AccountRole::Supervised) {
        debits_by_day[{fact.account, fact.day}].push_back({"bank", fact.id});
      }
    } else if (fee_next) {
      fill_fee_fact(*fees[f++], enrolled, calendar, context, fact);
    } else {
      fill_balance_fact(balance_facts[l++], fact);
      if (auto it = debits_by_day.find({fact.account, fact.day}); it != debits_by_day.end()) {
        fact.day_debits = std::move(it->second);
        std::sort(fact.day_debits.begin(), fact.day_debits.end());
      }
    }
  }
}

}  // namespace sfmon::rules
