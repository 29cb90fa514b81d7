#include "sfmon/connectors/statement_reconciler.h"

#include "sfmon/model/money.h"

namespace sfmon {
namespace {

// Sum of the statement's booked amounts, or nullopt if it overflows int64
// (only possible with absurd input; then the statement cannot be checked).
std::optional<Fen> booked_sum(const BankStatement& statement) {
  Fen sum = 0;
  for (const BankRecord& record : statement.records) {
    if (record.status != EntryStatus::Booked) continue;
    if (__builtin_add_overflow(sum, record.amount_fen, &sum)) return std::nullopt;
  }
  return sum;
}

}  // namespace

std::vector<Warning> reconcile_statements(const BankFile& bank_file, const std::string& file) {
  std::vector<Warning> warnings;
  for (const BankStatement& statement : bank_file.statements) {
    if (!statement.opening || !statement.closing) continue;
    const Fen opening = statement.opening->amount_fen;
    const Fen closing = statement.closing->amount_fen;
    const std::optional<Fen> entries = booked_sum(statement);
    Fen expected = 0;
    if (entries && !__builtin_add_overflow(opening, *entries, &expected) && expected == closing) {
      continue;
    }
    const std::string entries_text = entries ? format_amount(*entries) : "(sum out of range)";
    warnings.push_back(Warning{file, "",
                               "statement " + statement.statement_id + ": opening " +
                                   format_amount(opening) + " + entries " + entries_text +
                                   " != closing " + format_amount(closing)});
  }
  return warnings;
}

}  // namespace sfmon
