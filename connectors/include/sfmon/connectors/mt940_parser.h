#pragma once
// SWIFT MT940 customer statements, bare or in SWIFT envelopes, several per file.

#include <string>
#include <string_view>

#include "sfmon/model/bank_record.h"

namespace sfmon {

// Throws InputError (file + line + value) when the file is not MT940 or an
// amount/date cannot be read exactly; recoverable damage becomes a Warning.
BankFile parse_mt940(std::string_view content, const std::string& file, const Zone& zone);

}  // namespace sfmon
