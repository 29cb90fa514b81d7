#pragma once
// Plain data produced by the bank statement parsers (camt, MT940, CSV) and
// consumed by the normaliser and the store. No behaviour lives here.

#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/input_error.h"
#include "sfmon/model/money.h"
#include "sfmon/model/time.h"

namespace sfmon {

enum class EntryStatus { Booked, Pending };
enum class CounterpartyClass { Unknown, Person, Organisation };
// Why a counterparty has its class: the source said so, a registry or list
// entry names it, its name has a legal-form word, or its name looks personal.
enum class ClassBasis { None, Source, Registry, Watchlist, LegalForm, NameShape };

const char* to_string(EntryStatus status);
const char* to_string(CounterpartyClass cls);
const char* to_string(ClassBasis basis);

struct Counterparty {
  std::string name;
  std::string account;
  std::string bank;
  CounterpartyClass cls = CounterpartyClass::Unknown;
  ClassBasis basis = ClassBasis::None;
};

// Where a record came from: the file (or URL) and a position inside it such as
// "line 14" or "Stmt[1]/Ntry[3]/NtryDtls/TxDtls[2]".
struct SourcePosition {
  std::string file;
  std::string position;
};

struct BankRecord {
  std::string account;       // the statement's account (IBAN or local number)
  std::string bank_ref;      // empty: the normaliser assigns a content hash
  bool ref_is_hash = false;  // true once the normaliser made the reference up
  Instant booked_at;
  std::optional<Date> value_date;
  Fen amount_fen = 0;    // signed: credit +, debit −
  std::string currency;  // ISO 4217, e.g. "CNY"
  EntryStatus status = EntryStatus::Booked;
  bool reversal = false;    // camt RvslInd, MT940 RC/RD
  std::string reversal_of;  // bank reference of the reversed entry, when given
  Counterparty counterparty;
  std::string purpose;  // remittance information, joined with ' '
  std::string tx_code;  // bank transaction code (MT940 type / GVC, camt BkTxCd)
  std::optional<Fen> balance_after_fen;
  SourcePosition source;
};

enum class BalanceType { Opening, Closing };
const char* to_string(BalanceType type);

struct Balance {
  BalanceType type = BalanceType::Closing;
  Date date;
  Fen amount_fen = 0;  // signed
  std::string currency;
};

struct BankStatement {
  std::string statement_id;  // camt Stmt/Id, MT940 :20:/:28C:, CSV: file name
  std::string account;
  std::string currency;
  std::optional<Balance> opening;
  std::optional<Balance> closing;
  std::vector<BankRecord> records;
};

enum class BankFormat { Camt, Mt940, Csv };
const char* to_string(BankFormat format);

struct BankFile {
  BankFormat format = BankFormat::Csv;
  std::string format_detail;  // e.g. "camt.053.001.02"
  std::vector<BankStatement> statements;
  std::vector<Warning> warnings;  // lenient repairs, unbalanced statements, ...
};

}  // namespace sfmon
