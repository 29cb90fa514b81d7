// libFuzzer entry point for the bank CSV path: format detection, the CSV
// reader and the bank CSV parser. Only sfmon::InputError is an expected
// outcome; any other exception, crash, hang or sanitizer report is a bug.
// scripts/fuzz.sh runs it with libFuzzer; ctest runs it over seed files.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/bank_csv_parser.h"
#include "sfmon/connectors/bank_file_parser.h"
#include "sfmon/connectors/csv_reader.h"
#include "sfmon/model/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const sfmon::Zone zone;
  try {
    sfmon::read_csv(content, "fuzz.csv");
  } catch (const sfmon::InputError&) {
  }
  try {
    sfmon::parse_bank_csv(content, "fuzz.csv", zone);
  } catch (const sfmon::InputError&) {
  }
  try {
    // Detection on arbitrary bytes must either name a format or reject.
    if (sfmon::detect_bank_format(content, "fuzz.dat") == sfmon::BankFormat::Csv) {
      sfmon::parse_bank_file(content, "fuzz.dat", zone);
    }
  } catch (const sfmon::InputError&) {
  }
  return 0;
}
