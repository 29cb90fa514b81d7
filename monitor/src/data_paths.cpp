#include "sfmon/monitor/data_paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace sfmon {
namespace {

namespace fs = std::filesystem;

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

}  // namespace

std::string default_rule_pack_dir() {
  std::vector<fs::path> candidates;
  if (const char* data = std::getenv("SFMON_DATA_DIR"); data != nullptr && *data != '\0') {
    candidates.push_back(fs::path(data) / "rules" / "default");
  }
  if (const fs::path bin = executable_dir(); !bin.empty()) {
    candidates.push_back(bin / ".." / "share" / "sfmon" / "rules" / "default");
  }
  candidates.push_back(fs::path(SFMON_SOURCE_DATA_DIR) / "rules" / "default");
  std::string looked;
  for (const fs::path& candidate : candidates) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate.lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + candidate.lexically_normal().string();
  }
  throw std::runtime_error("the bundled default rule pack was not found (looked in " + looked +
                           "; set SFMON_DATA_DIR)");
}

}  // namespace sfmon
