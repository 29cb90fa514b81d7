// libFuzzer entry point for fee files: CSV, JSON Lines and their dispatch.
// Only sfmon::InputError is an expected outcome; any other exception (Poco's
// included: the parser must convert them), crash, hang or sanitizer report is
// a bug. scripts/fuzz.sh runs it with libFuzzer; ctest over seed files.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/fee_file_parser.h"
#include "sfmon/model/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const sfmon::Zone zone;
  try {
    sfmon::parse_fee_file(content, "fuzz.fee", zone);
  } catch (const sfmon::InputError&) {
  }
  try {
    sfmon::parse_fee_jsonl(content, "fuzz.jsonl", zone);
  } catch (const sfmon::InputError&) {
  }
  try {
    sfmon::parse_fee_csv(content, "fuzz.csv", zone);
  } catch (const sfmon::InputError&) {
  }
  return 0;
}
