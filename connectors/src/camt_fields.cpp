#include "camt_fields.h"

#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

// Errors keep a bounded prefix of a huge offending value: enough to find it,
// without carrying megabytes of text around in an exception.
constexpr std::size_t kMaxErrorValue = 200;

const XmlElement& require_date_part(const XmlElement& choice, const std::string& path,
                                    const CamtContext& ctx, bool* is_date_time) {
  if (const XmlElement* date = choice.child("Dt")) {
    *is_date_time = false;
    return *date;
  }
  if (const XmlElement* date_time = choice.child("DtTm")) {
    *is_date_time = true;
    return *date_time;
  }
  ctx.fail(path, "has neither Dt nor DtTm");
}

}  // namespace

void CamtContext::warn(const std::string& path, std::string message) const {
  if (warnings != nullptr) warnings->push_back(Warning{file, path, std::move(message)});
}

void CamtContext::fail(const std::string& path, std::string message, std::string_view value) const {
  throw InputError(file, path, std::move(message), std::string(value.substr(0, kMaxErrorValue)));
}

std::string child_path(const std::string& parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  std::string path = parent;
  path += '/';
  path += name;
  return path;
}

std::string indexed_path(const std::string& parent, std::string_view name, int index) {
  return child_path(parent, name) + "[" + std::to_string(index) + "]";
}

std::string text_of(const XmlElement* element) {
  return element == nullptr ? std::string() : std::string(element->trimmed_text());
}

const XmlElement& require_child(const XmlElement& parent, std::string_view name,
                                const std::string& parent_path, const CamtContext& ctx) {
  if (const XmlElement* found = parent.child(name)) return *found;
  ctx.fail(child_path(parent_path, name), "missing " + std::string(name));
}

CamtAmount read_amount(const XmlElement& amount, const std::string& path, const CamtContext& ctx) {
  const std::string_view text = amount.trimmed_text();
  std::string why;
  const AmountSyntax syntax{'.', /*allow_sign=*/false, /*allow_zero_extra_decimals=*/true};
  const std::optional<Fen> fen = parse_amount(text, syntax, &why);
  if (!fen) ctx.fail(path, "invalid amount: " + why, text);
  CamtAmount result;
  result.fen = *fen;
  if (const std::string* currency = amount.attribute("Ccy")) result.currency = *currency;
  return result;
}

int read_credit_debit(const XmlElement& indicator, const std::string& path,
                      const CamtContext& ctx) {
  const std::string_view text = indicator.trimmed_text();
  if (text == "CRDT") return 1;
  if (text == "DBIT") return -1;
  ctx.fail(path, "credit/debit indicator must be CRDT or DBIT", text);
}

EntryStatus read_entry_status(const XmlElement& status, const std::string& path,
                              const CamtContext& ctx) {
  std::string code = std::string(status.trimmed_text());
  std::string code_path = path;
  if (const XmlElement* cd = status.child("Cd")) {
    code = std::string(cd->trimmed_text());
    code_path = child_path(path, "Cd");
  }
  if (code == "BOOK") return EntryStatus::Booked;
  if (code == "PDNG" || code == "INFO" || code == "FUTR") return EntryStatus::Pending;
  ctx.fail(code_path, "unknown entry status (expected BOOK, PDNG, INFO or FUTR)", code);
}

bool read_boolean(const XmlElement& flag, const std::string& path, const CamtContext& ctx) {
  const std::string_view text = flag.trimmed_text();
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  ctx.fail(path, "must be true or false", text);
}

Instant read_instant_choice(const XmlElement& choice, const std::string& path,
                            const CamtContext& ctx) {
  bool is_date_time = false;
  const XmlElement& part = require_date_part(choice, path, ctx, &is_date_time);
  const std::string_view text = part.trimmed_text();
  if (!is_date_time) {
    const std::optional<Date> date = parse_iso_date(text);
    if (!date) ctx.fail(child_path(path, "Dt"), "invalid date (expected YYYY-MM-DD)", text);
    return instant_from_date(*date, ctx.zone);
  }
  const std::optional<Instant> instant = parse_iso_instant(text, ctx.zone);
  if (!instant) {
    ctx.fail(child_path(path, "DtTm"), "invalid date-time (expected ISO 8601)", text);
  }
  return *instant;
}

Date read_date_choice(const XmlElement& choice, const std::string& path, const CamtContext& ctx) {
  bool is_date_time = false;
  const XmlElement& part = require_date_part(choice, path, ctx, &is_date_time);
  const std::string_view text = part.trimmed_text();
  const std::string part_path = child_path(path, is_date_time ? "DtTm" : "Dt");
  if (is_date_time) {
    // Validate the whole value, then keep the bank's own calendar day.
    if (!parse_iso_instant(text, ctx.zone)) {
      ctx.fail(part_path, "invalid date-time (expected ISO 8601)", text);
    }
    return *parse_iso_date(text.substr(0, 10));
  }
  const std::optional<Date> date = parse_iso_date(text);
  if (!date) ctx.fail(part_path, "invalid date (expected YYYY-MM-DD)", text);
  return *date;
}

std::string read_account_id(const XmlElement& account) {
  if (const XmlElement* iban = account.find({"Id", "IBAN"})) return text_of(iban);
  return text_of(account.find({"Id", "Othr", "Id"}));
}

std::string read_bank_transaction_code(const XmlElement* code) {
  if (code == nullptr) return {};
  if (const XmlElement* domain = code->child("Domn")) {
    std::string text = text_of(domain->child("Cd"));
    if (const XmlElement* family = domain->child("Fmly")) {
      // Appended piecewise: GCC 12 -O3 warns falsely (-Wrestrict) on "/" + s.
      text += '/';
      text += text_of(family->child("Cd"));
      const std::string sub_family = text_of(family->child("SubFmlyCd"));
      if (!sub_family.empty()) {
        text += '/';
        text += sub_family;
      }
    }
    if (!text.empty()) return text;
  }
  return text_of(code->find({"Prtry", "Cd"}));
}

}  // namespace sfmon
