#pragma once
// A small, strict command-line parser: `--name value`, `--name=value`,
// boolean `--flag`, and positional arguments. Unknown options are errors
// (exit code 2), so a typo never silently changes what a command does.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sfmon/model/time.h"

namespace sfmon {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::set<std::string> valued;      // options that take a value, e.g. "config"
  std::set<std::string> flags;       // boolean options, e.g. "flagged"
  std::set<std::string> repeatable;  // valued options that may appear more than once
};

class CliArgs {
 public:
  // Parses `args` (the words after the command). Throws UsageError.
  CliArgs(const std::vector<std::string>& args, const OptionSpec& spec);

  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
  // A date option, YYYY-MM-DD; nullopt when it is not given. Throws
  // UsageError naming the option and the text when it is not a date.
  std::optional<Date> date(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  bool help() const { return flag("help"); }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace sfmon
