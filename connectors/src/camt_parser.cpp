// ISO 20022 camt.052 / camt.053 / camt.054 → BankFile. The XML is read into a
// small tree with every DTD feature refused (camt_xml_tree), then mapped per
// formats.md "ISO 20022 camt.053": statements here, entries in camt_entry.

#include "sfmon/connectors/camt_parser.h"

#include <map>
#include <tuple>

#include "camt_entry.h"
#include "camt_fields.h"
#include "camt_xml_tree.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.05";

// The message and statement element names of one camt message type.
struct CamtKind {
  std::string format_detail;  // "camt.053.001.02"
  std::string message;        // "BkToCstmrStmt"
  std::string statement;      // "Stmt"
};

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Accepts Document in urn:iso:std:iso:20022:tech:xsd:camt.05{2,3,4}.001.NN.
CamtKind identify(const XmlDocument& document, const CamtContext& ctx) {
  const XmlElement& root = document.root;
  if (root.name != "Document") {
    throw InputError(ctx.file, std::to_string(root.line) + ":" + std::to_string(root.column),
                     "unknown root element (expected a camt Document)", root.name);
  }
  const std::string_view ns = document.namespace_of(root);
  const std::string_view version = ns.substr(0, kNamespacePrefix.size()) == kNamespacePrefix
                                       ? ns.substr(kNamespacePrefix.size())
                                       : std::string_view();
  // version is now e.g. "3.001.02": message digit, ".001.", two or more digits.
  if (version.size() < 8 || version.substr(1, 5) != ".001." || !is_digits(version.substr(6))) {
    ctx.fail("Document",
             "unknown namespace (expected urn:iso:std:iso:20022:tech:xsd:camt.05x.001.NN)", ns);
  }
  CamtKind kind;
  kind.format_detail = std::string(ns.substr(ns.rfind(':') + 1));
  switch (version[0]) {
    case '2':
      kind.message = "BkToCstmrAcctRpt";
      kind.statement = "Rpt";
      break;
    case '3':
      kind.message = "BkToCstmrStmt";
      kind.statement = "Stmt";
      break;
    case '4':
      kind.message = "BkToCstmrDbtCdtNtfctn";
      kind.statement = "Ntfctn";
      break;
    default:
      ctx.fail("Document", "unsupported camt message (expected camt.052, .053 or .054)", ns);
  }
  return kind;
}

// Reads one Bal into `balance` when it is a kind sfmon keeps.
Balance read_balance(const XmlElement& element, const std::string& path, BalanceType type,
                     const std::string& statement_currency, const CamtContext& ctx) {
  const CamtAmount amount =
      read_amount(require_child(element, "Amt", path, ctx), child_path(path, "Amt"), ctx);
  const int sign = read_credit_debit(require_child(element, "CdtDbtInd", path, ctx),
                                     child_path(path, "CdtDbtInd"), ctx);
  Balance balance;
  balance.type = type;
  balance.amount_fen = sign * amount.fen;
  balance.currency = amount.currency.empty() ? statement_currency : amount.currency;
  balance.date =
      read_date_choice(require_child(element, "Dt", path, ctx), child_path(path, "Dt"), ctx);
  if (!statement_currency.empty() && balance.currency != statement_currency) {
    ctx.warn(path, "balance currency " + balance.currency + " differs from the account currency " +
                       statement_currency);
  }
  return balance;
}

// OPBD (opening booked) or, failing that, PRCD (previously closed booked) is
// the opening balance; CLBD the closing one. Other types are not used.
void read_balances(const XmlElement& statement_element, const std::string& path,
                   BankStatement* statement, const CamtContext& ctx) {
  bool opening_is_opbd = false;
  int index = 0;
  for (const XmlElement* element : statement_element.children_named("Bal")) {
    const std::string balance_path = indexed_path(path, "Bal", ++index);
    const std::string code = text_of(element->find({"Tp", "CdOrPrtry", "Cd"}));
    if (code == "OPBD" || code == "PRCD") {
      const bool is_opbd = code == "OPBD";
      if (statement->opening && (opening_is_opbd || !is_opbd)) {
        if (opening_is_opbd == is_opbd) {
          ctx.warn(balance_path, "second " + code + " balance ignored");
        }
        continue;
      }
      statement->opening =
          read_balance(*element, balance_path, BalanceType::Opening, statement->currency, ctx);
      opening_is_opbd = is_opbd;
    } else if (code == "CLBD") {
      if (statement->closing) {
        ctx.warn(balance_path, "second CLBD balance ignored");
        continue;
      }
      statement->closing =
          read_balance(*element, balance_path, BalanceType::Closing, statement->currency, ctx);
    }
  }
}

// Acct/Ccy, else the currency of the first entry, else of the first balance.
std::string statement_currency(const XmlElement& statement_element) {
  std::string currency = text_of(statement_element.find({"Acct", "Ccy"}));
  for (const char* source : {"Ntry", "Bal"}) {
    if (!currency.empty()) break;
    if (const XmlElement* amount = statement_element.find({source, "Amt"})) {
      if (const std::string* ccy = amount->attribute("Ccy")) currency = *ccy;
    }
  }
  return currency;
}

BankStatement read_statement(const XmlElement& element, const std::string& path,
                             const XmlElement& message, const std::string& message_path,
                             const CamtContext& ctx) {
  BankStatement statement;
  statement.statement_id = text_of(element.child("Id"));
  if (statement.statement_id.empty()) ctx.fail(child_path(path, "Id"), "missing statement Id");
  const XmlElement& account = require_child(element, "Acct", path, ctx);
  statement.account = read_account_id(account);
  if (statement.account.empty()) {
    ctx.fail(child_path(path, "Acct/Id"), "account has neither IBAN nor Othr/Id");
  }
  statement.currency = statement_currency(element);
  read_balances(element, path, &statement, ctx);

  CamtStatementFacts facts;
  facts.account = statement.account;
  facts.currency = statement.currency;
  if (const XmlElement* created = element.child("CreDtTm")) {
    facts.created = created;
    facts.created_path = child_path(path, "CreDtTm");
  } else if (const XmlElement* group_created = message.find({"GrpHdr", "CreDtTm"})) {
    facts.created = group_created;
    facts.created_path = child_path(message_path, "GrpHdr/CreDtTm");
  }
  int index = 0;
  for (const XmlElement* entry : element.children_named("Ntry")) {
    read_camt_entry(*entry, indexed_path(path, "Ntry", ++index), facts, ctx, &statement.records);
  }
  return statement;
}

// The store identifies a bank record by (account, bank reference), so two
// different records of one file with the same reference would merge into one.
// Later duplicates lose the reference (the normaliser then derives one from
// content and position) and the file gets a warning. A pending and a booked
// record may share a reference: that is how a booking confirms a pending one.
void release_duplicate_references(BankFile* result, const CamtContext& ctx) {
  std::map<std::tuple<std::string, EntryStatus, std::string>, std::string> first_use;
  for (BankStatement& statement : result->statements) {
    for (BankRecord& record : statement.records) {
      if (record.bank_ref.empty()) continue;
      const auto [it, inserted] = first_use.try_emplace(
          std::make_tuple(record.account, record.status, record.bank_ref), record.source.position);
      if (inserted) continue;
      ctx.warn(record.source.position, "bank reference " + record.bank_ref + " already used by " +
                                           it->second + "; this record gets a content hash");
      record.bank_ref.clear();
    }
  }
}

bool is_blank(std::string_view content) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (content.substr(0, kBom.size()) == kBom) content.remove_prefix(kBom.size());
  return content.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

BankFile parse_camt(std::string_view content, const std::string& file, const Zone& zone) {
  if (is_blank(content)) throw InputError(file, "", "empty file: no camt XML document");
  BankFile result;
  result.format = BankFormat::Camt;
  const CamtContext ctx{file, zone, &result.warnings};

  const XmlDocument document = parse_xml_tree(content, file);
  const CamtKind kind = identify(document, ctx);
  result.format_detail = kind.format_detail;
  const std::string message_path = child_path("Document", kind.message);
  const XmlElement* message = document.root.child(kind.message);
  if (message == nullptr) {
    ctx.fail("Document", "a " + kind.format_detail.substr(0, 8) + " Document needs a " +
                             kind.message + " message");
  }
  const std::vector<const XmlElement*> statements = message->children_named(kind.statement);
  if (statements.empty()) ctx.fail(message_path, "message has no " + kind.statement);
  int index = 0;
  for (const XmlElement* statement : statements) {
    result.statements.push_back(read_statement(
        *statement, indexed_path("", kind.statement, ++index), *message, message_path, ctx));
  }
  release_duplicate_references(&result, ctx);
  return result;
}

}  // namespace sfmon
