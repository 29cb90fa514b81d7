#pragma once
// What fee files (CSV, JSON Lines) and fee API pages check alike.

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "sfmon/model/fee_record.h"

namespace sfmon {

// A fee record's identity is (school, fee_id): a second record with the same
// identity in one file or page would overwrite the first, so it is an error.
class FeeIdentityCheck {
 public:
  // `source` (file path or URL) is borrowed and must outlive the check.
  explicit FeeIdentityCheck(const std::string& source) : source_(source) {}

  // Throws InputError at `record`'s position, naming the first one's.
  void add(const FeeRecord& record);

 private:
  const std::string& source_;
  std::map<std::pair<std::string, std::string>, std::string> first_position_;
};

// One JSON object holding the fee fields (a JSON Lines line, or a record of
// an API page) decoded into a record; `location` ("line 7", "record 2")
// names it in errors. Throws InputError.
FeeRecord decode_fee_json_object(std::string_view json, const std::string& source,
                                 const std::string& location, const Zone& zone);

}  // namespace sfmon
