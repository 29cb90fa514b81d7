#include "sfmon/connectors/bank_file_parser.h"

#include <array>
#include <set>

#include "input_text.h"
#include "sfmon/connectors/bank_csv_parser.h"
#include "sfmon/connectors/camt_parser.h"
#include "sfmon/connectors/mt940_parser.h"
#include "sfmon/connectors/statement_reconciler.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

// Detection looks at structure only and leaves validation to the parsers,
// which give far better errors than "unrecognised format" could.

std::string_view first_line(std::string_view text) {
  const std::size_t end = text.find_first_of("\r\n");
  return text.substr(0, end);
}

std::string_view skip_blank_lines(std::string_view text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  return start == std::string_view::npos ? std::string_view{} : text.substr(start);
}

// The header row of formats.md's bank CSV names at least these columns.
bool is_bank_csv_header(std::string_view line) {
  std::set<std::string> names;
  while (true) {
    const std::size_t comma = line.find(',');
    std::string_view name = trim_ascii(line.substr(0, comma));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = trim_ascii(name.substr(1, name.size() - 2));
    }
    std::string lowered(name);
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    names.insert(std::move(lowered));
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return names.count("txn_id") && names.count("account") && names.count("amount");
}

// The field tags that open the lines of an MT940 statement. A message in a
// SWIFT envelope may start its first tag on the envelope's line, after "{4:".
constexpr std::array<std::string_view, 10> kMt940Tags = {
    ":20:", ":25:", ":28:", ":28C:", ":60F:", ":60M:", ":61:", ":62F:", ":62M:", ":86:"};

std::string_view mt940_tag_at(std::string_view line) {
  if (!line.empty() && line.front() == '{') {
    const std::size_t text_block = line.find("{4:");
    if (text_block == std::string_view::npos) return {};
    line.remove_prefix(text_block + 3);
  }
  for (const std::string_view tag : kMt940Tags) {
    if (line.substr(0, tag.size()) == tag) return tag;
  }
  return {};
}

// An entry line (:61:) is unmistakable on its own; otherwise a statement
// reference or account tag must come with a second statement tag. Damaged
// files (lenient corpus) still reach the MT940 parser and its own errors.
bool has_mt940_structure(std::string_view text) {
  std::set<std::string_view> tags;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view tag = mt940_tag_at(trim_ascii(text.substr(0, end)));
    if (!tag.empty()) tags.insert(tag);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  if (tags.count(":61:")) return true;
  return tags.size() >= 2 && (tags.count(":20:") || tags.count(":25:"));
}

}  // namespace

BankFormat detect_bank_format(std::string_view content, const std::string& file) {
  const std::string_view text = skip_blank_lines(strip_utf8_bom(content));
  if (!text.empty() && text.front() == '<') return BankFormat::Camt;
  if (is_bank_csv_header(first_line(text))) return BankFormat::Csv;
  if (has_mt940_structure(text)) return BankFormat::Mt940;
  throw InputError(file, "",
                   "unrecognised bank file format (expected camt XML, MT940, or a bank CSV "
                   "whose header names txn_id, account and amount)",
                   std::string(first_line(text)));
}

BankFile parse_bank_file(std::string_view content, const std::string& file, const Zone& zone) {
  // camt declares its own encoding and the MT940 parser repairs damaged text
  // with warnings; bank CSV text is checked for UTF-8 by read_csv.
  const std::string_view text = strip_utf8_bom(content);
  BankFile result;
  switch (detect_bank_format(text, file)) {
    case BankFormat::Camt:
      result = parse_camt(text, file, zone);
      break;
    case BankFormat::Mt940:
      result = parse_mt940(text, file, zone);
      break;
    case BankFormat::Csv:
      result = parse_bank_csv(text, file, zone);
      break;
  }
  for (Warning& warning : reconcile_statements(result, file)) {
    result.warnings.push_back(std::move(warning));
  }
  return result;
}

}  // namespace sfmon
