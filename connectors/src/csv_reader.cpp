#include "sfmon/connectors/csv_reader.h"

#include "input_text.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

// A hand-written scanner rather than a regex or a library: RFC 4180 is small,
// and the scanner must count lines inside quoted fields for error messages.
// Choices where RFC 4180 is loose:
// - CRLF, LF and a lone CR all end a line (files move between systems);
// - a line break inside a quoted field is stored as "\n" whatever it was in
//   the file, so the same data in a CRLF and an LF file reads the same;
// - an empty line is no row (a blank line at the end or between rows is
//   common and never data); a line holding only spaces is a row;
// - a UTF-8 BOM is skipped and invalid UTF-8 is an error (formats.md).
class CsvScanner {
 public:
  CsvScanner(std::string_view content, const std::string& file) : text_(content), file_(file) {}

  std::vector<CsvRow> rows() {
    std::vector<CsvRow> rows;
    while (pos_ < text_.size()) {
      if (at_line_break()) {
        skip_line_break();
        continue;
      }
      rows.push_back(read_row());
    }
    return rows;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool at_line_break() const { return !at_end() && (peek() == '\n' || peek() == '\r'); }

  void skip_line_break() {
    if (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  CsvRow read_row() {
    CsvRow row;
    row.line = line_;
    for (;;) {
      row.cells.push_back(at_end() || peek() != '"' ? read_plain_field(row.cells.size() + 1)
                                                    : read_quoted_field(row.cells.size() + 1));
      if (at_end()) break;
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_line_break();
      break;
    }
    return row;
  }

  std::string read_plain_field(std::size_t field) {
    const std::size_t start = pos_;
    while (!at_end() && peek() != ',' && !at_line_break()) {
      if (peek() == '"') {
        throw InputError(file_, line_location(line_),
                         "stray quote in unquoted field " + std::to_string(field) +
                             " (quote the whole field and double inner quotes)",
                         std::string(text_.substr(start, pos_ - start + 1)));
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  std::string read_quoted_field(std::size_t field) {
    const int start_line = line_;
    const std::size_t start = pos_;
    ++pos_;  // opening quote
    std::string cell;
    for (;;) {
      if (at_end()) {
        throw InputError(file_, line_location(start_line),
                         "unterminated quoted field " + std::to_string(field),
                         std::string(text_.substr(start, 40)));
      }
      const char c = peek();
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          cell += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;  // closing quote
        break;
      }
      if (c == '\n' || c == '\r') {
        skip_line_break();
        cell += '\n';
        continue;
      }
      cell += c;
      ++pos_;
    }
    if (!at_end() && peek() != ',' && !at_line_break()) {
      throw InputError(file_, line_location(line_),
                       "unexpected text after the closing quote of field " + std::to_string(field),
                       std::string(text_.substr(start, pos_ - start + 1)));
    }
    return cell;
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

std::vector<CsvRow> read_csv(std::string_view content, const std::string& file) {
  content = strip_utf8_bom(content);
  require_valid_utf8(content, file);
  return CsvScanner(content, file).rows();
}

}  // namespace sfmon
