#pragma once
// The balance check of every bank statement: opening balance + booked
// entries = closing balance. Files do not always reconcile (conformance
// README), so a mismatch is a Warning for the file, never a rejection.

#include <string>
#include <vector>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/input_error.h"

namespace sfmon {

// One warning per statement that has both an opening and a closing balance
// and whose opening + sum of booked records' amounts (fen; pending records
// excluded, reversals counted with their sign) differs from the closing
// balance. The message reads
// "statement ID: opening A + entries B != closing C" with amounts as decimal
// strings. Statements missing either balance are not checked.
std::vector<Warning> reconcile_statements(const BankFile& bank_file, const std::string& file);

}  // namespace sfmon
