#include "fee_record_checks.h"

#include "json_flat_object.h"
#include "sfmon/connectors/fee_file_parser.h"
#include "sfmon/model/input_error.h"

namespace sfmon {

void FeeIdentityCheck::add(const FeeRecord& record) {
  const auto [it, inserted] = first_position_.emplace(
      std::make_pair(record.school_id, record.fee_id), record.source.position);
  if (!inserted) {
    throw InputError(
        source_, record.source.position,
        "duplicate fee_id for school " + record.school_id + " (first at " + it->second + ")",
        record.fee_id);
  }
}

FeeRecord decode_fee_json_object(std::string_view json, const std::string& source,
                                 const std::string& location, const Zone& zone) {
  return decode_fee_fields(read_flat_json_object(json, fee_field_names(), source, location), source,
                           location, zone);
}

}  // namespace sfmon
