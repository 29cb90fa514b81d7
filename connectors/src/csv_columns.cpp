#include "csv_columns.h"

#include "input_text.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

std::string lower_ascii(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

}  // namespace

CsvColumns::CsvColumns(const CsvRow& header, const std::string& file)
    : file_(file), header_line_(header.line), width_(header.cells.size()) {
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    std::string name = lower_ascii(trim_ascii(header.cells[i]));
    if (name.empty()) continue;
    if (!index_.emplace(name, i).second) {
      throw InputError(file_, line_location(header_line_),
                       "column '" + name + "' appears twice in the header", name);
    }
  }
}

void CsvColumns::require(const std::vector<std::string_view>& names) const {
  for (const std::string_view name : names) {
    if (!has(name)) {
      throw InputError(file_, line_location(header_line_),
                       "missing required column '" + std::string(name) + "' in the header row");
    }
  }
}

void CsvColumns::check_width(const CsvRow& row) const {
  if (row.cells.size() == width_) return;
  throw InputError(file_, line_location(row.line),
                   "row has " + std::to_string(row.cells.size()) + " cells but the header has " +
                       std::to_string(width_));
}

std::string_view CsvColumns::cell(const CsvRow& row, std::string_view name) const {
  const auto index = find(name);
  if (!index) return {};
  return trim_ascii(row.cells[*index]);
}

std::optional<std::size_t> CsvColumns::find(std::string_view name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

}  // namespace sfmon
