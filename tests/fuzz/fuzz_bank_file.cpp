// libFuzzer target for the whole bank read → normalise path that ingest runs:
// format detection, the three parsers, reconciliation and normalisation.
// Only InputError is an acceptable failure.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/bank_file_parser.h"
#include "sfmon/connectors/record_normaliser.h"
#include "sfmon/model/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  try {
    sfmon::BankFile file = sfmon::parse_bank_file(content, "fuzz.dat", sfmon::Zone{});
    sfmon::normalise_bank_file(file, sfmon::Registry{}, {});
    for (const auto& statement : file.statements) {
      for (const auto& record : statement.records) {
        if (record.bank_ref.empty()) __builtin_trap();  // the store needs an identity
      }
    }
  } catch (const sfmon::InputError&) {
  }
  return 0;
}
