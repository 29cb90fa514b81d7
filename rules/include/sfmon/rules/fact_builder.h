#pragma once
// The normalise stage between stored records and rules: turns one school's
// records into facts with every derived field (rules-catalogue.md
// "Definitions the rules share"):
// - own accounts: transfers between a school's registered accounts are
//   neither debits nor credits;
// - pending entries count for nothing; a reversal cancels the entry it names
//   (reversal_of), else the latest earlier entry of the opposite sign on the
//   same account with the same amount and counterparty — both drop out;
// - related parties (registry, by account or normalised name) and listed
//   counterparties (watchlist and published blacklist, by account or name);
// - fee catalogue matching (fee type + grade or `all`), normalisation to the
//   catalogue's `per`, months covered, the current term's end, enrolment
//   date from the record or else from the student's other records;
// - supervised-account closing balances per day (statement closing balances,
//   else the last balance_after of the day) and balance facts for them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/fee_record.h"
#include "sfmon/model/registry.h"
#include "sfmon/rules/facts.h"

namespace sfmon::rules {

struct StoredBalance {
  std::string account;
  Date date;
  Fen closing_fen = 0;
};

// A counterparty the bureau wants flagged (watchlist entry or published
// blacklist entry).
struct ListedParty {
  std::string name;     // may be empty
  std::string account;  // may be empty
  std::string reason;
};

struct FactInputs {
  std::vector<BankRecord> bank;         // the school's accounts' records (any order)
  std::vector<FeeRecord> fees;          // the school's fee records (any order)
  std::vector<StoredBalance> balances;  // closing balances of the school's accounts
  // The earliest enrolled_at per student id over every stored fee record of
  // the school. Set it when `fees` holds only part of the history (an
  // incremental evaluation); unset, it is derived from `fees`.
  std::optional<std::map<std::string, Date>> enrolment;
};

// `school` and `listed` must outlive the result (facts borrow `school`).
SchoolFacts build_school_facts(const School& school, const FactInputs& inputs,
                               const std::vector<ListedParty>& listed, const Zone& zone);
// The same into `result`, whose storage is reused (evaluating school after
// school allocates the large fact vector once).
void build_school_facts(const School& school, const FactInputs& inputs,
                        const std::vector<ListedParty>& listed, const Zone& zone,
                        SchoolFacts& result);

}  // namespace sfmon::rules
