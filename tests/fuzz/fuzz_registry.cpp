// libFuzzer target for the registry and watchlist loaders: any input must
// either load or fail with RegistryError; any other exception, a crash, a
// sanitizer report or a hang is a bug. Build with clang, e.g.
//   clang++ -std=c++20 -g -fsanitize=fuzzer,address,undefined \
//     -Iconnectors/include -Imodel/include -Iconnectors/src \
//     tests/fuzz/fuzz_registry.cpp connectors/src/registry_loader*.cpp \
//     connectors/src/watchlist_loader.cpp connectors/src/csv_*.cpp \
//     connectors/src/input_text.cpp model/src/*.cpp -lyaml-cpp -o fuzz_registry
// The first byte picks the loader so one corpus covers both.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/registry_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      const sfmon::Registry registry = sfmon::load_registry(text, "fuzz.yaml");
      // A loaded registry must honour what the loader promises.
      for (const sfmon::School& school : registry.schools) {
        if (school.id.empty() || school.accounts.empty()) __builtin_trap();
        if (school.min_balance_fen && *school.min_balance_fen < 0) __builtin_trap();
      }
    } else {
      for (const sfmon::WatchlistEntry& entry : sfmon::load_watchlist(text, "fuzz.csv")) {
        if (entry.name.empty() && entry.account.empty()) __builtin_trap();
      }
    }
  } catch (const sfmon::RegistryError& error) {
    if (error.problems().empty()) __builtin_trap();
  }
  return 0;
}
