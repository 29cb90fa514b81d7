#pragma once
// RFC 4180 CSV: quoted fields with doubled quotes, embedded commas and line
// breaks, CRLF or LF. Rows carry their 1-based starting line for errors.

#include <string>
#include <string_view>
#include <vector>

namespace sfmon {

struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

// Throws InputError on an unterminated quote or stray quote inside a field.
std::vector<CsvRow> read_csv(std::string_view content, const std::string& file);

}  // namespace sfmon
