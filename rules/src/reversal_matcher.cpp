#include "reversal_matcher.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "sfmon/model/name_normaliser.h"

namespace sfmon::rules {
namespace {

struct Normalised {
  std::string account;
  std::string counterparty_account;
  std::string counterparty_name;
};

bool same_counterparty(const Normalised& a, const Normalised& b) {
  if (!a.counterparty_account.empty() && !b.counterparty_account.empty()) {
    return a.counterparty_account == b.counterparty_account;
  }
  return a.counterparty_name == b.counterparty_name;
}

}  // namespace

std::vector<bool> match_reversals(const std::vector<const BankRecord*>& booked) {
  std::vector<bool> cancelled(booked.size(), false);
  std::vector<Normalised> keys(booked.size());
  // Candidates (non-reversals) by (account, reference) and by (account, amount);
  // the latter in event order, so the latest earlier one is found from the back.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_reference;
  std::map<std::pair<std::string, Fen>, std::vector<std::size_t>> by_amount;
  const bool any_reversal = std::any_of(booked.begin(), booked.end(),
                                        [](const BankRecord* record) { return record->reversal; });
  if (!any_reversal) return cancelled;  // the common case costs one pass

  for (std::size_t i = 0; i < booked.size(); ++i) {
    const BankRecord& record = *booked[i];
    keys[i].account = normalise_account(record.account);
    keys[i].counterparty_account = normalise_account(record.counterparty.account);
    keys[i].counterparty_name = normalise_name(record.counterparty.name);
    if (record.reversal) continue;
    by_reference[{keys[i].account, record.bank_ref}].push_back(i);
    by_amount[{keys[i].account, record.amount_fen}].push_back(i);
  }

  for (std::size_t r = 0; r < booked.size(); ++r) {
    const BankRecord& reversal = *booked[r];
    if (!reversal.reversal) continue;
    cancelled[r] = true;
    std::optional<std::size_t> original;
    if (!reversal.reversal_of.empty()) {
      const auto named = by_reference.find({keys[r].account, reversal.reversal_of});
      if (named != by_reference.end()) {
        for (std::size_t candidate : named->second) {
          if (!cancelled[candidate]) {
            original = candidate;
            break;
          }
        }
      }
    }
    if (!original) {
      const auto same_amount = by_amount.find({keys[r].account, -reversal.amount_fen});
      if (same_amount != by_amount.end()) {
        const std::vector<std::size_t>& candidates = same_amount->second;
        for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
          const BankRecord& candidate = *booked[*it];
          if (cancelled[*it] || candidate.booked_at.utc_seconds > reversal.booked_at.utc_seconds ||
              !same_counterparty(keys[*it], keys[r])) {
            continue;
          }
          original = *it;
          break;
        }
      }
    }
    if (original) cancelled[*original] = true;
  }
  return cancelled;
}

}  // namespace sfmon::rules
