// A rules file: a YAML list of `- list:`, `- macro:`, `- param:` and
// `- rule:` items, read into a PackDocument with positions.

#include <algorithm>
#include <array>

#include "pack_reader_items.h"

namespace sfmon::rules {
namespace pack_reader {
namespace {

constexpr std::array<std::string_view, 4> kItemKinds = {"list", "macro", "param", "rule"};
constexpr std::array<std::string_view, 6> kParamTypes = {"money",    "number", "integer",
                                                         "duration", "string", "list"};
constexpr std::string_view kIdentifierSyntax = "a letter or '_', then letters, digits or '_'";

std::optional<std::string> read_name(const Field& field, const ItemContext& context) {
  std::optional<std::string> name = read_string(field, context);
  if (name && !is_identifier(*name)) {
    context.error(value_where(field, context),
                  "bad name '" + *name + "' (" + std::string(kIdentifierSyntax) + ")");
    return std::nullopt;
  }
  return name;
}

// A parameter's default as text: scalars exactly as written (quotes
// removed), lists as their items joined by '\n'.
std::optional<TextAt> read_default(const Field& field, const std::string& type,
                                   const ItemContext& context) {
  if (type == "list") {
    auto items = read_string_list(field, context);
    if (!items) return std::nullopt;
    TextAt text{{}, context.source.at(field.value)};
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (i > 0) text.text += '\n';
      text.text += (*items)[i];
    }
    return text;
  }
  if (!field.value.IsScalar()) {
    context.error(value_where(field, context),
                  "'default' must be a single value, got " + kind_of(field.value));
    return std::nullopt;
  }
  return context.source.text_at(field.value, TextKind::Template);
}

}  // namespace

std::string item_name(std::string_view kind, const YAML::Node& name) {
  if (name.IsScalar()) return std::string(kind) + " '" + name.Scalar() + "'";
  return std::string(kind) + " without a name";
}

std::optional<ListDoc> read_list(const YAML::Node& item, const YamlSource& source,
                                 Problems& problems) {
  const std::size_t errors_before = problems.errors.size();
  const ItemContext context{source, problems, item_name("list", item["list"])};
  const MapFields fields(item, {"list", "items"}, context);
  ListDoc list;
  list.where = source.at(item);
  if (auto name = read_name(*fields.find("list"), context)) list.name = *name;
  if (const Field* items = fields.required("items")) {
    if (auto values = read_string_list(*items, context)) list.items = std::move(*values);
  }
  if (problems.errors.size() != errors_before) return std::nullopt;
  return list;
}

std::optional<MacroDoc> read_macro(const YAML::Node& item, const YamlSource& source,
                                   Problems& problems) {
  const std::size_t errors_before = problems.errors.size();
  const ItemContext context{source, problems, item_name("macro", item["macro"])};
  const MapFields fields(item, {"macro", "condition"}, context);
  MacroDoc macro;
  macro.where = source.at(item);
  if (auto name = read_name(*fields.find("macro"), context)) macro.name = *name;
  if (const Field* condition = fields.required("condition")) {
    if (auto text = read_text(*condition, context, TextKind::Expression)) macro.condition = *text;
  }
  if (problems.errors.size() != errors_before) return std::nullopt;
  return macro;
}

std::optional<ParamDoc> read_param(const YAML::Node& item, const YamlSource& source,
                                   Problems& problems) {
  const std::size_t errors_before = problems.errors.size();
  const ItemContext context{source, problems, item_name("param", item["param"])};
  const MapFields fields(item, {"param", "type", "default", "description"}, context);
  ParamDoc param;
  param.where = source.at(item);
  if (auto name = read_name(*fields.find("param"), context)) param.name = *name;
  if (const Field* type = fields.required("type")) {
    if (auto text = read_string(*type, context)) {
      if (std::find(kParamTypes.begin(), kParamTypes.end(), *text) == kParamTypes.end()) {
        context.error(value_where(*type, context),
                      "unknown type '" + *text +
                          "' (expected money, number, integer, duration, string or list)");
      } else {
        param.type = *text;
      }
    }
  }
  const Field* default_value = fields.required("default");
  if (default_value && !param.type.empty()) {
    if (auto text = read_default(*default_value, param.type, context)) {
      param.default_value = *text;
    }
  }
  if (const Field* description = fields.find("description")) {
    if (auto text = read_string(*description, context)) param.description = *text;
  }
  if (problems.errors.size() != errors_before) return std::nullopt;
  return param;
}

}  // namespace pack_reader

void read_rules_file(std::string_view yaml, const std::string& file, PackDocument& pack) {
  using namespace pack_reader;
  const YamlSource source(yaml, file);
  Problems problems;
  const YAML::Node root = source.load(problems);
  PackDocument items;
  if (root.IsDefined() && root.IsNull()) {
    problems.warning({file, 1, 1}, "the file has no items");
  } else if (root.IsDefined() && !root.IsSequence()) {
    problems.error(source.at(root),
                   "a rules file must be a list of items (- list:, - macro:, - param:, - rule:)");
  } else if (root.IsDefined()) {
    for (const YAML::Node& item : root) {
      std::vector<std::string_view> kinds;
      if (item.IsMap()) {
        for (std::string_view kind : kItemKinds) {
          if (item[std::string(kind)]) kinds.push_back(kind);
        }
      }
      if (kinds.size() != 1) {
        problems.error(source.at(item),
                       kinds.empty() ? "an item must be a map with one of the keys list, macro, "
                                       "param or rule"
                                     : "an item must have only one of the keys list, macro, "
                                       "param or rule");
        continue;
      }
      if (kinds.front() == "list") {
        if (auto list = read_list(item, source, problems)) items.lists.push_back(std::move(*list));
      } else if (kinds.front() == "macro") {
        if (auto macro = read_macro(item, source, problems)) {
          items.macros.push_back(std::move(*macro));
        }
      } else if (kinds.front() == "param") {
        if (auto param = read_param(item, source, problems)) {
          items.params.push_back(std::move(*param));
        }
      } else if (auto rule = read_rule(item, source, problems)) {
        items.rules.push_back(std::move(*rule));
      }
    }
  }
  if (!problems.errors.empty()) throw PackError(sorted(std::move(problems.errors)));
  // A file is added whole or not at all.
  auto append = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  append(pack.lists, items.lists);
  append(pack.macros, items.macros);
  append(pack.params, items.params);
  append(pack.rules, items.rules);
  append(pack.warnings, problems.warnings);
}

}  // namespace sfmon::rules
