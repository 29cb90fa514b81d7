#pragma once
// Reading the transaction details (Ntry/NtryDtls/TxDtls) of a camt entry:
// amounts, references, counterparty, purpose and transaction code.
// Private to the connectors library.

#include <optional>
#include <string>
#include <vector>

#include "camt_fields.h"
#include "camt_xml_tree.h"
#include "sfmon/model/bank_record.h"

namespace sfmon {

// What one TxDtls says; `element` points into the caller's tree.
struct CamtDetail {
  const XmlElement* element = nullptr;
  std::string path;  // e.g. "Stmt[1]/Ntry[3]/NtryDtls/TxDtls[2]"
  int position = 0;  // 1-based among all TxDtls of the entry
  // TxDtls/Amt (001.03+), else AmtDtls/TxAmt/Amt; nullopt when neither.
  std::optional<CamtAmount> amount;
  int sign = 0;                      // TxDtls/CdtDbtInd: +1 / −1, 0 when the detail has none
  std::string account_servicer_ref;  // Refs/AcctSvcrRef
  std::string end_to_end_id;         // Refs/EndToEndId; "" when absent or NOTPROVIDED
  std::string transaction_id;        // Refs/TxId
  std::string tx_code;               // its own BkTxCd (see read_bank_transaction_code)
  // RmtInf/Ustrd (joined with ' '), then AddtlTxInf; empty parts left out.
  std::vector<std::string> purpose_parts;
};

// All TxDtls of `entry` in document order, over every NtryDtls. Throws
// InputError for a malformed amount or credit/debit mark in a detail.
std::vector<CamtDetail> read_camt_details(const XmlElement& entry, const std::string& entry_path,
                                          const CamtContext& ctx);

// The other party of a detail: the creditor side (RltdPties/Cdtr or, in
// 001.08+, Cdtr/Pty; CdtrAcct; RltdAgts/CdtrAgt) when `creditor_side`, else
// the debtor side. Id/PrvtId marks a person and Id/OrgId an organisation,
// both with basis Source; otherwise the class stays Unknown for the normaliser.
Counterparty read_camt_counterparty(const XmlElement& details, bool creditor_side);

}  // namespace sfmon
