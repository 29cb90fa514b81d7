#pragma once
// The record store: registry, ingested files, bank and fee records, cursors,
// over one SqliteDb whose schema is at the latest version (see
// schema_migrations.h). Every write operation is one transaction, all or
// nothing; called inside a caller's open Transaction it becomes a savepoint of
// it, so a caller can commit records, cursor and alerts together.
//
// Identity: a bank record is (account, bank_ref), a fee record (school_id,
// fee_id); storing the same record again adds nothing. Account numbers are
// stored normalised (normalise_account), so "4305 0180-12" and "43050180 12"
// are one account. Times are UTC seconds plus the source's offset.
//
// Not thread-safe: a RecordStore borrows its SqliteDb (one per thread) and
// must not outlive it.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/fee_record.h"
#include "sfmon/model/registry.h"
#include "sfmon/model/time.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

enum class RecordKind { Bank, Fee };
const char* to_string(RecordKind kind);  // "bank" | "fee"
std::optional<RecordKind> record_kind_from_string(const std::string& text);

// Where a batch of records came from.
struct FileOrigin {
  std::string source;  // connector name, e.g. "bank-inbox"; created in `sources` on first use
  std::string path;    // file path or URL
  std::string sha256;  // of the file's bytes (or the page body), hex
  std::string kind;    // "bank" | "fee"
  // Fee inputs only ("csv", "jsonl", "http"); bank files carry their format.
  std::string format;
};

struct IngestResult {
  std::int64_t ingest_id = 0;  // ingest_log.id of this file
  int added = 0;               // new records
  int duplicates = 0;          // records already stored (nothing changed)
  int promoted = 0;            // pending bank records now booked
  int warnings = 0;            // warnings stored with the file
};

struct RecordFilter {
  std::optional<RecordKind> kind;
  std::optional<std::string> school_id;  // bank records: through the account registry
  std::optional<std::string> account;    // bank: the statement account; fee: receiving account
  std::optional<Date> from;              // inclusive local date in the zone passed to list_records
  std::optional<Date> to;                // inclusive local date
  bool flagged_only = false;             // only records named as evidence of an alert
  std::optional<int> limit;              // at most this many rows, earliest first
};

// One row of `records list`: the fields of product.md's JSON form, for both
// kinds. Fields of the other kind are empty.
struct RecordRow {
  RecordKind kind = RecordKind::Bank;
  std::int64_t row_id = 0;  // bank_records.id / fee_records.id (alert evidence refers to it)
  std::string id;           // bank_ref / fee_id, as the source gave it
  std::string school_id;    // bank: owner of the account; empty while unregistered
  std::string account;      // bank: statement account; fee: receiving account (normalised)
  Instant time;             // bank: booked_at; fee: paid_at
  Fen amount_fen = 0;       // signed
  std::string currency;
  EntryStatus status = EntryStatus::Booked;  // fee records are always booked
  // Bank records.
  std::string counterparty_name;
  std::string counterparty_account;
  CounterpartyClass counterparty_class = CounterpartyClass::Unknown;
  ClassBasis counterparty_basis = ClassBasis::None;
  std::string purpose;
  bool reversal = false;
  std::string reversal_of;
  // Fee records.
  std::string fee_type;
  std::string student_id;
  std::optional<Date> period_start;
  std::optional<Date> period_end;
  SourcePosition source;
  std::vector<std::int64_t> alert_ids;  // ascending
};

struct StoreSummary {
  std::int64_t bank_records = 0;
  std::int64_t fee_records = 0;
  std::int64_t bank_booked = 0;
  std::int64_t bank_pending = 0;
  std::int64_t unregistered_account_records = 0;  // bank records whose account no school owns
  std::int64_t files_accepted = 0;
  std::int64_t files_rejected = 0;
  std::int64_t files_duplicate = 0;
};

class RecordStore {
 public:
  using Clock = std::function<std::int64_t()>;  // now, in UTC seconds

  // Throws SchemaVersionError unless `db` is at the latest schema version.
  // `clock` stamps ingest_log and cursors; the default reads the system clock.
  explicit RecordStore(SqliteDb& db, Clock clock = {});

  // Replaces schools, accounts, related parties, fee catalogues and calendars
  // with `registry`'s, in one transaction. Stored records are untouched; bank
  // records of a newly registered account join its school at once.
  // `fingerprint` (of the registry text, see open_app) is stored with the
  // tables so that later runs can skip an unchanged registry; without one
  // the stored fingerprint is cleared, so the next open_app syncs again.
  void sync_registry(const Registry& registry,
                     const std::optional<std::string>& fingerprint = std::nullopt);

  // The fingerprint stored by the last sync_registry, nullopt when there was
  // none (or that sync gave none).
  std::optional<std::string> registry_fingerprint();

  struct EventSpan {
    std::int64_t from = 0;  // UTC seconds, earliest event time
    std::int64_t to = 0;    // UTC seconds, latest event time
  };
  // Per registered school, the event times its stored records (bank records
  // of its registered accounts, its fee records) span; schools without
  // records are left out.
  std::map<std::string, EventSpan> record_spans_by_school();

  // True when a file with this content and kind was accepted before.
  bool has_ingested(const std::string& sha256, const std::string& kind);

  // Stores a parsed, normalised bank file in one transaction: its ingest_log
  // row (status "duplicate" when the same content was accepted before,
  // else "accepted"), warnings, statements, balances (first of an account,
  // day and type wins) and records. A record whose (account, bank_ref) is
  // stored adds nothing, except that a booked record replaces a stored
  // pending one with its data (same row id). Every record needs a bank_ref
  // (the normaliser assigns hashes). On error nothing of the file remains and
  // StoreError names the failing record's source position.
  IngestResult store_bank_file(const BankFile& file, const FileOrigin& origin);

  // Stores fee records in one transaction, as store_bank_file. When `cursor`
  // (source, value) is given it is written in the same transaction, so a page
  // and the cursor after it commit together or not at all.
  IngestResult store_fee_records(
      const std::vector<FeeRecord>& records, const FileOrigin& origin,
      const std::optional<std::pair<std::string, std::string>>& cursor = {});

  // The last cursor stored for `source`.
  std::optional<std::string> cursor(const std::string& source);

  // Logs a file that could not be read (status "rejected") and, when
  // `quarantine_path` is not empty, where it was moved. Returns the ingest id.
  std::int64_t record_rejection(const FileOrigin& origin, const std::string& error,
                                const std::string& quarantine_path);

  // Logs a file skipped because its content was accepted before
  // (has_ingested). Returns the ingest id.
  std::int64_t record_duplicate(const FileOrigin& origin);

  // Records matching `filter`, ordered by time, then kind (bank before fee),
  // then id, then account: deterministic. `zone` decides which UTC instants
  // belong to the local days `from` and `to`.
  std::vector<RecordRow> list_records(const RecordFilter& filter, const Zone& zone = Zone{});

  StoreSummary summary();

 private:
  std::int64_t now() const;
  void ensure_source(const std::string& source, const std::string& kind);
  std::int64_t begin_ingest(const FileOrigin& origin, const std::string& status,
                            const std::string& format, const std::string& format_detail,
                            const std::optional<std::string>& error);
  // Writes the file's counts to ingest_log and folds new records into the
  // summary's counts (see fold_record_counts).
  void finish_ingest(const IngestResult& result);
  // Adds the records above record_counts' ids to the counts and moves the ids
  // up (schema version 7); inside the caller's transaction.
  void fold_record_counts();
  void store_statement(const BankStatement& statement, std::int64_t ingest_id,
                       IngestResult& result);
  void store_bank_record(const BankRecord& record, const std::string& statement_account,
                         std::int64_t ingest_id, IngestResult& result);
  void store_fee_record(const FeeRecord& record, std::int64_t ingest_id, IngestResult& result);
  void store_warning(const Warning& warning, std::int64_t ingest_id);

  SqliteDb& db_;
  Clock clock_;
};

}  // namespace sfmon
