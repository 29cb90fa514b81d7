#pragma once
// Private to the pack reader: the keys of one YAML map and typed readers for
// their values. Every reader reports its problem (naming the item) and
// returns nullopt, so that one bad value never hides the next one.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pack_reader_yaml.h"

namespace sfmon::rules::pack_reader {

// Where problems of one item go, and the item's name that prefixes them:
// "in rule 'FUND-LARGE': unknown key 'condtion'".
struct ItemContext {
  const YamlSource& source;
  Problems& problems;
  std::string item;  // "rule 'FUND-LARGE'"

  void error(const SourceRef& where, const std::string& message) const;
  void error(const YAML::Node& node, const std::string& message) const {
    error(source.at(node), message);
  }
  void warning(const SourceRef& where, const std::string& message) const;
};

struct Field {
  std::string name;
  YAML::Node key;
  YAML::Node value;
};

// The keys of one YAML map. Duplicate keys, and keys not in `allowed`, are
// errors: a misspelt key must not silently switch a check off.
class MapFields {
 public:
  MapFields(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
            const ItemContext& context);

  // nullptr when the key is absent.
  const Field* find(std::string_view name) const;
  // Reports "missing 'name'" at the map when absent.
  const Field* required(std::string_view name) const;

 private:
  YAML::Node map_;
  const ItemContext& context_;
  std::vector<Field> fields_;
};

// "text", "a list", "a map", "nothing": for "must be X, got Y" messages.
std::string kind_of(const YAML::Node& node);
// Where a field's value is; the key when the value is empty.
SourceRef value_where(const Field& field, const ItemContext& context);

std::optional<std::string> read_string(const Field& field, const ItemContext& context);
std::optional<int> read_positive_int(const Field& field, const ItemContext& context);
std::optional<bool> read_bool(const Field& field, const ItemContext& context);
// A list of text items; an empty list is allowed.
std::optional<std::vector<std::string>> read_string_list(const Field& field,
                                                         const ItemContext& context);
// A non-empty scalar with the position of its first character.
std::optional<TextAt> read_text(const Field& field, const ItemContext& context, TextKind kind);
std::optional<TextAt> read_text(const YAML::Node& node, std::string_view what,
                                const ItemContext& context, TextKind kind);
std::optional<std::int64_t> read_duration(const Field& field, const ItemContext& context);

// "30s", "15m", "72h", "7d" → seconds; nullopt when not a positive whole
// number followed by one of s, m, h, d.
std::optional<std::int64_t> parse_duration(std::string_view text);
extern const char* const kDurationSyntax;

// Names of lists, macros, parameters and aggregates: a letter or '_', then
// letters, digits and '_' (they are identifiers in expressions).
bool is_identifier(std::string_view name);
// Rule ids: a letter or digit, then letters, digits, '-', '_' and '.'.
bool is_rule_id(std::string_view id);

}  // namespace sfmon::rules::pack_reader
