#include "sfmon/connectors/bank_csv_parser.h"

#include <map>
#include <utility>

#include "csv_columns.h"
#include "input_text.h"
#include "sfmon/connectors/csv_reader.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

// Decisions where formats.md is silent:
// - a file with a header row and no data rows is a valid, empty file; a file
//   without even a header row is an error (most likely a truncated upload);
// - txn_id must be a column but a cell may be empty: the record's bank_ref
//   stays empty and the normaliser gives it a content hash;
// - the same non-empty txn_id twice for one account is an error, because a
//   record's identity is (account, reference) and one of them would vanish;
// - amounts have at most two decimals, even zero ones ("1.000" is rejected),
//   and a '+' sign is accepted;
// - currency is three ASCII letters, stored upper-cased;
// - counterparty_type is person or organisation (any case) or empty.
const std::vector<std::string_view> kRequiredColumns = {"txn_id", "account", "booked_at", "amount",
                                                        "currency"};
const std::vector<std::string_view> kAllColumns = {"txn_id",
                                                   "account",
                                                   "booked_at",
                                                   "amount",
                                                   "currency",
                                                   "value_date",
                                                   "counterparty_name",
                                                   "counterparty_account",
                                                   "counterparty_bank",
                                                   "counterparty_type",
                                                   "purpose",
                                                   "balance_after"};

class BankRowDecoder {
 public:
  BankRowDecoder(const CsvColumns& columns, const std::string& file, const Zone& zone)
      : columns_(columns), file_(file), zone_(zone) {}

  BankRecord decode(const CsvRow& row) const {
    BankRecord record;
    record.source = {file_, line_location(row.line)};
    record.bank_ref = std::string(columns_.cell(row, "txn_id"));
    record.account = std::string(required(row, "account"));
    record.booked_at = booked_at(row);
    record.amount_fen = amount(row, "amount", required(row, "amount"));
    record.currency = currency(row);
    if (const auto text = columns_.cell(row, "value_date"); !text.empty()) {
      record.value_date = parse_iso_date(text);
      if (!record.value_date) fail(row, "value_date", "not a date (YYYY-MM-DD)", text);
    }
    record.counterparty.name = std::string(columns_.cell(row, "counterparty_name"));
    record.counterparty.account = std::string(columns_.cell(row, "counterparty_account"));
    record.counterparty.bank = std::string(columns_.cell(row, "counterparty_bank"));
    classify(row, record.counterparty);
    record.purpose = std::string(columns_.cell(row, "purpose"));
    if (const auto text = columns_.cell(row, "balance_after"); !text.empty()) {
      record.balance_after_fen = amount(row, "balance_after", text);
    }
    return record;
  }

 private:
  [[noreturn]] void fail(const CsvRow& row, std::string_view column, const std::string& message,
                         std::string_view value) const {
    throw InputError(file_, line_location(row.line),
                     "column '" + std::string(column) + "': " + message, std::string(value));
  }

  std::string_view required(const CsvRow& row, std::string_view column) const {
    const std::string_view text = columns_.cell(row, column);
    if (text.empty()) fail(row, column, "value required", text);
    return text;
  }

  Instant booked_at(const CsvRow& row) const {
    const std::string_view text = required(row, "booked_at");
    const auto instant = parse_iso_instant(text, zone_);
    if (!instant) fail(row, "booked_at", "not an ISO 8601 date or date-time", text);
    return *instant;
  }

  Fen amount(const CsvRow& row, std::string_view column, std::string_view text) const {
    AmountSyntax syntax;
    syntax.allow_zero_extra_decimals = false;
    std::string why;
    const auto fen = parse_amount(text, syntax, &why);
    if (!fen) {
      if (text.find(',') != std::string_view::npos) {
        why += "; write amounts without thousands separators and with '.' for decimals";
      }
      fail(row, column, "invalid amount: " + why, text);
    }
    return *fen;
  }

  std::string currency(const CsvRow& row) const {
    const std::string_view text = required(row, "currency");
    std::string code(text);
    bool letters = code.size() == 3;
    for (char& c : code) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      letters = letters && c >= 'A' && c <= 'Z';
    }
    if (!letters) fail(row, "currency", "not a three-letter ISO 4217 code", text);
    return code;
  }

  void classify(const CsvRow& row, Counterparty& counterparty) const {
    const std::string_view text = columns_.cell(row, "counterparty_type");
    if (text.empty()) return;
    std::string lowered(text);
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lowered == "person") {
      counterparty.cls = CounterpartyClass::Person;
    } else if (lowered == "organisation") {
      counterparty.cls = CounterpartyClass::Organisation;
    } else {
      fail(row, "counterparty_type", "expected 'person' or 'organisation'", text);
    }
    counterparty.basis = ClassBasis::Source;
  }

  const CsvColumns& columns_;
  const std::string& file_;
  const Zone& zone_;
};

// Groups records into one statement per account, in order of first appearance.
class StatementCollector {
 public:
  explicit StatementCollector(const std::string& file) : file_(file) {}

  void add(BankRecord record) {
    auto [it, inserted] = statement_of_account_.emplace(record.account, statements_.size());
    if (inserted) {
      BankStatement statement;
      statement.statement_id = file_ + ":" + record.account;
      statement.account = record.account;
      statement.currency = record.currency;
      statements_.push_back(std::move(statement));
    }
    check_unique_reference(record);
    statements_[it->second].records.push_back(std::move(record));
  }

  std::vector<BankStatement> take() { return std::move(statements_); }

 private:
  void check_unique_reference(const BankRecord& record) {
    if (record.bank_ref.empty()) return;
    const auto [it, inserted] = first_position_.emplace(
        std::make_pair(record.account, record.bank_ref), record.source.position);
    if (!inserted) {
      throw InputError(file_, record.source.position,
                       "column 'txn_id': duplicate for account " + record.account + " (first on " +
                           it->second + ")",
                       record.bank_ref);
    }
  }

  const std::string& file_;
  std::vector<BankStatement> statements_;
  std::map<std::string, std::size_t> statement_of_account_;
  std::map<std::pair<std::string, std::string>, std::string> first_position_;
};

}  // namespace

const std::vector<std::string_view>& bank_csv_columns() {
  return kAllColumns;
}

BankFile parse_bank_csv(std::string_view content, const std::string& file, const Zone& zone) {
  const std::vector<CsvRow> rows = read_csv(content, file);
  if (rows.empty()) {
    throw InputError(file, line_location(1), "empty file: a bank CSV needs a header row");
  }
  const CsvColumns columns(rows.front(), file);
  columns.require(kRequiredColumns);

  const BankRowDecoder decoder(columns, file, zone);
  StatementCollector collector(file);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    columns.check_width(rows[i]);
    collector.add(decoder.decode(rows[i]));
  }
  BankFile result;
  result.format = BankFormat::Csv;
  result.format_detail = "csv";
  result.statements = collector.take();
  return result;
}

}  // namespace sfmon
