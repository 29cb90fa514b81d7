// Fuzz target for the registry and watchlist loaders: any input must either
// load or fail with RegistryError; any other exception, a crash, a sanitizer
// report or a hang is a bug. Every input goes to both loaders, so seeds of
// either kind (schools.yaml, watchlist.csv) serve both.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sfmon/connectors/registry_loader.h"

namespace {

void load_as_registry(std::string_view text) {
  try {
    const sfmon::Registry registry = sfmon::load_registry(text, "fuzz.yaml");
    // A loaded registry must honour what the loader promises.
    for (const sfmon::School& school : registry.schools) {
      if (school.id.empty() || school.accounts.empty()) __builtin_trap();
      if (school.min_balance_fen && *school.min_balance_fen < 0) __builtin_trap();
    }
  } catch (const sfmon::RegistryError& error) {
    if (error.problems().empty()) __builtin_trap();
  }
}

void load_as_watchlist(std::string_view text) {
  try {
    for (const sfmon::WatchlistEntry& entry : sfmon::load_watchlist(text, "fuzz.csv")) {
      if (entry.name.empty() && entry.account.empty()) __builtin_trap();
    }
  } catch (const sfmon::RegistryError& error) {
    if (error.problems().empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  load_as_registry(text);
  load_as_watchlist(text);
  return 0;
}
