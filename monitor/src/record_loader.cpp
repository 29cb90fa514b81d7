#include "record_loader.h"

#include <optional>
#include <string>
#include <string_view>

namespace sfmon {
namespace {

// No ORDER BY: the fact builder sorts (a sort here would cost a temporary
// B-tree), and only the columns the fact builder reads.
const std::string kBankSql =
    "SELECT b.account, b.bank_ref, b.booked_at_utc, b.booked_at_offset, b.booked_at_date_only, "
    "b.amount_fen, b.status, b.reversal, b.reversal_of, b.cp_name, b.cp_account, b.cp_class, "
    "b.purpose, b.tx_code, b.balance_after_fen "
    "FROM bank_records b JOIN accounts a ON a.number = b.account "
    "WHERE a.school_id = ?1 AND b.booked_at_utc BETWEEN ?2 AND ?3";
const std::string kFeeSql =
    "SELECT fee_id, student_id, paid_at_utc, paid_at_offset, paid_at_date_only, amount_fen, "
    "fee_type, grade, period_start, period_end, hours, receiving_account, enrolled_at "
    "FROM fee_records WHERE school_id = ?1 AND paid_at_utc BETWEEN ?2 AND ?3";
// Balances are few; all of them, so "the latest earlier balance" is known.
const std::string kBalanceSql =
    "SELECT b.account, b.date, b.amount_fen FROM balances b JOIN accounts a "
    "ON a.number = b.account WHERE a.school_id = ?1 AND b.type = 'closing'";

std::optional<Date> date_or_null(const Statement& row, int column) {
  if (row.column_is_null(column)) return std::nullopt;
  return parse_iso_date(row.column_text_view(column));
}

CounterpartyClass class_from_text(std::string_view text) {
  if (text == "person") return CounterpartyClass::Person;
  if (text == "organisation") return CounterpartyClass::Organisation;
  return CounterpartyClass::Unknown;
}

// records[n] when an earlier school left one there (overwritten field by
// field, so its strings keep their storage), else a new one.
template <typename Record>
Record& slot(std::vector<Record>& records, std::size_t n) {
  return n < records.size() ? records[n] : records.emplace_back();
}

// Every field is set, those the store does not give back to their defaults,
// so a reused record keeps nothing of the one before.
void read_bank_row(const Statement& row, BankRecord& record) {
  static const BankRecord kFresh;
  record.account.assign(row.column_text_view(0));
  record.bank_ref.assign(row.column_text_view(1));
  record.ref_is_hash = kFresh.ref_is_hash;
  record.booked_at =
      Instant{row.column_int64(2), static_cast<int>(row.column_int64(3)), row.column_bool(4)};
  record.value_date = kFresh.value_date;
  record.amount_fen = row.column_int64(5);
  record.currency.assign(kFresh.currency);
  record.status = row.column_text_view(6) == "pending" ? EntryStatus::Pending : EntryStatus::Booked;
  record.reversal = row.column_bool(7);
  record.reversal_of.assign(row.column_text_view(8));
  record.counterparty.name.assign(row.column_text_view(9));
  record.counterparty.account.assign(row.column_text_view(10));
  record.counterparty.bank.assign(kFresh.counterparty.bank);
  record.counterparty.cls = class_from_text(row.column_text_view(11));
  record.counterparty.basis = kFresh.counterparty.basis;
  record.purpose.assign(row.column_text_view(12));
  record.tx_code.assign(row.column_text_view(13));
  record.balance_after_fen = row.column_int64_or_null(14);
  record.source.file.assign(kFresh.source.file);
  record.source.position.assign(kFresh.source.position);
}

void read_fee_row(const Statement& row, const School& school, FeeRecord& record) {
  static const FeeRecord kFresh;
  record.school_id.assign(school.id);
  record.fee_id.assign(row.column_text_view(0));
  record.student_id.assign(row.column_text_view(1));
  record.paid_at =
      Instant{row.column_int64(2), static_cast<int>(row.column_int64(3)), row.column_bool(4)};
  record.amount_fen = row.column_int64(5);
  record.currency.assign(kFresh.currency);
  record.fee_type.assign(row.column_text_view(6));
  record.grade.assign(row.column_text_view(7));
  record.period_start = date_or_null(row, 8);
  record.period_end = date_or_null(row, 9);
  record.hours = row.column_double_or_null(10);
  record.receiving_account.assign(row.column_text_view(11));
  record.refund_of.assign(kFresh.refund_of);
  record.enrolled_at = date_or_null(row, 12);
  record.source.file.assign(kFresh.source.file);
  record.source.position.assign(kFresh.source.position);
}

// Reads into the records from index `first` on; returns the index after the
// last record read.
std::size_t read_bank(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                      std::vector<BankRecord>& records, std::size_t first) {
  Statement& bank = db.prepare(kBankSql);
  bank.bind_text(1, school.id).bind_int64(2, from).bind_int64(3, to);
  std::size_t n = first;
  while (bank.step()) read_bank_row(bank, slot(records, n++));
  return n;
}

std::size_t read_fees(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                      std::vector<FeeRecord>& records, std::size_t first) {
  Statement& fees = db.prepare(kFeeSql);
  fees.bind_text(1, school.id).bind_int64(2, from).bind_int64(3, to);
  std::size_t n = first;
  while (fees.step()) read_fee_row(fees, school, slot(records, n++));
  return n;
}

std::size_t read_balances(SqliteDb& db, const School& school,
                          std::vector<rules::StoredBalance>& balances, std::size_t first) {
  Statement& rows = db.prepare(kBalanceSql);
  rows.bind_text(1, school.id);
  std::size_t n = first;
  while (rows.step()) {
    const auto date = parse_iso_date(rows.column_text_view(1));
    if (!date) continue;
    rules::StoredBalance& balance = slot(balances, n++);
    balance.account.assign(rows.column_text_view(0));
    balance.date = *date;
    balance.closing_fen = rows.column_int64(2);
  }
  return n;
}

}  // namespace

void load_school_records(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                         unsigned what, rules::FactInputs& inputs) {
  if ((what & kLoadBank) != 0) read_bank(db, school, from, to, inputs.bank, inputs.bank.size());
  if ((what & kLoadFees) != 0) read_fees(db, school, from, to, inputs.fees, inputs.fees.size());
  if ((what & kLoadBalances) != 0)
    read_balances(db, school, inputs.balances, inputs.balances.size());
}

void reload_school_records(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                           unsigned what, rules::FactInputs& inputs) {
  // Records past the new count are dropped; the next school's reads reuse
  // the rest.
  const std::size_t banks =
      (what & kLoadBank) != 0 ? read_bank(db, school, from, to, inputs.bank, 0) : 0;
  inputs.bank.erase(inputs.bank.begin() + static_cast<std::ptrdiff_t>(banks), inputs.bank.end());
  const std::size_t fees =
      (what & kLoadFees) != 0 ? read_fees(db, school, from, to, inputs.fees, 0) : 0;
  inputs.fees.erase(inputs.fees.begin() + static_cast<std::ptrdiff_t>(fees), inputs.fees.end());
  const std::size_t balances =
      (what & kLoadBalances) != 0 ? read_balances(db, school, inputs.balances, 0) : 0;
  inputs.balances.erase(inputs.balances.begin() + static_cast<std::ptrdiff_t>(balances),
                        inputs.balances.end());
  inputs.enrolment.reset();
}

}  // namespace sfmon
