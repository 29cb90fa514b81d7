#pragma once
// A fee payment as the schools report it (CSV, JSON Lines, fee HTTP API).

#include <optional>
#include <string>

#include "sfmon/model/bank_record.h"
#include "sfmon/model/money.h"
#include "sfmon/model/time.h"

namespace sfmon {

struct FeeRecord {
  std::string fee_id;  // identity with school_id
  std::string school_id;
  std::string student_id;  // pseudonymous
  Instant paid_at;
  Fen amount_fen = 0;  // negative for refunds
  std::string currency = "CNY";
  std::string fee_type;  // tuition | boarding | meals | training | materials | donation | other
  std::string grade;
  std::optional<Date> period_start;
  std::optional<Date> period_end;
  std::optional<double> hours;  // class hours bought; not money, so a double is fine
  std::string receiving_account;
  std::string refund_of;
  std::optional<Date> enrolled_at;
  SourcePosition source;
};

}  // namespace sfmon
