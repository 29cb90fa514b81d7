#pragma once
// Typed readers for the camt element types the parser uses (amounts, credit/
// debit marks, entry status, date-or-date-time choices, account ids, bank
// transaction codes). Every failure throws InputError naming the element path
// (e.g. "Stmt[1]/Ntry[3]/Amt") and the offending text. Private to connectors.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "camt_xml_tree.h"
#include "sfmon/model/bank_record.h"

namespace sfmon {

// What every camt reader needs to report: the display file name, the bureau
// zone for date-times without an offset, and where warnings go (not owned).
struct CamtContext {
  const std::string& file;
  const Zone& zone;
  std::vector<Warning>* warnings;

  void warn(const std::string& path, std::string message) const;
  [[noreturn]] void fail(const std::string& path, std::string message,
                         std::string_view value = {}) const;
};

// "parent/name", or "name" when parent is empty.
std::string child_path(const std::string& parent, std::string_view name);
// "parent/name[index]" with a 1-based index.
std::string indexed_path(const std::string& parent, std::string_view name, int index);

// The trimmed text of `element`, or "" when it is nullptr.
std::string text_of(const XmlElement* element);

// `parent`'s child `name`; throws "missing NAME" at parent_path/name if absent.
const XmlElement& require_child(const XmlElement& parent, std::string_view name,
                                const std::string& parent_path, const CamtContext& ctx);

struct CamtAmount {
  Fen fen = 0;           // never negative: camt carries the sign in CdtDbtInd
  std::string currency;  // the Ccy attribute, "" when absent
};

// An ActiveOrHistoricCurrencyAndAmount element such as Ntry/Amt: '.' decimal,
// no sign, extra decimals only when they are zero ("5442.09000").
CamtAmount read_amount(const XmlElement& amount, const std::string& path, const CamtContext& ctx);

// CdtDbtInd: CRDT → +1, DBIT → −1.
int read_credit_debit(const XmlElement& indicator, const std::string& path, const CamtContext& ctx);

// Ntry/Sts as text (camt 001.02–.07) or as Sts/Cd (001.08+): BOOK is booked;
// PDNG, INFO and FUTR are not (yet) booked and map to Pending.
EntryStatus read_entry_status(const XmlElement& status, const std::string& path,
                              const CamtContext& ctx);

// xs:boolean such as RvslInd: true/1 or false/0.
bool read_boolean(const XmlElement& flag, const std::string& path, const CamtContext& ctx);

// A DateAndDateTimeChoice (BookgDt, ValDt, Bal/Dt): Dt is 00:00 in the
// bureau zone; DtTm keeps its offset, or is local bureau time without one.
Instant read_instant_choice(const XmlElement& choice, const std::string& path,
                            const CamtContext& ctx);
// The same choice as a calendar date, taken as the bank wrote it (the date
// part of DtTm, not converted to the bureau zone).
Date read_date_choice(const XmlElement& choice, const std::string& path, const CamtContext& ctx);

// An account (Acct, CdtrAcct, DbtrAcct): Id/IBAN, else Id/Othr/Id, else "".
std::string read_account_id(const XmlElement& account);

// BkTxCd as "DOMAIN/FAMILY/SUBFAMILY" (ISO codes, e.g. "PMNT/RCDT/ESCT")
// when Domn is given, else the proprietary Prtry/Cd; "" when neither is.
std::string read_bank_transaction_code(const XmlElement* code);

}  // namespace sfmon
