#pragma once
// Private to the pack reader: readers for the items of a rules file. Each
// reports every problem it finds and returns nullopt when there was any.

#include <yaml-cpp/yaml.h>

#include <optional>

#include "pack_reader_fields.h"
#include "pack_reader_yaml.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::pack_reader {

// "rule 'FUND-LARGE'", or "rule without a name" when the name is not text.
std::string item_name(std::string_view kind, const YAML::Node& name);

std::optional<ListDoc> read_list(const YAML::Node& item, const YamlSource& source,
                                 Problems& problems);
std::optional<MacroDoc> read_macro(const YAML::Node& item, const YamlSource& source,
                                   Problems& problems);
std::optional<ParamDoc> read_param(const YAML::Node& item, const YamlSource& source,
                                   Problems& problems);
std::optional<RuleDoc> read_rule(const YAML::Node& item, const YamlSource& source,
                                 Problems& problems);
std::optional<WindowDoc> read_window(const Field& field, const ItemContext& context);

}  // namespace sfmon::rules::pack_reader
