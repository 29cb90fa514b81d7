#pragma once
// Readers for the MT940 fields whose content carries money or dates: the :61:
// statement line and the :60a:/:62a: balances. Each throws InputError naming
// the file, "line N" and the offending value when the text is not exact.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/bank_record.h"

namespace sfmon::mt940 {

// Where a field sits, for error messages.
struct FieldSource {
  const std::string& file;
  int line = 0;

  std::string location() const { return "line " + std::to_string(line); }
};

// :61: Value date YYMMDD, [entry date MMDD], mark C/D/RC/RD, [funds code letter],
// amount "1234,56", type code (N024, NTRF, S...), customer ref [//bank ref],
// then an optional supplementary-details line.
struct StatementLine {
  Date value_date;
  std::optional<Date> entry_date;
  Fen amount_fen = 0;  // signed: C and RD positive, D and RC negative
  bool reversal = false;
  std::string type_code;           // trimmed, e.g. "NTRF", "S"
  std::string customer_ref;        // trimmed; may be "NONREF" or empty
  std::string bank_ref;            // trimmed part after "//"; empty when absent
  std::string supplementary;       // continuation lines, spaces folded
  bool reference_missing = false;  // nothing after the type code (incomplete :61:)
};

// `lines` are the field's lines as the tokenizer returns them.
StatementLine parse_statement_line(const std::vector<std::string>& lines,
                                   const FieldSource& source);

// :60F:/:60M:/:62F:/:62M: "C200605EUR1234,56". `tag` names the field in messages.
Balance parse_balance(std::string_view text, BalanceType type, const std::string& tag,
                      const FieldSource& source);

// "YYMMDD" with years 00-79 in 2000-2079 and 80-99 in 1980-1999; nullopt when
// malformed or not a real date (160230).
std::optional<Date> date_from_yymmdd(std::string_view text);

// The year for an entry date MMDD that goes with `value_date`: the same year,
// unless the months lie across a year end (value 12-31, entry 0102 -> next year).
int entry_date_year(const Date& value_date, int entry_month);

}  // namespace sfmon::mt940
