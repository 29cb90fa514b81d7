#pragma once
// What rules evaluate: facts, i.e. stored records prepared for one school
// with every derived field computed once (debit/credit against own accounts,
// related parties, lists, fee catalogue normalisation, terms). Built by
// fact_builder.h from records + registry; evaluated by evaluator.h.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/registry.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules {

struct EvidenceRef {
  std::string kind;  // "bank" | "fee" | "balance"
  std::string id;    // bank reference / fee_id / "ACCOUNT:YYYY-MM-DD"
  friend bool operator==(const EvidenceRef&, const EvidenceRef&) = default;
  friend auto operator<=>(const EvidenceRef&, const EvidenceRef&) = default;
};

struct Fact {
  FactKind kind = FactKind::Bank;
  std::int64_t time = 0;  // UTC seconds: booked_at / paid_at / end of the balance's day
  std::int64_t day = 0;   // local date, days since epoch
  std::string id;         // bank_ref / fee_id / "ACCOUNT:YYYY-MM-DD"
  std::string account;    // bank: statement account; fee: receiving account; balance: account
  Fen amount = 0;         // signed fen
  // Bank.
  bool debit = false;   // leaves to a non-own party (booked, not reversed)
  bool credit = false;  // arrives from a non-own party (booked, not reversed)
  bool own_transfer = false;
  std::string purpose;
  std::string tx_code;
  std::string counterparty_name;
  std::string counterparty_account;
  std::string counterparty_key;  // account, else normalised name
  CounterpartyClass counterparty_class = CounterpartyClass::Unknown;
  bool counterparty_related = false;
  std::string counterparty_relation;
  bool counterparty_listed = false;
  std::string counterparty_list_reason;
  AccountRole account_role = AccountRole::Other;
  // Fee.
  std::string student_id;
  std::string fee_type;
  std::string grade;
  std::optional<std::int64_t> period_start;  // days since epoch
  std::optional<std::int64_t> period_end;
  std::optional<double> hours;
  bool refund = false;
  std::optional<std::int64_t> enrolled_at;
  bool catalogued = false;
  std::optional<Fen> cap;
  std::optional<FeePer> per;
  std::optional<Fen> normalised_amount;
  std::optional<double> months;
  std::optional<std::int64_t> term_end;
  bool to_supervised = false;
  // Balance: the debits of that account and day (FUND-MINBAL evidence).
  std::vector<EvidenceRef> day_debits;

  friend bool operator==(const Fact&, const Fact&) = default;
};

// One school's facts in event order (time, then kind, then id), plus the
// supervised account's closing balance per local day.
struct SchoolFacts {
  const School* school = nullptr;  // borrowed from the Registry
  std::vector<Fact> facts;
  std::map<std::int64_t, Fen> supervised_closing;  // day → closing balance (fen)
  // The zone the local days were computed in; tumbling windows end at its
  // local midnight.
  Zone zone;
};

}  // namespace sfmon::rules
