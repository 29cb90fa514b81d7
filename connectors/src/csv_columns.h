#pragma once
// Columns of a CSV file with a header row, looked up by name, shared by the
// bank CSV and fee CSV parsers: order is free and unknown columns are ignored.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/connectors/csv_reader.h"

namespace sfmon {

class CsvColumns {
 public:
  // Names are trimmed and ASCII-lower-cased. Throws InputError when a
  // non-empty name appears twice (the file would be ambiguous). `file` must
  // outlive this object.
  CsvColumns(const CsvRow& header, const std::string& file);

  // Throws InputError naming the first of `names` the header lacks.
  void require(const std::vector<std::string_view>& names) const;

  bool has(std::string_view name) const { return find(name).has_value(); }

  // Throws InputError when `row` has another number of cells than the header.
  void check_width(const CsvRow& row) const;

  // The trimmed cell of column `name`; empty when the header has no such
  // column. `row` must have passed check_width.
  std::string_view cell(const CsvRow& row, std::string_view name) const;

 private:
  std::optional<std::size_t> find(std::string_view name) const;

  const std::string& file_;
  int header_line_ = 0;
  std::size_t width_ = 0;
  std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace sfmon
