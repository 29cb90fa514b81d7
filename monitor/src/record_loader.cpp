#include "record_loader.h"

#include <optional>
#include <string>

namespace sfmon {
namespace {

std::optional<Date> date_or_null(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parse_iso_date(*text);
}

CounterpartyClass class_from_text(const std::string& text) {
  if (text == "person") return CounterpartyClass::Person;
  if (text == "organisation") return CounterpartyClass::Organisation;
  return CounterpartyClass::Unknown;
}

}  // namespace

void load_school_records(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                         unsigned what, rules::FactInputs& inputs) {
  // No ORDER BY: the fact builder sorts (a sort here would cost a temporary
  // B-tree), and only the columns the fact builder reads.
  Statement& bank = db.prepare(
      "SELECT b.account, b.bank_ref, b.booked_at_utc, b.booked_at_offset, b.booked_at_date_only, "
      "b.amount_fen, b.status, b.reversal, b.reversal_of, b.cp_name, b.cp_account, b.cp_class, "
      "b.purpose, b.tx_code, b.balance_after_fen "
      "FROM bank_records b JOIN accounts a ON a.number = b.account "
      "WHERE a.school_id = ?1 AND b.booked_at_utc BETWEEN ?2 AND ?3");
  bank.bind_text(1, school.id).bind_int64(2, from).bind_int64(3, to);
  while ((what & kLoadBank) != 0 && bank.step()) {
    BankRecord& record = inputs.bank.emplace_back();
    record.account = bank.column_text(0);
    record.bank_ref = bank.column_text(1);
    record.booked_at =
        Instant{bank.column_int64(2), static_cast<int>(bank.column_int64(3)), bank.column_bool(4)};
    record.amount_fen = bank.column_int64(5);
    record.status = bank.column_text(6) == "pending" ? EntryStatus::Pending : EntryStatus::Booked;
    record.reversal = bank.column_bool(7);
    record.reversal_of = bank.column_text(8);
    record.counterparty.name = bank.column_text(9);
    record.counterparty.account = bank.column_text(10);
    record.counterparty.cls = class_from_text(bank.column_text(11));
    record.purpose = bank.column_text(12);
    record.tx_code = bank.column_text(13);
    record.balance_after_fen = bank.column_int64_or_null(14);
  }
  Statement& fees = db.prepare(
      "SELECT fee_id, student_id, paid_at_utc, paid_at_offset, paid_at_date_only, amount_fen, "
      "fee_type, grade, period_start, period_end, hours, receiving_account, enrolled_at "
      "FROM fee_records WHERE school_id = ?1 AND paid_at_utc BETWEEN ?2 AND ?3");
  fees.bind_text(1, school.id).bind_int64(2, from).bind_int64(3, to);
  while ((what & kLoadFees) != 0 && fees.step()) {
    FeeRecord& record = inputs.fees.emplace_back();
    record.school_id = school.id;
    record.fee_id = fees.column_text(0);
    record.student_id = fees.column_text(1);
    record.paid_at =
        Instant{fees.column_int64(2), static_cast<int>(fees.column_int64(3)), fees.column_bool(4)};
    record.amount_fen = fees.column_int64(5);
    record.fee_type = fees.column_text(6);
    record.grade = fees.column_text(7);
    record.period_start = date_or_null(fees.column_text_or_null(8));
    record.period_end = date_or_null(fees.column_text_or_null(9));
    record.hours = fees.column_double_or_null(10);
    record.receiving_account = fees.column_text(11);
    record.enrolled_at = date_or_null(fees.column_text_or_null(12));
  }
  if ((what & kLoadBalances) == 0) return;
  // Balances are few; all of them, so "the latest earlier balance" is known.
  Statement& balances = db.prepare(
      "SELECT b.account, b.date, b.amount_fen FROM balances b JOIN accounts a "
      "ON a.number = b.account WHERE a.school_id = ?1 AND b.type = 'closing'");
  balances.bind_text(1, school.id);
  while (balances.step()) {
    const auto date = parse_iso_date(balances.column_text(1));
    if (!date) continue;
    inputs.balances.push_back(
        rules::StoredBalance{balances.column_text(0), *date, balances.column_int64(2)});
  }
}

}  // namespace sfmon
