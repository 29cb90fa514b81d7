// RecordStore: construction, registry, ingest bookkeeping, cursors, summary.
// Storing records lives in record_store_ingest.cpp, queries in record_query.cpp.

#include "sfmon/monitor/record_store.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "sfmon/model/name_normaliser.h"
#include "sfmon/monitor/schema_migrations.h"
#include "window_totals_store.h"

namespace sfmon {
namespace {

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void insert_school(SqliteDb& db, const School& school) {
  db.prepare(
        "INSERT INTO schools (id, name, kind, nonprofit, inclusive, district, enrollment, "
        "min_balance_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "nonprofit = excluded.nonprofit, inclusive = excluded.inclusive, "
        "district = excluded.district, enrollment = excluded.enrollment, "
        "min_balance_fen = excluded.min_balance_fen")
      .bind_text(1, school.id)
      .bind_text(2, school.name)
      .bind_text(3, to_string(school.kind))
      .bind_bool(4, school.nonprofit)
      .bind_bool(5, school.inclusive)
      .bind_text(6, school.district)
      .bind_int64(7, school.enrollment)
      .bind_int64_or_null(8, school.min_balance_fen)
      .run();
}

void insert_school_details(SqliteDb& db, const School& school) {
  for (const SchoolAccount& account : school.accounts) {
    try {
      db.prepare("INSERT INTO accounts (number, school_id, bank, role) VALUES (?1, ?2, ?3, ?4)")
          .bind_text(1, normalise_account(account.number))
          .bind_text(2, school.id)
          .bind_text(3, account.bank)
          .bind_text(4, to_string(account.role))
          .run();
    } catch (const StoreError& error) {
      throw with_context(error, "registry school " + school.id + " account '" + account.number +
                                    "' (an account belongs to one school)");
    }
  }
  for (const RelatedParty& party : school.related_parties) {
    db.prepare(
          "INSERT INTO related_parties (school_id, name, name_normalised, account, relation) "
          "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, school.id)
        .bind_text(2, party.name)
        .bind_text(3, normalise_name(party.name))
        .bind_text(4, normalise_account(party.account))
        .bind_text(5, party.relation)
        .run();
  }
  for (const FeeCatalogueEntry& entry : school.fee_catalogue) {
    db.prepare(
          "INSERT INTO fee_catalogue (school_id, fee_type, grade, cap_fen, per) "
          "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, school.id)
        .bind_text(2, entry.fee_type)
        .bind_text(3, entry.grade)
        .bind_int64(4, entry.cap_fen)
        .bind_text(5, to_string(entry.per))
        .run();
  }
  for (const AcademicTerm& term : school.academic_calendar) {
    try {
      db.prepare(
            "INSERT INTO academic_terms (school_id, term, start_date, end_date) "
            "VALUES (?1, ?2, ?3, ?4)")
          .bind_text(1, school.id)
          .bind_text(2, term.term)
          .bind_text(3, term.start.to_string())
          .bind_text(4, term.end.to_string())
          .run();
    } catch (const StoreError& error) {
      throw with_context(error, "registry school " + school.id + " term " + term.term);
    }
  }
}

}  // namespace

const char* to_string(RecordKind kind) {
  return kind == RecordKind::Bank ? "bank" : "fee";
}

std::optional<RecordKind> record_kind_from_string(const std::string& text) {
  if (text == "bank") return RecordKind::Bank;
  if (text == "fee") return RecordKind::Fee;
  return std::nullopt;
}

RecordStore::RecordStore(SqliteDb& db, Clock clock) : db_(db), clock_(std::move(clock)) {
  require_latest_schema(db_);
}

std::int64_t RecordStore::now() const {
  return clock_ ? clock_() : system_now();
}

void RecordStore::sync_registry(const Registry& registry,
                                const std::optional<std::string>& fingerprint) {
  Transaction transaction(db_);
  // Child rows are rebuilt from scratch; schools are updated in place so that
  // rows elsewhere referring to a school id that stays are not disturbed.
  db_.exec(
      "DELETE FROM academic_terms; DELETE FROM fee_catalogue; DELETE FROM related_parties; "
      "DELETE FROM accounts;");
  std::set<std::string> wanted;
  for (const School& school : registry.schools) {
    if (!wanted.insert(school.id).second) {
      throw StoreError("registry names school " + school.id + " twice", "", db_.path());
    }
  }
  std::vector<std::string> stale;
  {
    Statement& existing = db_.prepare("SELECT id FROM schools");
    ResetGuard done(existing);
    while (existing.step()) {
      std::string id = existing.column_text(0);
      if (wanted.count(id) == 0) stale.push_back(std::move(id));
    }
  }
  // A school that leaves is judged no more, so its daily totals could only
  // be pruned here (were it to come back, the registry's new fingerprint
  // would make them of another basis anyway).
  WindowTotalsStore totals(db_);
  for (const std::string& id : stale) {
    db_.prepare("DELETE FROM schools WHERE id = ?1").bind_text(1, id).run();
    totals.forget_school(id);
  }
  for (const School& school : registry.schools) {
    try {
      insert_school(db_, school);
    } catch (const StoreError& error) {
      throw with_context(error, "registry school " + school.id);
    }
    insert_school_details(db_, school);
  }
  if (fingerprint) {
    db_.prepare(
           "INSERT INTO registry_sync (id, fingerprint, synced_at) VALUES (1, ?1, ?2) "
           "ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, "
           "synced_at = excluded.synced_at")
        .bind_text(1, *fingerprint)
        .bind_int64(2, now())
        .run();
  } else {
    db_.exec("DELETE FROM registry_sync");
  }
  transaction.commit();
}

std::optional<std::string> RecordStore::registry_fingerprint() {
  Statement& query = db_.prepare("SELECT fingerprint FROM registry_sync WHERE id = 1");
  ResetGuard done(query);
  if (!query.step()) return std::nullopt;
  return query.column_text(0);
}

std::map<std::string, RecordStore::EventSpan> RecordStore::record_spans_by_school() {
  std::map<std::string, EventSpan> spans;
  const auto widen = [&](const std::string& school, std::int64_t from, std::int64_t to) {
    const auto [it, inserted] = spans.emplace(school, EventSpan{from, to});
    if (!inserted) {
      it->second.from = std::min(it->second.from, from);
      it->second.to = std::max(it->second.to, to);
    }
  };
  Statement& bank = db_.prepare(
      "SELECT a.school_id, MIN(b.booked_at_utc), MAX(b.booked_at_utc) "
      "FROM accounts a JOIN bank_records b ON b.account = a.number GROUP BY a.school_id");
  {
    ResetGuard done(bank);
    while (bank.step()) widen(bank.column_text(0), bank.column_int64(1), bank.column_int64(2));
  }
  Statement& fee = db_.prepare(
      "SELECT f.school_id, MIN(f.paid_at_utc), MAX(f.paid_at_utc) FROM fee_records f "
      "WHERE f.school_id IN (SELECT id FROM schools) GROUP BY f.school_id");
  {
    ResetGuard done(fee);
    while (fee.step()) widen(fee.column_text(0), fee.column_int64(1), fee.column_int64(2));
  }
  return spans;
}

bool RecordStore::has_ingested(const std::string& sha256, const std::string& kind) {
  Statement& query = db_.prepare(
      "SELECT EXISTS (SELECT 1 FROM ingest_log WHERE sha256 = ?1 AND kind = ?2 "
      "AND status = 'accepted')");
  ResetGuard done(query);
  query.bind_text(1, sha256).bind_text(2, kind);
  if (!query.step()) throw StoreError("EXISTS returned no row", query.sql(), db_.path());
  return query.column_bool(0);
}

std::optional<std::string> RecordStore::cursor(const std::string& source) {
  Statement& query = db_.prepare("SELECT cursor FROM cursors WHERE source = ?1");
  ResetGuard done(query);
  query.bind_text(1, source);
  if (!query.step()) return std::nullopt;
  return query.column_text(0);
}

void RecordStore::ensure_source(const std::string& source, const std::string& kind) {
  try {
    db_.prepare(
           "INSERT INTO sources (name, kind, first_seen_at) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (name) DO NOTHING")
        .bind_text(1, source)
        .bind_text(2, kind)
        .bind_int64(3, now())
        .run();
  } catch (const StoreError& error) {
    throw with_context(error, "source '" + source + "' of kind '" + kind + "'");
  }
}

std::int64_t RecordStore::begin_ingest(const FileOrigin& origin, const std::string& status,
                                       const std::string& format, const std::string& format_detail,
                                       const std::optional<std::string>& error) {
  ensure_source(origin.source, origin.kind);
  try {
    db_.prepare(
           "INSERT INTO ingest_log (source, path, sha256, kind, format, format_detail, status, at, "
           "error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind_text(1, origin.source)
        .bind_text(2, origin.path)
        .bind_text(3, origin.sha256)
        .bind_text(4, origin.kind)
        .bind_text(5, format)
        .bind_text(6, format_detail)
        .bind_text(7, status)
        .bind_int64(8, now())
        .bind_text_or_null(9, error)
        .run();
  } catch (const StoreError& failure) {
    throw with_context(failure, "ingest log entry for " + origin.path);
  }
  return db_.last_insert_rowid();
}

void RecordStore::finish_ingest(const IngestResult& result) {
  db_.prepare(
         "UPDATE ingest_log SET records_added = ?1, records_duplicate = ?2, records_promoted = ?3, "
         "warnings = ?4 WHERE id = ?5")
      .bind_int64(1, result.added)
      .bind_int64(2, result.duplicates)
      .bind_int64(3, result.promoted)
      .bind_int64(4, result.warnings)
      .bind_int64(5, result.ingest_id)
      .run();
  fold_record_counts();
}

void RecordStore::fold_record_counts() {
  // The records above the counted ids are this file's (or a few more written
  // past finish_ingest), found by rowid; their accounts are counted here,
  // not in the GROUP BY, which could pick the account index and read it whole.
  std::map<std::string, std::int64_t> added;
  Statement& counted = db_.prepare("SELECT bank_counted_to, fee_counted_to FROM record_counts");
  std::int64_t bank_counted_to = 0;
  std::int64_t fee_counted_to = 0;
  {
    ResetGuard done(counted);
    if (!counted.step()) throw StoreError("record_counts has no row", counted.sql(), db_.path());
    bank_counted_to = counted.column_int64(0);
    fee_counted_to = counted.column_int64(1);
  }
  Statement& bank = db_.prepare("SELECT id, account FROM bank_records WHERE id > ?1 ORDER BY id");
  {
    ResetGuard done(bank);
    bank.bind_int64(1, bank_counted_to);
    while (bank.step()) {
      bank_counted_to = bank.column_int64(0);
      ++added[bank.column_text(1)];
    }
  }
  for (const auto& [account, records] : added) {
    db_.prepare(
           "INSERT INTO bank_record_counts (account, records) VALUES (?1, ?2) "
           "ON CONFLICT (account) DO UPDATE SET records = records + excluded.records")
        .bind_text(1, account)
        .bind_int64(2, records)
        .run();
  }
  Statement& fee =
      db_.prepare("SELECT count(*), coalesce(max(id), ?1) FROM fee_records WHERE id > ?1");
  std::int64_t fees_added = 0;
  {
    ResetGuard done(fee);
    fee.bind_int64(1, fee_counted_to);
    if (!fee.step()) throw StoreError("count returned no row", fee.sql(), db_.path());
    fees_added = fee.column_int64(0);
    fee_counted_to = fee.column_int64(1);
  }
  if (added.empty() && fees_added == 0) return;
  db_.prepare(
         "UPDATE record_counts SET bank_counted_to = ?1, fee_records = fee_records + ?2, "
         "fee_counted_to = ?3")
      .bind_int64(1, bank_counted_to)
      .bind_int64(2, fees_added)
      .bind_int64(3, fee_counted_to)
      .run();
}

std::int64_t RecordStore::record_rejection(const FileOrigin& origin, const std::string& error,
                                           const std::string& quarantine_path) {
  Transaction transaction(db_);
  const std::int64_t ingest_id = begin_ingest(origin, "rejected", origin.format, "", error);
  if (!quarantine_path.empty()) {
    db_.prepare("INSERT INTO quarantine (ingest_id, path, error) VALUES (?1, ?2, ?3)")
        .bind_int64(1, ingest_id)
        .bind_text(2, quarantine_path)
        .bind_text(3, error)
        .run();
  }
  transaction.commit();
  return ingest_id;
}

std::int64_t RecordStore::record_duplicate(const FileOrigin& origin) {
  Transaction transaction(db_);
  const std::int64_t ingest_id = begin_ingest(origin, "duplicate", origin.format, "", std::nullopt);
  transaction.commit();
  return ingest_id;
}

StoreSummary RecordStore::summary() {
  // Printed after every run-once, so it must not read every record: bank
  // records are counted per account (record_counts, kept by
  // fold_record_counts, plus the records above its ids, counted here), which
  // also tells the unregistered ones apart; pending ones come from their
  // partial index, and booked = all - pending (status has two values).
  StoreSummary summary;
  {
    // MATERIALIZED: the records above the counted ids are found by rowid;
    // merged into the GROUP BY, the planner reads the whole account index.
    Statement& bank = db_.prepare(
        "WITH fresh AS MATERIALIZED (SELECT account FROM bank_records "
        "  WHERE id > (SELECT bank_counted_to FROM record_counts)) "
        "SELECT coalesce(sum(g.n), 0), "
        "coalesce(sum(CASE WHEN a.number IS NULL THEN g.n ELSE 0 END), 0) "
        "FROM (SELECT account, records AS n FROM bank_record_counts "
        "      UNION ALL SELECT account, count(*) AS n FROM fresh GROUP BY account) AS g "
        "LEFT JOIN accounts a ON a.number = g.account");
    ResetGuard done(bank);
    if (!bank.step()) throw StoreError("summary returned no row", bank.sql(), db_.path());
    summary.bank_records = bank.column_int64(0);
    summary.unregistered_account_records = bank.column_int64(1);
  }
  Statement& rest = db_.prepare(
      "SELECT (SELECT count(*) FROM bank_records WHERE status = 'pending'), "
      "(SELECT fee_records + (SELECT count(*) FROM fee_records WHERE id > fee_counted_to) "
      " FROM record_counts), "
      "(SELECT count(*) FROM ingest_log WHERE status = 'accepted'), "
      "(SELECT count(*) FROM ingest_log WHERE status = 'rejected'), "
      "(SELECT count(*) FROM ingest_log WHERE status = 'duplicate')");
  ResetGuard done(rest);
  if (!rest.step()) throw StoreError("summary returned no row", rest.sql(), db_.path());
  summary.bank_pending = rest.column_int64(0);
  summary.bank_booked = summary.bank_records - summary.bank_pending;
  summary.fee_records = rest.column_int64(1);
  summary.files_accepted = rest.column_int64(2);
  summary.files_rejected = rest.column_int64(3);
  summary.files_duplicate = rest.column_int64(4);
  return summary;
}

}  // namespace sfmon
