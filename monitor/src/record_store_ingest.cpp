// RecordStore: storing bank files and fee records, each batch in one
// transaction with cached prepared statements.

#include <string>

#include "sfmon/model/name_normaliser.h"
#include "sfmon/monitor/record_store.h"

namespace sfmon {
namespace {

std::optional<std::string> date_text(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return date->to_string();
}

std::string describe(const SourcePosition& source) {
  return source.position.empty() ? source.file : source.file + ": " + source.position;
}

// The INSERT and the promoting UPDATE share parameter numbers, so one binder
// serves both. The per-record statements' texts are strings, not literals:
// SqliteDb::prepare looks its cache up by std::string, and a literal would
// be copied into a new one for every record.
const std::string kInsertBankRecord =
    "INSERT INTO bank_records (account, bank_ref, ref_is_hash, booked_at_utc, booked_at_offset, "
    "booked_at_date_only, value_date, amount_fen, currency, status, reversal, reversal_of, "
    "cp_name, cp_name_normalised, cp_account, cp_bank, cp_class, cp_class_basis, purpose, "
    "tx_code, balance_after_fen, source_file, source_position, ingest_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24) "
    "ON CONFLICT (account, bank_ref) DO NOTHING";

// Only a stored pending row is replaced, and only by a booked one (?10).
const std::string kPromoteBankRecord =
    "UPDATE bank_records SET ref_is_hash = ?3, booked_at_utc = ?4, booked_at_offset = ?5, "
    "booked_at_date_only = ?6, value_date = ?7, amount_fen = ?8, currency = ?9, status = ?10, "
    "reversal = ?11, reversal_of = ?12, cp_name = ?13, cp_name_normalised = ?14, "
    "cp_account = ?15, cp_bank = ?16, cp_class = ?17, cp_class_basis = ?18, purpose = ?19, "
    "tx_code = ?20, balance_after_fen = ?21, source_file = ?22, source_position = ?23, "
    "ingest_id = ?24 "
    "WHERE account = ?1 AND bank_ref = ?2 AND status = 'pending' AND ?10 = 'booked'";

const std::string kInsertFeeRecord =
    "INSERT INTO fee_records (school_id, fee_id, student_id, paid_at_utc, paid_at_offset, "
    "paid_at_date_only, amount_fen, currency, fee_type, grade, period_start, period_end, "
    "hours, receiving_account, refund_of, enrolled_at, source_file, source_position, "
    "ingest_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18, ?19) ON CONFLICT (school_id, fee_id) DO NOTHING";

// Copying every text value on bind was about 6% of storing (bench/profile.md),
// so the record's own strings, `account` and the static names of enum values
// are bound borrowed: the caller keeps them alive until the statement is done
// and its bindings cleared (store_bank_record). Computed values (dates,
// normalised names and accounts) are temporaries and must be copied.
void bind_bank_record(Statement& statement, const BankRecord& record, const std::string& account,
                      std::int64_t ingest_id) {
  const Counterparty& party = record.counterparty;
  statement.bind_text_borrowed(1, account)
      .bind_text_borrowed(2, record.bank_ref)
      .bind_bool(3, record.ref_is_hash)
      .bind_int64(4, record.booked_at.utc_seconds)
      .bind_int64(5, record.booked_at.offset_minutes)
      .bind_bool(6, record.booked_at.date_only)
      .bind_text_or_null(7, date_text(record.value_date))
      .bind_int64(8, record.amount_fen)
      .bind_text_borrowed(9, record.currency)
      .bind_text_borrowed(10, to_string(record.status))
      .bind_bool(11, record.reversal)
      .bind_text_borrowed(12, record.reversal_of)
      .bind_text_borrowed(13, party.name)
      .bind_text(14, normalise_name(party.name))
      .bind_text(15, normalise_account(party.account))
      .bind_text_borrowed(16, party.bank)
      .bind_text_borrowed(17, to_string(party.cls))
      .bind_text_borrowed(18, to_string(party.basis))
      .bind_text_borrowed(19, record.purpose)
      .bind_text_borrowed(20, record.tx_code)
      .bind_int64_or_null(21, record.balance_after_fen)
      .bind_text_borrowed(22, record.source.file)
      .bind_text_borrowed(23, record.source.position)
      .bind_int64(24, ingest_id);
}

void insert_balance(SqliteDb& db, const std::string& account, const Balance& balance,
                    const std::string& statement_currency, std::int64_t statement_row) {
  // A balance repeated by a later statement keeps the first one read.
  db.prepare(
        "INSERT INTO balances (account, date, type, amount_fen, currency, statement_row) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account, date, type) DO NOTHING")
      .bind_text(1, account)
      .bind_text(2, balance.date.to_string())
      .bind_text(3, to_string(balance.type))
      .bind_int64(4, balance.amount_fen)
      .bind_text(5, balance.currency.empty() ? statement_currency : balance.currency)
      .bind_int64(6, statement_row)
      .run();
}

}  // namespace

IngestResult RecordStore::store_bank_file(const BankFile& file, const FileOrigin& origin) {
  Transaction transaction(db_);
  const char* status = has_ingested(origin.sha256, origin.kind) ? "duplicate" : "accepted";
  IngestResult result;
  result.ingest_id =
      begin_ingest(origin, status, to_string(file.format), file.format_detail, std::nullopt);
  for (const Warning& warning : file.warnings) store_warning(warning, result.ingest_id);
  result.warnings = static_cast<int>(file.warnings.size());
  for (const BankStatement& statement : file.statements) {
    store_statement(statement, result.ingest_id, result);
  }
  finish_ingest(result);
  transaction.commit();
  return result;
}

void RecordStore::store_warning(const Warning& warning, std::int64_t ingest_id) {
  db_.prepare(
         "INSERT INTO ingest_warnings (ingest_id, file, location, message) "
         "VALUES (?1, ?2, ?3, ?4)")
      .bind_int64(1, ingest_id)
      .bind_text(2, warning.file)
      .bind_text(3, warning.location)
      .bind_text(4, warning.message)
      .run();
}

void RecordStore::store_statement(const BankStatement& statement, std::int64_t ingest_id,
                                  IngestResult& result) {
  const std::string account = normalise_account(statement.account);
  std::int64_t statement_row = 0;
  try {
    db_.prepare(
           "INSERT INTO statements (ingest_id, statement_id, account, currency, opening_fen, "
           "opening_date, closing_fen, closing_date, record_count) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind_int64(1, ingest_id)
        .bind_text(2, statement.statement_id)
        .bind_text(3, account)
        .bind_text(4, statement.currency)
        .bind_int64_or_null(
            5, statement.opening ? std::optional<Fen>(statement.opening->amount_fen) : std::nullopt)
        .bind_text_or_null(6, statement.opening ? date_text(statement.opening->date) : std::nullopt)
        .bind_int64_or_null(
            7, statement.closing ? std::optional<Fen>(statement.closing->amount_fen) : std::nullopt)
        .bind_text_or_null(8, statement.closing ? date_text(statement.closing->date) : std::nullopt)
        .bind_int64(9, static_cast<std::int64_t>(statement.records.size()))
        .run();
    statement_row = db_.last_insert_rowid();
    if (statement.opening) {
      insert_balance(db_, account, *statement.opening, statement.currency, statement_row);
    }
    if (statement.closing) {
      insert_balance(db_, account, *statement.closing, statement.currency, statement_row);
    }
  } catch (const StoreError& error) {
    throw with_context(
        error, "statement '" + statement.statement_id + "' of account '" + statement.account + "'");
  }
  for (const BankRecord& record : statement.records) {
    store_bank_record(record, account, ingest_id, result);
  }
}

void RecordStore::store_bank_record(const BankRecord& record, const std::string& statement_account,
                                    std::int64_t ingest_id, IngestResult& result) {
  // Records normally repeat their statement's account; fall back to it.
  const std::string account =
      record.account.empty() ? statement_account : normalise_account(record.account);
  try {
    // The binds borrow `record` and `account`; the guards clear them before
    // either goes away, so no later step of these cached statements can read
    // a dead record's bytes.
    Statement& insert = db_.prepare(kInsertBankRecord);
    ResetGuard unbind_insert(insert);
    bind_bank_record(insert, record, account, ingest_id);
    insert.run();
    if (db_.changes() == 1) {
      ++result.added;
      return;
    }
    Statement& promote = db_.prepare(kPromoteBankRecord);
    ResetGuard unbind_promote(promote);
    bind_bank_record(promote, record, account, ingest_id);
    promote.run();
    if (db_.changes() == 1) {
      ++result.promoted;
    } else {
      ++result.duplicates;
    }
  } catch (const StoreError& error) {
    throw with_context(error, "bank record at " + describe(record.source) + " (account '" +
                                  account + "', reference '" + record.bank_ref + "')");
  }
}

IngestResult RecordStore::store_fee_records(
    const std::vector<FeeRecord>& records, const FileOrigin& origin,
    const std::optional<std::pair<std::string, std::string>>& cursor) {
  Transaction transaction(db_);
  const char* status = has_ingested(origin.sha256, origin.kind) ? "duplicate" : "accepted";
  IngestResult result;
  result.ingest_id = begin_ingest(origin, status, origin.format, "", std::nullopt);
  for (const FeeRecord& record : records) store_fee_record(record, result.ingest_id, result);
  finish_ingest(result);
  if (cursor) {
    ensure_source(cursor->first, "fee");
    db_.prepare(
           "INSERT INTO cursors (source, cursor, updated_at) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, "
           "updated_at = excluded.updated_at")
        .bind_text(1, cursor->first)
        .bind_text(2, cursor->second)
        .bind_int64(3, now())
        .run();
  }
  transaction.commit();
  return result;
}

void RecordStore::store_fee_record(const FeeRecord& record, std::int64_t ingest_id,
                                   IngestResult& result) {
  try {
    Statement& insert = db_.prepare(kInsertFeeRecord);
    // As for bank records: the record's own strings are borrowed, not copied,
    // and the guard clears them before the record can go away.
    ResetGuard unbind(insert);
    insert.bind_text_borrowed(1, record.school_id)
        .bind_text_borrowed(2, record.fee_id)
        .bind_text_borrowed(3, record.student_id)
        .bind_int64(4, record.paid_at.utc_seconds)
        .bind_int64(5, record.paid_at.offset_minutes)
        .bind_bool(6, record.paid_at.date_only)
        .bind_int64(7, record.amount_fen)
        .bind_text_borrowed(8, record.currency)
        .bind_text_borrowed(9, record.fee_type)
        .bind_text_borrowed(10, record.grade)
        .bind_text_or_null(11, date_text(record.period_start))
        .bind_text_or_null(12, date_text(record.period_end))
        .bind_double_or_null(13, record.hours)
        .bind_text(14, normalise_account(record.receiving_account))
        .bind_text_borrowed(15, record.refund_of)
        .bind_text_or_null(16, date_text(record.enrolled_at))
        .bind_text_borrowed(17, record.source.file)
        .bind_text_borrowed(18, record.source.position)
        .bind_int64(19, ingest_id)
        .run();
  } catch (const StoreError& error) {
    throw with_context(error, "fee record at " + describe(record.source) + " (school '" +
                                  record.school_id + "', fee_id '" + record.fee_id + "')");
  }
  if (db_.changes() == 1) {
    ++result.added;
  } else {
    ++result.duplicates;
  }
}

}  // namespace sfmon
