#pragma once
// Loads and validates schools.yaml and watchlist.csv (formats.md). Takes text,
// not paths, so tests need no files. Every problem is reported as
// "file:line:column: message" (1-based), and all problems are collected
// before throwing, so a user fixes a file in one pass.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/registry.h"

namespace sfmon {

// Throws RegistryError listing every problem found.
Registry load_registry(std::string_view yaml, const std::string& file);

std::vector<WatchlistEntry> load_watchlist(std::string_view csv, const std::string& file);

class RegistryError : public std::runtime_error {
 public:
  explicit RegistryError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

}  // namespace sfmon
