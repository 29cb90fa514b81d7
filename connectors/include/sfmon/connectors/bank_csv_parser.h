#pragma once
// The bank CSV of formats.md (header row, columns by name, signed amounts).

#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/bank_record.h"

namespace sfmon {

// Every column the bank CSV defines (formats.md), required ones first.
const std::vector<std::string_view>& bank_csv_columns();

BankFile parse_bank_csv(std::string_view content, const std::string& file, const Zone& zone);

}  // namespace sfmon
