// libFuzzer entry point for the MT940 parser (scripts/fuzz.sh runs it with libFuzzer; ctest runs it
// over seeds). Only InputError is an acceptable failure; anything else (another exception, a crash,
// a hang, a broken invariant) is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/mt940_parser.h"
#include "sfmon/model/input_error.h"

namespace {

constexpr sfmon::Fen kMaxFen = 90'000'000'000'000'000;  // parse_amount's range

// A parsed file must never hold a record that the store could not use.
void check_invariants(const sfmon::BankFile& file) {
  for (const auto& statement : file.statements) {
    for (const auto& record : statement.records) {
      if (record.account.empty() || record.currency.size() != 3 || record.source.position.empty() ||
          record.amount_fen > kMaxFen || record.amount_fen < -kMaxFen) {
        __builtin_trap();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  try {
    check_invariants(sfmon::parse_mt940(content, "fuzz.sta", sfmon::Zone{}));
  } catch (const sfmon::InputError&) {
    // Rejected with a located error: the expected outcome for damaged input.
  }
  return 0;
}
