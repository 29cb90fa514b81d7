#pragma once
// ISO 20022 bank-to-customer statements, reports and notifications:
// camt.053 (Stmt), camt.052 (Rpt) and camt.054 (Ntfctn), any 001.NN version.

#include <string>
#include <string_view>

#include "sfmon/model/bank_record.h"

namespace sfmon {

// Parses the whole document; throws InputError (file + element path + value)
// on anything that is not a well-formed camt.05x document of a known namespace
// or on an inexact amount. Never returns a partial result.
BankFile parse_camt(std::string_view content, const std::string& file, const Zone& zone);

}  // namespace sfmon
