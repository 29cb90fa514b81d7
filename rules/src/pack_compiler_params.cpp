// Parameters: each gets a slot; its value is the config override when there
// is one, else its default, parsed exactly for its type (money in fen).

#include <charconv>
#include <cmath>

#include "pack_compiler.h"
#include "pack_reader_fields.h"

namespace sfmon::rules::pack_compiler {
namespace {

ValueType value_type_of(const std::string& type) {
  if (type == "money") return ValueType::Money;
  if (type == "number") return ValueType::Number;
  if (type == "integer") return ValueType::Integer;
  if (type == "duration") return ValueType::Duration;
  if (type == "list") return ValueType::List;
  return ValueType::String;
}

std::vector<std::string> list_items(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}

// Builds the value of a checked `text`; strings view `text`, lists `items`,
// both owned by the pack.
Value make_value(ValueType type, const std::string& text, const std::vector<std::string>* items) {
  switch (type) {
    case ValueType::Money:
      return Value::money(*parse_amount(text, AmountSyntax{}));
    case ValueType::Number: {
      double number = 0;
      std::from_chars(text.data(), text.data() + text.size(), number);
      return Value::real(number);
    }
    case ValueType::Integer: {
      std::int64_t integer = 0;
      std::from_chars(text.data(), text.data() + text.size(), integer);
      return Value::integer(integer);
    }
    case ValueType::Duration:
      return Value::duration(*pack_reader::parse_duration(text));
    case ValueType::List: {
      Value value{ValueType::List};
      value.list = items;
      return value;
    }
    default:
      return Value::string(text);
  }
}

}  // namespace

std::optional<std::string> param_value_problem(const std::string& type, const std::string& text) {
  const char* const begin = text.data();
  const char* const end = text.data() + text.size();
  if (type == "money") {
    std::string why;
    if (!parse_amount(text, AmountSyntax{}, &why)) return why;
  } else if (type == "number") {
    double number = 0;
    const auto result = std::from_chars(begin, end, number);
    if (text.empty() || result.ec != std::errc() || result.ptr != end || !std::isfinite(number)) {
      return std::string("not a number, e.g. 0.8");
    }
  } else if (type == "integer") {
    std::int64_t integer = 0;
    const auto result = std::from_chars(begin, end, integer);
    if (text.empty() || result.ec != std::errc() || result.ptr != end) {
      return std::string("not a whole number");
    }
  } else if (type == "duration") {
    if (!pack_reader::parse_duration(text)) return std::string(pack_reader::kDurationSyntax);
  }
  return std::nullopt;
}

void compile_params(const PackDocument& doc, const std::map<std::string, std::string>& overrides,
                    CompiledPack& pack, Diagnostics& diagnostics) {
  std::map<std::string, const ParamDoc*> docs;
  std::vector<std::string> types;  // by slot
  for (const ParamDoc& param : doc.params) {
    const auto [first, inserted] = docs.emplace(param.name, &param);
    if (!inserted) {
      diagnostics.error(param.where, "duplicate param '" + param.name + "' (first defined at " +
                                         position_text(first->second->where) + ")");
      continue;
    }
    const int slot = static_cast<int>(types.size());
    types.push_back(param.type);
    pack.param_symbols[param.name] = ParamSymbol{slot, value_type_of(param.type)};
    pack.param_texts.push_back(param.default_value.text);
    if (auto why = param_value_problem(param.type, param.default_value.text)) {
      diagnostics.error(param.default_value.where,
                        "in param '" + param.name + "': bad " + param.type + " default '" +
                            param.default_value.text + "' (" + *why + ")");
    }
  }
  std::vector<bool> valid(types.size(), true);
  for (const auto& [name, text] : overrides) {
    const auto symbol = pack.param_symbols.find(name);
    if (symbol == pack.param_symbols.end()) {
      diagnostics.error({}, "unknown parameter '" + name + "' in config overrides");
      continue;
    }
    const auto slot = static_cast<std::size_t>(symbol->second.slot);
    if (auto why = param_value_problem(types[slot], text)) {
      diagnostics.error(docs.at(name)->where, "in param '" + name + "': bad " + types[slot] +
                                                  " value '" + text + "' in config overrides (" +
                                                  *why + ")");
      valid[slot] = false;
      continue;
    }
    pack.param_texts[slot] = text;
  }
  // Values are made once every text is final: strings view pack.param_texts.
  for (const auto& [name, symbol] : pack.param_symbols) {
    const auto slot = static_cast<std::size_t>(symbol.slot);
    if (pack.param_values.size() <= slot) pack.param_values.resize(slot + 1);
    const std::string& text = pack.param_texts[slot];
    if (!valid[slot] || param_value_problem(types[slot], text)) continue;
    const std::vector<std::string>* items = nullptr;
    if (symbol.type == ValueType::List) items = &(pack.lists["$" + name] = list_items(text));
    pack.param_values[slot] = make_value(symbol.type, text, items);
  }
}

}  // namespace sfmon::rules::pack_compiler
