// libFuzzer target for the camt parser: any input must either parse or be
// rejected with sfmon::InputError; every other exception, crash, hang or
// sanitizer report is a bug. Build with -fsanitize=fuzzer,address,undefined.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/camt_parser.h"
#include "sfmon/model/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  try {
    const sfmon::BankFile file = sfmon::parse_camt(content, "fuzz.xml", sfmon::Zone{});
    // Touch the result so the parse cannot be optimised away.
    std::size_t records = 0;
    for (const sfmon::BankStatement& statement : file.statements) {
      records += statement.records.size();
    }
    static_cast<void>(records);
  } catch (const sfmon::InputError&) {
    // Rejecting malformed input is the expected outcome.
  }
  return 0;
}
