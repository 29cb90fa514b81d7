#pragma once
// Fee records from CSV (header row) or JSON Lines, detected by content, and
// the field decoding shared with the fee HTTP connector.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/fee_record.h"

namespace sfmon {

std::vector<FeeRecord> parse_fee_csv(std::string_view content, const std::string& file,
                                     const Zone& zone);
std::vector<FeeRecord> parse_fee_jsonl(std::string_view content, const std::string& file,
                                       const Zone& zone);
// JSON Lines when the first non-blank character is '{', else CSV.
std::vector<FeeRecord> parse_fee_file(std::string_view content, const std::string& file,
                                      const Zone& zone);

// The fields of a fee record, in formats.md order.
const std::vector<std::string_view>& fee_field_names();

// Builds one record from named text fields (CSV cells, JSON values as text).
// `location` (e.g. "line 7") is used in errors. Throws InputError.
FeeRecord decode_fee_fields(const std::map<std::string, std::string>& fields,
                            const std::string& file, const std::string& location, const Zone& zone);

}  // namespace sfmon
