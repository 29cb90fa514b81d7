#include "sfmon/connectors/fee_file_parser.h"

#include "csv_columns.h"
#include "fee_record_checks.h"
#include "input_text.h"
#include "sfmon/connectors/csv_reader.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

const std::vector<std::string_view> kFeeFields = {"fee_id",
                                                  "school_id",
                                                  "student_id",
                                                  "paid_at",
                                                  "amount",
                                                  "fee_type",
                                                  "grade",
                                                  "period_start",
                                                  "period_end",
                                                  "hours",
                                                  "receiving_account",
                                                  "refund_of",
                                                  "enrolled_at"};
const std::vector<std::string_view> kRequiredFeeColumns = {"fee_id", "school_id", "paid_at",
                                                           "amount", "fee_type"};

}  // namespace

const std::vector<std::string_view>& fee_field_names() {
  return kFeeFields;
}

std::vector<FeeRecord> parse_fee_csv(std::string_view content, const std::string& file,
                                     const Zone& zone) {
  const std::vector<CsvRow> rows = read_csv(content, file);
  if (rows.empty()) {
    throw InputError(file, line_location(1), "empty file: a fee CSV needs a header row");
  }
  const CsvColumns columns(rows.front(), file);
  columns.require(kRequiredFeeColumns);

  std::vector<FeeRecord> records;
  FeeIdentityCheck identities(file);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const CsvRow& row = rows[i];
    columns.check_width(row);
    std::map<std::string, std::string> fields;
    for (const std::string_view name : kFeeFields) {
      if (columns.has(name)) fields.emplace(name, columns.cell(row, name));
    }
    records.push_back(decode_fee_fields(fields, file, line_location(row.line), zone));
    identities.add(records.back());
  }
  return records;
}

std::vector<FeeRecord> parse_fee_jsonl(std::string_view content, const std::string& file,
                                       const Zone& zone) {
  content = strip_utf8_bom(content);
  std::vector<FeeRecord> records;
  FeeIdentityCheck identities(file);
  int line_number = 0;
  while (!content.empty()) {
    ++line_number;
    const std::size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim_ascii(line).empty()) continue;

    const std::string location = line_location(line_number);
    require_valid_utf8(line, file, line_number);
    records.push_back(decode_fee_json_object(line, file, location, zone));
    identities.add(records.back());
  }
  return records;
}

std::vector<FeeRecord> parse_fee_file(std::string_view content, const std::string& file,
                                      const Zone& zone) {
  const std::string_view text = trim_ascii(strip_utf8_bom(content));
  if (!text.empty() && text.front() == '{') return parse_fee_jsonl(content, file, zone);
  return parse_fee_csv(content, file, zone);
}

}  // namespace sfmon
