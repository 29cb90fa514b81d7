// decode_fee_fields (declared in fee_file_parser.h): the validation shared by
// fee CSV, fee JSON Lines and the fee HTTP connector.

#include <algorithm>
#include <array>
#include <charconv>

#include "input_text.h"
#include "sfmon/connectors/fee_file_parser.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

// Decisions where formats.md is silent:
// - required: fee_id, school_id, paid_at, amount, fee_type; the rest may be
//   missing or empty;
// - fields not listed in formats.md are ignored (CSV columns and JSON keys
//   alike), so producers can add columns without breaking sfmon;
// - amounts have at most two decimals, even zero ones ("1.000" is rejected);
// - a negative amount without refund_of is accepted (formats.md calls
//   refund_of optional), but refund_of on a non-negative amount, or naming
//   the record itself, contradicts itself and is an error;
// - period_start and period_end may each be given alone; when both are,
//   period_end must not be before period_start;
// - hours is a plain non-negative decimal ("12", "1.5"): no sign, no exponent.
constexpr std::array<std::string_view, 7> kFeeTypes = {"tuition",   "boarding", "meals", "training",
                                                       "materials", "donation", "other"};

class FeeFieldsDecoder {
 public:
  FeeFieldsDecoder(const std::map<std::string, std::string>& fields, const std::string& file,
                   const std::string& location, const Zone& zone)
      : fields_(fields), file_(file), location_(location), zone_(zone) {}

  FeeRecord decode() const {
    FeeRecord record;
    record.source = {file_, location_};
    record.fee_id = std::string(required("fee_id"));
    record.school_id = std::string(required("school_id"));
    record.student_id = std::string(field("student_id"));
    record.paid_at = paid_at();
    record.amount_fen = amount();
    record.fee_type = fee_type();
    record.grade = std::string(field("grade"));
    record.period_start = optional_date("period_start");
    record.period_end = optional_date("period_end");
    if (record.period_start && record.period_end && *record.period_end < *record.period_start) {
      fail("period_end", "is before period_start " + record.period_start->to_string(),
           field("period_end"));
    }
    record.hours = hours();
    record.receiving_account = std::string(field("receiving_account"));
    record.refund_of = std::string(field("refund_of"));
    if (!record.refund_of.empty() && record.amount_fen >= 0) {
      fail("refund_of",
           "given but the amount " + std::string(field("amount")) +
               " is not negative (a refund has a negative amount)",
           record.refund_of);
    }
    if (record.refund_of == record.fee_id) {
      fail("refund_of", "names the record itself", record.refund_of);
    }
    record.enrolled_at = optional_date("enrolled_at");
    return record;
  }

 private:
  [[noreturn]] void fail(std::string_view name, const std::string& message,
                         std::string_view value) const {
    throw InputError(file_, location_, "field '" + std::string(name) + "': " + message,
                     std::string(value));
  }

  std::string_view field(std::string_view name) const {
    const auto it = fields_.find(std::string(name));
    return it == fields_.end() ? std::string_view{} : trim_ascii(it->second);
  }

  std::string_view required(std::string_view name) const {
    const std::string_view text = field(name);
    if (text.empty()) fail(name, "value required", text);
    return text;
  }

  Instant paid_at() const {
    const std::string_view text = required("paid_at");
    const auto instant = parse_iso_instant(text, zone_);
    if (!instant) fail("paid_at", "not an ISO 8601 date or date-time", text);
    return *instant;
  }

  Fen amount() const {
    const std::string_view text = required("amount");
    AmountSyntax syntax;
    syntax.allow_zero_extra_decimals = false;
    std::string why;
    const auto fen = parse_amount(text, syntax, &why);
    if (!fen) fail("amount", "invalid amount: " + why, text);
    return *fen;
  }

  std::string fee_type() const {
    const std::string_view text = required("fee_type");
    if (std::find(kFeeTypes.begin(), kFeeTypes.end(), text) == kFeeTypes.end()) {
      fail("fee_type",
           "expected one of tuition, boarding, meals, training, materials, donation, other", text);
    }
    return std::string(text);
  }

  std::optional<Date> optional_date(std::string_view name) const {
    const std::string_view text = field(name);
    if (text.empty()) return std::nullopt;
    const auto date = parse_iso_date(text);
    if (!date) fail(name, "not a real date (YYYY-MM-DD)", text);
    return date;
  }

  std::optional<double> hours() const {
    const std::string_view text = field("hours");
    if (text.empty()) return std::nullopt;
    const std::size_t point = text.find('.');
    const auto is_digits = [](std::string_view part) {
      return !part.empty() &&
             std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool plain = is_digits(text.substr(0, point)) &&
                       (point == std::string_view::npos || is_digits(text.substr(point + 1)));
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!plain || error != std::errc{} || end != text.data() + text.size()) {
      fail("hours", "not a non-negative decimal number of hours", text);
    }
    return value;
  }

  const std::map<std::string, std::string>& fields_;
  const std::string& file_;
  const std::string& location_;
  const Zone& zone_;
};

}  // namespace

FeeRecord decode_fee_fields(const std::map<std::string, std::string>& fields,
                            const std::string& file, const std::string& location,
                            const Zone& zone) {
  return FeeFieldsDecoder(fields, file, location, zone).decode();
}

}  // namespace sfmon
