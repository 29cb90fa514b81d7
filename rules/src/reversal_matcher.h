#pragma once
// Pairs reversals with the entries they cancel (rules-catalogue.md
// "Reversals"): a reversal cancels the entry it names (`reversal_of` equal to
// that entry's bank reference on the same account); when it names none, or
// names one that is not there (camt may carry the original's EndToEndId
// instead), it cancels the latest entry booked at or before it on the same
// account with the opposite sign, the same absolute amount and the same
// counterparty (account when both sides have one, else normalised name).

#include <vector>

#include "sfmon/model/bank_record.h"

namespace sfmon::rules {

// `booked` holds one school's booked records (no pending ones) in event order
// (booked_at, then reference, then account); pointers are borrowed. Returns,
// per record, whether a reversal cancels it. Every reversal is itself
// cancelled, also when its original is not found (it may lie before the
// loaded history): a reversal never moves money to or from a party.
std::vector<bool> match_reversals(const std::vector<const BankRecord*>& booked);

}  // namespace sfmon::rules
