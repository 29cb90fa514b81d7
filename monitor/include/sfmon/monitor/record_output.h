#pragma once
// `records list` output: an aligned table for people, one JSON array, or CSV
// with a header row. Amounts are decimal strings ("-1234.50"), never floats.

#include <iosfwd>
#include <string>
#include <vector>

#include "sfmon/monitor/record_store.h"

namespace sfmon {

enum class OutputFormat { Table, Json, Csv };
// "table" | "json" | "csv"; throws UsageError otherwise.
OutputFormat output_format_from_string(const std::string& text);

void write_records(const std::vector<RecordRow>& rows, OutputFormat format, std::ostream& out);

// Shared by every tabular command: pads by display width (Han characters take
// two columns) and quotes CSV cells per RFC 4180.
void write_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, std::ostream& out);
void write_csv(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows, std::ostream& out);

}  // namespace sfmon
