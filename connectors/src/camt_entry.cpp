#include "camt_entry.h"

#include "camt_transaction_details.h"

namespace sfmon {
namespace {

// The entry-level facts every record of the entry shares.
struct Entry {
  const XmlElement* element = nullptr;
  std::string path;
  int sign = 1;
  Fen signed_fen = 0;
  bool reversal = false;
  std::string account_servicer_ref;  // Ntry/AcctSvcrRef
  std::string entry_ref;             // Ntry/NtryRef
  std::string tx_code;
  std::string additional_info;  // AddtlNtryInf
  std::vector<CamtDetail> details;
  BankRecord base;  // account, dates, currency, status, reversal, file
};

// A debit pays a creditor, a credit comes from a debtor. A reversal undoes an
// earlier payment whose parties keep their roles in RltdPties, so the other
// party sits on the opposite side of the reversal's own sign.
bool counterparty_is_creditor(int sign, bool reversal) {
  return (sign < 0) != reversal;
}

std::string join_unique(const std::vector<std::string>& parts) {
  std::vector<std::string_view> kept;
  std::string joined;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    bool seen = false;
    for (const std::string_view earlier : kept) seen = seen || earlier == part;
    if (seen) continue;
    kept.push_back(part);
    if (!joined.empty()) joined += ' ';
    joined += part;
  }
  return joined;
}

// The reversed payment's references live on in the reversal's details; the
// end-to-end id (else the transaction id) is what both share.
std::string reversed_reference(const CamtDetail& detail) {
  return detail.end_to_end_id.empty() ? detail.transaction_id : detail.end_to_end_id;
}

Instant booking_time(const XmlElement& entry, const std::string& path, EntryStatus status,
                     const CamtStatementFacts& statement, const CamtContext& ctx) {
  if (const XmlElement* booked = entry.child("BookgDt")) {
    return read_instant_choice(*booked, child_path(path, "BookgDt"), ctx);
  }
  // Pending entries often have no booking date yet; only booked ones warn.
  const bool booked = status == EntryStatus::Booked;
  if (const XmlElement* value = entry.child("ValDt")) {
    if (booked) ctx.warn(path, "entry has no BookgDt; dated by its ValDt");
    return read_instant_choice(*value, child_path(path, "ValDt"), ctx);
  }
  if (statement.created != nullptr) {
    const std::string_view text = statement.created->trimmed_text();
    const std::optional<Instant> created = parse_iso_instant(text, ctx.zone);
    if (!created) ctx.fail(statement.created_path, "invalid date-time (expected ISO 8601)", text);
    if (booked) {
      ctx.warn(path, "entry has neither BookgDt nor ValDt; dated by " + statement.created_path);
    }
    return *created;
  }
  ctx.fail(path, "entry has neither BookgDt nor ValDt, and the message no CreDtTm to date it");
}

Entry read_entry_facts(const XmlElement& element, const std::string& path,
                       const CamtStatementFacts& statement, const CamtContext& ctx) {
  Entry entry;
  entry.element = &element;
  entry.path = path;
  const CamtAmount amount =
      read_amount(require_child(element, "Amt", path, ctx), child_path(path, "Amt"), ctx);
  entry.sign = read_credit_debit(require_child(element, "CdtDbtInd", path, ctx),
                                 child_path(path, "CdtDbtInd"), ctx);
  entry.signed_fen = entry.sign * amount.fen;
  const EntryStatus status =
      read_entry_status(require_child(element, "Sts", path, ctx), child_path(path, "Sts"), ctx);
  if (const XmlElement* flag = element.child("RvslInd")) {
    entry.reversal = read_boolean(*flag, child_path(path, "RvslInd"), ctx);
  }
  std::string currency = amount.currency.empty() ? statement.currency : amount.currency;
  if (currency.empty()) {
    ctx.fail(child_path(path, "Amt"), "amount has no Ccy and the account names no currency");
  }
  if (!statement.currency.empty() && currency != statement.currency) {
    ctx.warn(path, "entry currency " + currency + " differs from the account currency " +
                       statement.currency);
  }
  entry.account_servicer_ref = text_of(element.child("AcctSvcrRef"));
  entry.entry_ref = text_of(element.child("NtryRef"));
  entry.tx_code = read_bank_transaction_code(element.child("BkTxCd"));
  entry.additional_info = text_of(element.child("AddtlNtryInf"));
  entry.details = read_camt_details(element, path, ctx);

  BankRecord& base = entry.base;
  base.account = statement.account;
  base.booked_at = booking_time(element, path, status, statement, ctx);
  if (const XmlElement* value = element.child("ValDt")) {
    base.value_date = read_date_choice(*value, child_path(path, "ValDt"), ctx);
  }
  base.currency = std::move(currency);
  base.status = status;
  base.reversal = entry.reversal;
  base.source.file = ctx.file;
  return entry;
}

// True when the batch may be split: every detail gives an amount in the
// entry's currency and their signed sum is the entry's signed amount. A batch
// whose details give no amounts at all stays whole silently; a partial or
// inconsistent one stays whole with a warning, so the booked total is kept.
bool details_add_up(const Entry& entry, const CamtContext& ctx) {
  std::size_t with_amount = 0;
  for (const CamtDetail& detail : entry.details) with_amount += detail.amount ? 1 : 0;
  if (with_amount == 0) return false;
  const std::string count = std::to_string(entry.details.size());
  if (with_amount != entry.details.size()) {
    ctx.warn(entry.path, "only " + std::to_string(with_amount) + " of " + count +
                             " TxDtls give an amount; kept as one record");
    return false;
  }
  Fen sum = 0;
  for (const CamtDetail& detail : entry.details) {
    const std::string& currency = detail.amount->currency;
    if (!currency.empty() && currency != entry.base.currency) {
      ctx.warn(detail.path, "TxDtls amount is in " + currency + ", the entry in " +
                                entry.base.currency + "; entry kept as one record");
      return false;
    }
    const Fen signed_fen = (detail.sign != 0 ? detail.sign : entry.sign) * detail.amount->fen;
    if (__builtin_add_overflow(sum, signed_fen, &sum)) {
      ctx.warn(entry.path, "TxDtls amounts overflow; kept as one record");
      return false;
    }
  }
  if (sum != entry.signed_fen) {
    ctx.warn(entry.path, "the " + count + " TxDtls amounts add up to " + format_amount(sum) +
                             " but the entry amount is " + format_amount(entry.signed_fen) +
                             "; kept as one record");
    return false;
  }
  return true;
}

BankRecord detail_record(const Entry& entry, const CamtDetail& detail) {
  BankRecord record = entry.base;
  const int sign = detail.sign != 0 ? detail.sign : entry.sign;
  record.amount_fen = sign * detail.amount->fen;
  // rules-catalogue "Bank reference of a record": AcctSvcrRef, else
  // EndToEndId, else the entry's reference + '#' + position. A reversal
  // shares its EndToEndId with the payment it reverses, so it never uses it
  // as its own identity.
  const std::string entry_ref =
      entry.account_servicer_ref.empty() ? entry.entry_ref : entry.account_servicer_ref;
  if (!detail.account_servicer_ref.empty()) {
    record.bank_ref = detail.account_servicer_ref;
  } else if (!detail.end_to_end_id.empty() && !entry.reversal) {
    record.bank_ref = detail.end_to_end_id;
  } else if (!entry_ref.empty()) {
    record.bank_ref = entry_ref + "#" + std::to_string(detail.position);
  }
  if (entry.reversal) record.reversal_of = reversed_reference(detail);
  record.counterparty =
      read_camt_counterparty(*detail.element, counterparty_is_creditor(sign, entry.reversal));
  std::vector<std::string> purpose = detail.purpose_parts;
  purpose.push_back(entry.additional_info);
  record.purpose = join_unique(purpose);
  record.tx_code = detail.tx_code.empty() ? entry.tx_code : detail.tx_code;
  record.source.position = detail.path;
  return record;
}

// The counterparty every detail names, or none when they differ.
Counterparty common_counterparty(const Entry& entry, bool creditor_side) {
  if (entry.details.empty()) return {};
  Counterparty first = read_camt_counterparty(*entry.details.front().element, creditor_side);
  for (std::size_t i = 1; i < entry.details.size(); ++i) {
    const Counterparty other = read_camt_counterparty(*entry.details[i].element, creditor_side);
    if (other.name != first.name || other.account != first.account || other.bank != first.bank ||
        other.cls != first.cls) {
      return {};
    }
  }
  return first;
}

BankRecord entry_record(const Entry& entry) {
  BankRecord record = entry.base;
  record.amount_fen = entry.signed_fen;
  const CamtDetail* single = entry.details.size() == 1 ? &entry.details.front() : nullptr;
  // AcctSvcrRef (entry, else its single TxDtls), else NtryRef, else the single
  // TxDtls's EndToEndId; else empty and the normaliser hashes the content.
  if (!entry.account_servicer_ref.empty()) {
    record.bank_ref = entry.account_servicer_ref;
  } else if (single != nullptr && !single->account_servicer_ref.empty()) {
    record.bank_ref = single->account_servicer_ref;
  } else if (!entry.entry_ref.empty()) {
    record.bank_ref = entry.entry_ref;
  } else if (single != nullptr && !single->end_to_end_id.empty() && !entry.reversal) {
    record.bank_ref = single->end_to_end_id;
  }
  if (entry.reversal && single != nullptr) record.reversal_of = reversed_reference(*single);
  record.counterparty =
      common_counterparty(entry, counterparty_is_creditor(entry.sign, entry.reversal));
  std::vector<std::string> purpose;
  for (const CamtDetail& detail : entry.details) {
    purpose.insert(purpose.end(), detail.purpose_parts.begin(), detail.purpose_parts.end());
  }
  purpose.push_back(entry.additional_info);
  record.purpose = join_unique(purpose);
  record.tx_code = entry.tx_code;
  if (record.tx_code.empty() && single != nullptr) record.tx_code = single->tx_code;
  record.source.position = entry.path;
  return record;
}

}  // namespace

void read_camt_entry(const XmlElement& element, const std::string& path,
                     const CamtStatementFacts& statement, const CamtContext& ctx,
                     std::vector<BankRecord>* records) {
  const Entry entry = read_entry_facts(element, path, statement, ctx);
  if (entry.details.size() >= 2 && details_add_up(entry, ctx)) {
    for (const CamtDetail& detail : entry.details) records->push_back(detail_record(entry, detail));
  } else {
    records->push_back(entry_record(entry));
  }
}

}  // namespace sfmon
