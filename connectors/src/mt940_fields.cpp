#include "mt940_fields.h"

#include <cctype>

#include "mt940_text.h"
#include "sfmon/model/input_error.h"

namespace sfmon::mt940 {
namespace {

constexpr int kMonthsForYearEnd = 6;  // entry and value dates are days apart, not half a year

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return !text.empty();
}

int two_digits(std::string_view text, std::size_t pos) {
  return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
}

[[noreturn]] void fail(const FieldSource& source, const std::string& message,
                       std::string_view value) {
  throw InputError(source.file, source.location(), message, std::string(value));
}

// The amount part: digits and exactly one decimal comma ("12," is twelve).
// SWIFT always writes the comma, so an amount without one is a truncated line.
Fen read_amount(std::string_view amount, const std::string& what, const FieldSource& source) {
  if (amount.empty()) fail(source, what + ": amount missing", amount);
  if (amount.find(',') == std::string_view::npos) {
    fail(source, what + ": amount has no decimal comma (truncated?)", amount);
  }
  std::string why;
  const auto fen = parse_amount(amount, AmountSyntax{',', false, true}, &why);
  if (!fen) fail(source, what + ": amount is not exact: " + why, amount);
  return *fen;
}

std::size_t amount_end(std::string_view text, std::size_t pos) {
  while (pos < text.size() && (is_digit(text[pos]) || text[pos] == ',')) ++pos;
  return pos;
}

}  // namespace

std::optional<Date> date_from_yymmdd(std::string_view text) {
  if (text.size() != 6 || !all_digits(text)) return std::nullopt;
  const int yy = two_digits(text, 0);
  const int year = yy < 80 ? 2000 + yy : 1900 + yy;
  const int month = two_digits(text, 2);
  const int day = two_digits(text, 4);
  if (!is_valid_date(year, month, day)) return std::nullopt;
  return Date{year, month, day};
}

int entry_date_year(const Date& value_date, int entry_month) {
  if (entry_month - value_date.month > kMonthsForYearEnd) return value_date.year - 1;
  if (value_date.month - entry_month > kMonthsForYearEnd) return value_date.year + 1;
  return value_date.year;
}

StatementLine parse_statement_line(const std::vector<std::string>& lines,
                                   const FieldSource& source) {
  const std::string_view text = lines.empty() ? std::string_view{} : std::string_view(lines[0]);
  const std::string what = "malformed :61: statement line";
  StatementLine result;

  const std::string_view value_text = text.substr(0, 6);
  if (value_text.size() != 6 || !all_digits(value_text)) {
    fail(source, what + ": value date YYMMDD expected", text);
  }
  const auto value_date = date_from_yymmdd(value_text);
  if (!value_date) fail(source, what + ": value date is not a real date", value_text);
  result.value_date = *value_date;
  std::size_t pos = 6;

  if (text.size() >= pos + 4 && all_digits(text.substr(pos, 4))) {
    const std::string_view entry_text = text.substr(pos, 4);
    const int month = two_digits(entry_text, 0);
    const int day = two_digits(entry_text, 2);
    const int year = entry_date_year(result.value_date, month);
    if (!is_valid_date(year, month, day))
      fail(source, what + ": entry date is not a real date", entry_text);
    result.entry_date = Date{year, month, day};
    pos += 4;
  }

  bool credit = false;
  if (pos < text.size() && text[pos] == 'R') {
    result.reversal = true;
    ++pos;
  }
  if (pos < text.size() && (text[pos] == 'C' || text[pos] == 'D')) {
    credit = text[pos] == 'C';
    ++pos;
  } else {
    fail(source, what + ": debit/credit mark C, D, RC or RD expected", text.substr(0, pos + 1));
  }
  // A reversed debit (RD) puts money back, a reversed credit (RC) takes it away.
  const bool positive = credit != result.reversal;

  if (pos < text.size() && is_upper(text[pos])) ++pos;  // funds code, e.g. the "R" of EUR

  const std::size_t amount_stop = amount_end(text, pos);
  const Fen magnitude = read_amount(text.substr(pos, amount_stop - pos), what, source);
  result.amount_fen = positive ? magnitude : -magnitude;
  pos = amount_stop;
  while (pos < text.size() && text[pos] == ' ') ++pos;  // Commerzbank writes "12,35 NRTI"

  if (pos + 4 > text.size() || !std::isalpha(static_cast<unsigned char>(text[pos]))) {
    fail(source, what + ": transaction type code (e.g. NTRF, N024) expected", text);
  }
  result.type_code = std::string(trim(text.substr(pos, 4)));
  pos += 4;

  const std::string_view reference = text.substr(pos);
  result.reference_missing = trim(reference).empty();
  const auto separator = reference.find("//");
  result.customer_ref = std::string(trim(reference.substr(0, separator)));
  if (separator != std::string_view::npos) {
    result.bank_ref = std::string(trim(reference.substr(separator + 2)));
  }

  std::string supplementary;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    supplementary += ' ';
    supplementary += lines[i];
  }
  result.supplementary = fold_spaces(supplementary);
  return result;
}

Balance parse_balance(std::string_view text, BalanceType type, const std::string& tag,
                      const FieldSource& source) {
  const std::string what = "malformed balance :" + tag + ":";
  const std::string_view trimmed = trim(text);
  if (trimmed.size() < 10 || (trimmed[0] != 'C' && trimmed[0] != 'D')) {
    fail(source, what + ": mark C/D, date YYMMDD, currency and amount expected", text);
  }
  const auto date = date_from_yymmdd(trimmed.substr(1, 6));
  if (!date) fail(source, what + ": date is not a real YYMMDD date", trimmed.substr(1, 6));
  const std::string_view currency = trimmed.substr(7, 3);
  for (char c : currency) {
    if (!is_upper(c)) fail(source, what + ": currency code expected", currency);
  }
  const std::string_view amount = trimmed.substr(10);
  if (amount_end(amount, 0) != amount.size())
    fail(source, what + ": amount is not a number", amount);
  const Fen magnitude = read_amount(amount, what, source);

  Balance balance;
  balance.type = type;
  balance.date = *date;
  balance.currency = std::string(currency);
  balance.amount_fen = trimmed[0] == 'C' ? magnitude : -magnitude;
  return balance;
}

}  // namespace sfmon::mt940
