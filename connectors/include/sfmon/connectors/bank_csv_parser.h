#pragma once
// The bank CSV of formats.md (header row, columns by name, signed amounts).

#include <string>
#include <string_view>

#include "sfmon/model/bank_record.h"

namespace sfmon {

BankFile parse_bank_csv(std::string_view content, const std::string& file, const Zone& zone);

}  // namespace sfmon
