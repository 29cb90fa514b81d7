#pragma once
// Entry point for bank files: detects the format by content (not by name),
// strips a UTF-8 BOM, rejects non-UTF-8 text, parses, and checks each
// statement's balances (opening + booked entries = closing; a mismatch is a
// warning on the file, not a rejection).

#include <string>
#include <string_view>

#include "sfmon/model/bank_record.h"

namespace sfmon {

// Throws InputError when the format is not recognised.
BankFormat detect_bank_format(std::string_view content, const std::string& file);

BankFile parse_bank_file(std::string_view content, const std::string& file, const Zone& zone);

}  // namespace sfmon
