// The normalise stage: content references for records the bank gave no
// reference, distinct references where a bank reused one, and counterparty
// classes (counterparty_classifier.cpp).

#include "sfmon/connectors/record_normaliser.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "counterparty_classifier.h"
#include "sfmon/model/name_normaliser.h"
#include "sfmon/model/sha256.h"

namespace sfmon {
namespace {

// Part of every hash, so a future change of the hashed fields can change
// the version instead of silently colliding with old references.
constexpr std::string_view kHashVersion = "sfmon-bank-ref-v1";
// 96 bits: collisions among the records of one account are not a concern.
constexpr std::size_t kHashHexDigits = 24;

// Fields joined with length prefixes, so that no two different records share
// a key ("ab" + "c" and "a" + "bc" differ).
class ContentKey {
 public:
  ContentKey& add(std::string_view field) {
    key_ += std::to_string(field.size());
    key_ += ':';
    key_ += field;
    return *this;
  }
  const std::string& str() const { return key_; }

 private:
  std::string key_;
};

// What the hash covers. Names and accounts are normalised so that the same
// entry from another export of the same bank hashes alike; the status is
// left out so a pending entry and its booking share the reference. The
// booking time is hashed as numbers, not through a display format that may
// change (a changed hash would make stored records reappear as new).
std::string hashed_content(const BankRecord& record) {
  ContentKey key;
  key.add(normalise_account(record.account))
      .add(std::to_string(record.booked_at.utc_seconds) +
           (record.booked_at.date_only ? "/date" : "/time"))
      .add(std::to_string(record.amount_fen))
      .add(record.currency)
      .add(normalise_name(record.counterparty.name))
      .add(normalise_account(record.counterparty.account))
      .add(record.purpose)
      .add(record.tx_code);
  return key.str();
}

// Everything that tells two records apart, for deciding whether two records
// under one bank reference are the same entry.
std::string full_content(const BankRecord& record) {
  ContentKey key;
  key.add(hashed_content(record))
      .add(record.value_date ? record.value_date->to_string() : "")
      .add(record.reversal ? "reversal" : "")
      .add(record.reversal_of)
      .add(record.balance_after_fen ? std::to_string(*record.balance_after_fen) : "");
  return key.str();
}

std::string hash_reference(const std::string& content, int occurrence) {
  const std::string key =
      ContentKey().add(kHashVersion).add(content).add(std::to_string(occurrence)).str();
  return "h:" + sha256_hex(key).substr(0, kHashHexDigits);
}

void assign_hashes(BankStatement& statement) {
  // Identical entries (two equal payments on one day) are told apart by
  // their order in the statement; the status is part of the count so a
  // pending entry and its booking in one file get the same index.
  std::map<std::pair<std::string, EntryStatus>, int> occurrences;
  for (BankRecord& record : statement.records) {
    if (!record.bank_ref.empty()) continue;
    const std::string content = hashed_content(record);
    const int occurrence = occurrences[{content, record.status}]++;
    record.bank_ref = hash_reference(content, occurrence);
    record.ref_is_hash = true;
  }
}

// Whether two records of the file share an account, reference and status.
// Most files have none and skip separate_reused_references (a content key and
// a set entry per record).
bool has_reused_reference(const BankFile& file) {
  std::vector<std::tuple<std::string_view, std::string_view, EntryStatus>> keys;
  for (const BankStatement& statement : file.statements) {
    for (const BankRecord& record : statement.records) {
      if (!record.ref_is_hash) keys.emplace_back(record.account, record.bank_ref, record.status);
    }
  }
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

// A bank reference reused within one file for entries that differ: each
// different entry keeps its own identity as "REF#2", "REF#3", ... in file
// order, with a warning. Entries with the same content are the same entry
// (overlapping statements in one file) and keep the same reference, for the
// store to deduplicate. A pending entry and a booked one sharing a
// reference are one entry's life, not a reuse.
void separate_reused_references(BankFile& file) {
  if (!has_reused_reference(file)) return;
  using RefKey = std::tuple<std::string, std::string, EntryStatus>;
  struct Variant {
    std::string content;
    std::string ref;
  };
  std::set<std::pair<std::string, std::string>> taken;  // (account, ref) present in the file
  for (const BankStatement& statement : file.statements) {
    for (const BankRecord& record : statement.records)
      taken.emplace(record.account, record.bank_ref);
  }
  std::map<RefKey, std::vector<Variant>> variants;
  for (BankStatement& statement : file.statements) {
    for (BankRecord& record : statement.records) {
      if (record.ref_is_hash) continue;  // unique by construction
      std::vector<Variant>& seen = variants[{record.account, record.bank_ref, record.status}];
      const std::string content = full_content(record);
      const auto same = std::find_if(seen.begin(), seen.end(),
                                     [&](const Variant& v) { return v.content == content; });
      if (same != seen.end()) {
        record.bank_ref = same->ref;
        continue;
      }
      if (seen.empty()) {
        seen.push_back({content, record.bank_ref});
        continue;
      }
      std::size_t suffix = seen.size() + 1;
      std::string ref;
      do {
        ref = record.bank_ref + "#" + std::to_string(suffix++);
      } while (!taken.emplace(record.account, ref).second);
      file.warnings.push_back({record.source.file, record.source.position,
                               "bank reference '" + record.bank_ref +
                                   "' is used for another entry earlier in the file; stored as '" +
                                   ref + "'"});
      seen.push_back({content, ref});
      record.bank_ref = ref;
    }
  }
}

}  // namespace

void classify_counterparty(Counterparty& counterparty, const Registry& registry,
                           const std::vector<WatchlistEntry>& watchlist) {
  CounterpartyClassifier(registry, watchlist).classify(counterparty);
}

void assign_content_references(BankFile& file) {
  for (BankStatement& statement : file.statements) assign_hashes(statement);
  separate_reused_references(file);
}

void normalise_bank_file(BankFile& file, const Registry& registry,
                         const std::vector<WatchlistEntry>& watchlist) {
  BankFileNormaliser(registry, watchlist).normalise(file);
}

BankFileNormaliser::BankFileNormaliser(const Registry& registry,
                                       const std::vector<WatchlistEntry>& watchlist)
    : classifier_(std::make_unique<const CounterpartyClassifier>(registry, watchlist)) {}

BankFileNormaliser::~BankFileNormaliser() = default;
BankFileNormaliser::BankFileNormaliser(BankFileNormaliser&&) noexcept = default;
BankFileNormaliser& BankFileNormaliser::operator=(BankFileNormaliser&&) noexcept = default;

void BankFileNormaliser::normalise(BankFile& file) const {
  assign_content_references(file);
  for (BankStatement& statement : file.statements) {
    for (BankRecord& record : statement.records) classifier_->classify(record.counterparty);
  }
}

}  // namespace sfmon
