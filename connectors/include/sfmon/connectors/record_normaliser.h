#pragma once
// The normalise stage between parsing and storing: gives reference-less bank
// records a deterministic content hash and classifies every counterparty as a
// person or an organisation, recording the basis.

#include <memory>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/registry.h"

namespace sfmon {

class CounterpartyClassifier;

// Classification order: the source's own marking (kept), a registry related
// party or watchlist entry with a class-revealing name, legal-form words
// (有限公司, 公司, 学校, 幼儿园, 银行, 局, 中心, 协会, ...), then a name of 2–4 Han
// characters is a person. Otherwise Unknown.
void classify_counterparty(Counterparty& counterparty, const Registry& registry,
                           const std::vector<WatchlistEntry>& watchlist);

// Hash of account, booking date, amount, currency, counterparty, purpose and
// the occurrence index among identical entries of the same statement, so the
// same records in another file get the same reference.
void assign_content_references(BankFile& file);

// Assigns content references and classifies every counterparty. Indexes
// the registry's related parties and the watchlist on every call: code that
// normalises many files should keep one BankFileNormaliser instead.
void normalise_bank_file(BankFile& file, const Registry& registry,
                         const std::vector<WatchlistEntry>& watchlist);

// normalise_bank_file for many files against one registry and watchlist,
// indexed once at construction (about a millisecond for 500 schools). Copies
// what it needs: the arguments need not outlive it. Rebuild it when the
// registry or watchlist changes. normalise() is const and may be called from
// several threads at once.
class BankFileNormaliser {
 public:
  BankFileNormaliser(const Registry& registry, const std::vector<WatchlistEntry>& watchlist);
  ~BankFileNormaliser();
  BankFileNormaliser(BankFileNormaliser&&) noexcept;
  BankFileNormaliser& operator=(BankFileNormaliser&&) noexcept;

  void normalise(BankFile& file) const;

 private:
  std::unique_ptr<const CounterpartyClassifier> classifier_;
};

}  // namespace sfmon
