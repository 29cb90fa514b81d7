#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules {

const char* to_string(Level level) {
  switch (level) {
    case Level::Blue:
      return "blue";
    case Level::Yellow:
      return "yellow";
    case Level::Orange:
      return "orange";
    case Level::Red:
      return "red";
  }
  return "unknown";
}

std::optional<Level> level_from_string(std::string_view text) {
  for (Level level : {Level::Blue, Level::Yellow, Level::Orange, Level::Red}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

const char* to_string(FactKind kind) {
  switch (kind) {
    case FactKind::Bank:
      return "bank";
    case FactKind::Fee:
      return "fee";
    case FactKind::Balance:
      return "balance";
  }
  return "unknown";
}

std::string CompiledTemplate::render(const EvalContext& context) const {
  std::string text;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    text += literals[i];
    if (i < holes.size()) text += format_value(holes[i]->eval(context));
  }
  return text;
}

}  // namespace sfmon::rules
