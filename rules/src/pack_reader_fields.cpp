#include "pack_reader_fields.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace sfmon::rules::pack_reader {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view name, std::initializer_list<std::string_view> allowed) {
  for (std::string_view candidate : allowed) {
    if (edit_distance(name, candidate) <= 2) {
      return " (did you mean '" + std::string(candidate) + "'?)";
    }
  }
  return {};
}

bool is_plain(const YAML::Node& node) {
  return node.Tag() == "?";
}

}  // namespace

const char* const kDurationSyntax =
    "expected a whole number followed by s, m, h or d, e.g. 30s, 15m, 72h, 7d";

void ItemContext::error(const SourceRef& where, const std::string& message) const {
  problems.error(where, "in " + item + ": " + message);
}

void ItemContext::warning(const SourceRef& where, const std::string& message) const {
  problems.warning(where, "in " + item + ": " + message);
}

MapFields::MapFields(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                     const ItemContext& context)
    : map_(map), context_(context) {
  for (const auto& pair : map) {
    if (!pair.first.IsScalar()) {
      context.error(pair.first, "a key must be a plain name, got " + kind_of(pair.first));
      continue;
    }
    const std::string name = pair.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      context.error(pair.first, "unknown key '" + name + "'" + suggestion(name, allowed));
      continue;
    }
    if (find(name) != nullptr) {
      context.error(pair.first, "duplicate key '" + name + "'");
      continue;
    }
    fields_.push_back({name, pair.first, pair.second});
  }
}

const Field* MapFields::find(std::string_view name) const {
  for (const Field& field : fields_) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

const Field* MapFields::required(std::string_view name) const {
  const Field* field = find(name);
  if (field == nullptr) context_.error(map_, "missing '" + std::string(name) + "'");
  return field;
}

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

SourceRef value_where(const Field& field, const ItemContext& context) {
  // yaml-cpp marks an empty value where the next token starts: use the key.
  if (field.value.IsNull()) return context.source.at(field.key);
  return context.source.at(field.value);
}

std::optional<std::string> read_string(const Field& field, const ItemContext& context) {
  if (!field.value.IsScalar()) {
    context.error(value_where(field, context),
                  "'" + field.name + "' must be text, got " + kind_of(field.value));
    return std::nullopt;
  }
  return field.value.Scalar();
}

std::optional<int> read_positive_int(const Field& field, const ItemContext& context) {
  const auto complain = [&] {
    context.error(value_where(field, context),
                  "'" + field.name + "' must be a positive integer, got " + kind_of(field.value));
  };
  if (!field.value.IsScalar()) {
    complain();
    return std::nullopt;
  }
  const std::string& text = field.value.Scalar();
  int value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc() || end != text.data() + text.size() || value < 1) {
    complain();
    return std::nullopt;
  }
  return value;
}

std::optional<bool> read_bool(const Field& field, const ItemContext& context) {
  if (field.value.IsScalar() && is_plain(field.value)) {
    if (field.value.Scalar() == "true") return true;
    if (field.value.Scalar() == "false") return false;
  }
  context.error(value_where(field, context),
                "'" + field.name + "' must be true or false, got " + kind_of(field.value));
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(const Field& field,
                                                         const ItemContext& context) {
  if (!field.value.IsSequence()) {
    context.error(value_where(field, context),
                  "'" + field.name + "' must be a list, got " + kind_of(field.value));
    return std::nullopt;
  }
  std::vector<std::string> items;
  bool ok = true;
  for (const YAML::Node& item : field.value) {
    if (!item.IsScalar()) {
      context.error(item, "the items of '" + field.name + "' must be text, got " + kind_of(item));
      ok = false;
      continue;
    }
    items.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return items;
}

// 'what', appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict
// for "'" + std::string(what).
std::string quoted(std::string_view what) {
  std::string text;
  text.reserve(what.size() + 2);
  text += '\'';
  text += what;
  text += '\'';
  return text;
}

std::optional<TextAt> read_text(const YAML::Node& node, std::string_view what,
                                const ItemContext& context, TextKind kind) {
  if (!node.IsScalar()) {
    context.error(node, quoted(what) + " must be text, got " + kind_of(node));
    return std::nullopt;
  }
  TextAt text = context.source.text_at(node, kind);
  if (text.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    context.error(text.where, quoted(what) + " is empty");
    return std::nullopt;
  }
  return text;
}

std::optional<TextAt> read_text(const Field& field, const ItemContext& context, TextKind kind) {
  if (field.value.IsNull()) {
    context.error(value_where(field, context), "'" + field.name + "' has no value");
    return std::nullopt;
  }
  return read_text(field.value, field.name, context, kind);
}

std::optional<std::int64_t> read_duration(const Field& field, const ItemContext& context) {
  if (field.value.IsScalar()) {
    if (auto seconds = parse_duration(field.value.Scalar())) return seconds;
  }
  context.error(value_where(field, context), "bad duration " + kind_of(field.value) + " for '" +
                                                 field.name + "' (" + kDurationSyntax + ")");
  return std::nullopt;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::int64_t count = 0;
  const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (status != std::errc() || end != digits.data() + digits.size() || count < 1 ||
      count > std::numeric_limits<std::int64_t>::max() / unit) {
    return std::nullopt;
  }
  return count * unit;
}

bool is_identifier(std::string_view name) {
  const auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty() || !letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || digit(c); });
}

bool is_rule_id(std::string_view id) {
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (id.empty() || !alnum(id.front())) return false;
  return std::all_of(id.begin(), id.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

}  // namespace sfmon::rules::pack_reader
