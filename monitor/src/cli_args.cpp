#include "sfmon/monitor/cli_args.h"

namespace sfmon {

CliArgs::CliArgs(const std::vector<std::string>& args, const OptionSpec& spec) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word.rfind("--", 0) != 0 || word == "--") {
      positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "help" || spec.flags.count(name)) {
      if (inline_value) throw UsageError("option --" + name + " takes no value");
      flags_.insert(name);
    } else if (spec.valued.count(name)) {
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        throw UsageError("option --" + name + " needs a value");
      }
      auto& slot = values_[name];
      if (!slot.empty() && !spec.repeatable.count(name)) {
        throw UsageError("option --" + name + " given twice");
      }
      slot.push_back(value);
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
}

std::optional<std::string> CliArgs::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> CliArgs::values(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<Date> CliArgs::date(const std::string& name) const {
  const std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  const std::optional<Date> date = parse_iso_date(*text);
  if (!date) throw UsageError("--" + name + " must be a date YYYY-MM-DD, not '" + *text + "'");
  return date;
}

}  // namespace sfmon
