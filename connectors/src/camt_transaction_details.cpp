#include "camt_transaction_details.h"

namespace sfmon {
namespace {

// Banks write this where the payer gave no end-to-end reference; it names
// nothing and must never become an identity.
constexpr std::string_view kNotProvided = "NOTPROVIDED";

std::optional<CamtAmount> read_detail_amount(const XmlElement& details, const std::string& path,
                                             const CamtContext& ctx) {
  if (const XmlElement* amount = details.child("Amt")) {
    return read_amount(*amount, child_path(path, "Amt"), ctx);
  }
  if (const XmlElement* amount = details.find({"AmtDtls", "TxAmt", "Amt"})) {
    return read_amount(*amount, child_path(path, "AmtDtls/TxAmt/Amt"), ctx);
  }
  return std::nullopt;
}

std::vector<std::string> read_purpose_parts(const XmlElement& details) {
  std::vector<std::string> parts;
  std::string unstructured;
  if (const XmlElement* remittance = details.child("RmtInf")) {
    for (const XmlElement* line : remittance->children_named("Ustrd")) {
      const std::string text = text_of(line);
      if (text.empty()) continue;
      if (!unstructured.empty()) unstructured += ' ';
      unstructured += text;
    }
  }
  if (!unstructured.empty()) parts.push_back(std::move(unstructured));
  const std::string additional = text_of(details.child("AddtlTxInf"));
  if (!additional.empty()) parts.push_back(additional);
  return parts;
}

CamtDetail read_detail(const XmlElement& details, std::string path, int position,
                       const CamtContext& ctx) {
  CamtDetail detail;
  detail.element = &details;
  detail.position = position;
  detail.amount = read_detail_amount(details, path, ctx);
  if (const XmlElement* indicator = details.child("CdtDbtInd")) {
    detail.sign = read_credit_debit(*indicator, child_path(path, "CdtDbtInd"), ctx);
  }
  if (const XmlElement* refs = details.child("Refs")) {
    detail.account_servicer_ref = text_of(refs->child("AcctSvcrRef"));
    detail.end_to_end_id = text_of(refs->child("EndToEndId"));
    if (detail.end_to_end_id == kNotProvided) detail.end_to_end_id.clear();
    detail.transaction_id = text_of(refs->child("TxId"));
  }
  detail.tx_code = read_bank_transaction_code(details.child("BkTxCd"));
  detail.purpose_parts = read_purpose_parts(details);
  detail.path = std::move(path);
  return detail;
}

std::string read_bank(const XmlElement* institution) {
  if (institution == nullptr) return {};
  std::string bank = text_of(institution->child("Nm"));
  if (bank.empty()) bank = text_of(institution->child("BICFI"));  // 001.04+
  if (bank.empty()) bank = text_of(institution->child("BIC"));    // 001.02-.03
  return bank;
}

}  // namespace

std::vector<CamtDetail> read_camt_details(const XmlElement& entry, const std::string& entry_path,
                                          const CamtContext& ctx) {
  std::vector<CamtDetail> details;
  const std::vector<const XmlElement*> groups = entry.children_named("NtryDtls");
  int group_index = 0;
  for (const XmlElement* group : groups) {
    ++group_index;
    // Nearly every entry has one NtryDtls; index it only when there are more.
    const std::string group_path = groups.size() == 1
                                       ? child_path(entry_path, "NtryDtls")
                                       : indexed_path(entry_path, "NtryDtls", group_index);
    int index = 0;
    for (const XmlElement* element : group->children_named("TxDtls")) {
      ++index;
      const int position = static_cast<int>(details.size()) + 1;
      details.push_back(
          read_detail(*element, indexed_path(group_path, "TxDtls", index), position, ctx));
    }
  }
  return details;
}

Counterparty read_camt_counterparty(const XmlElement& details, bool creditor_side) {
  Counterparty counterparty;
  if (const XmlElement* parties = details.child("RltdPties")) {
    if (const XmlElement* party = parties->child(creditor_side ? "Cdtr" : "Dbtr")) {
      if (const XmlElement* agent = party->find({"Agt", "FinInstnId"})) {
        // 001.08+ lets a financial institution itself be the party.
        counterparty.name = read_bank(agent);
        counterparty.cls = CounterpartyClass::Organisation;
        counterparty.basis = ClassBasis::Source;
      } else {
        const XmlElement* identified = party->child("Pty") ? party->child("Pty") : party;
        counterparty.name = text_of(identified->child("Nm"));
        if (identified->find({"Id", "PrvtId"}) != nullptr) {
          counterparty.cls = CounterpartyClass::Person;
          counterparty.basis = ClassBasis::Source;
        } else if (identified->find({"Id", "OrgId"}) != nullptr) {
          counterparty.cls = CounterpartyClass::Organisation;
          counterparty.basis = ClassBasis::Source;
        }
      }
    }
    if (const XmlElement* account = parties->child(creditor_side ? "CdtrAcct" : "DbtrAcct")) {
      counterparty.account = read_account_id(*account);
    }
  }
  counterparty.bank =
      read_bank(details.find({"RltdAgts", creditor_side ? "CdtrAgt" : "DbtrAgt", "FinInstnId"}));
  return counterparty;
}

}  // namespace sfmon
