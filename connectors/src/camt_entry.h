#pragma once
// Turns one camt entry (Ntry) into bank records: one per TxDtls when the
// entry is a batch whose detail amounts add up to the entry amount, else one
// for the entry. Either way the signed sum of the records equals the entry's
// signed amount. Private to the connectors library.

#include <optional>
#include <string>
#include <vector>

#include "camt_fields.h"
#include "camt_xml_tree.h"
#include "sfmon/model/bank_record.h"

namespace sfmon {

// What the statement around an entry supplies.
struct CamtStatementFacts {
  std::string account;   // Acct/Id/IBAN or Acct/Id/Othr/Id
  std::string currency;  // Acct/Ccy, else the first amount's Ccy; may be ""
  // Stmt/CreDtTm, else GrpHdr/CreDtTm (with its path), used only to date an
  // entry that has neither BookgDt nor ValDt. Not owned.
  const XmlElement* created = nullptr;
  std::string created_path;
};

// Appends the records of `entry` (at `path`, e.g. "Stmt[1]/Ntry[3]") to
// `records`. Throws InputError for a missing or malformed Amt, CdtDbtInd,
// Sts, RvslInd or date; inconsistent batches become warnings in `ctx`.
void read_camt_entry(const XmlElement& entry, const std::string& path,
                     const CamtStatementFacts& statement, const CamtContext& ctx,
                     std::vector<BankRecord>* records);

}  // namespace sfmon
