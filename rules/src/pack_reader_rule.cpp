// The `- rule:` item. Only its structure is checked here; expressions are
// parsed and type-checked by the pack compiler.

#include <algorithm>

#include "pack_reader_items.h"

namespace sfmon::rules::pack_reader {
namespace {

constexpr std::string_view kLevels = "expected blue, yellow, orange or red";

std::optional<Level> read_level(const Field& field, const ItemContext& context) {
  const std::optional<std::string> text = read_string(field, context);
  if (!text) return std::nullopt;
  const std::optional<Level> level = level_from_string(*text);
  if (!level) {
    context.error(value_where(field, context),
                  "unknown level '" + *text + "' (" + std::string(kLevels) + ")");
  }
  return level;
}

std::optional<std::vector<std::string>> read_sources(const Field& field,
                                                     const ItemContext& context) {
  std::vector<YAML::Node> nodes;
  if (field.value.IsScalar()) {
    nodes.push_back(field.value);
  } else if (field.value.IsSequence() && field.value.size() > 0) {
    for (const YAML::Node& node : field.value) nodes.push_back(node);
  } else {
    context.error(
        value_where(field, context),
        "'source' must be bank, fee, balance or a list of them, got " + kind_of(field.value));
    return std::nullopt;
  }
  std::vector<std::string> sources;
  bool ok = true;
  for (const YAML::Node& node : nodes) {
    const std::string name = node.IsScalar() ? node.Scalar() : std::string();
    if (name != "bank" && name != "fee" && name != "balance") {
      context.error(node, "unknown source " + kind_of(node) + " (expected bank, fee or balance)");
      ok = false;
    } else if (std::find(sources.begin(), sources.end(), name) != sources.end()) {
      context.error(node, "source '" + name + "' is listed twice");
      ok = false;
    } else {
      sources.push_back(name);
    }
  }
  if (!ok) return std::nullopt;
  return sources;
}

std::optional<std::vector<TextAt>> read_key(const Field& field, const ItemContext& context) {
  // A single expression is a one-part key.
  if (field.value.IsScalar()) {
    auto text = read_text(field, context, TextKind::Expression);
    if (!text) return std::nullopt;
    return std::vector<TextAt>{*text};
  }
  if (!field.value.IsSequence()) {
    context.error(value_where(field, context),
                  "'key' must be a list of expressions, got " + kind_of(field.value));
    return std::nullopt;
  }
  std::vector<TextAt> key;
  bool ok = true;
  for (const YAML::Node& part : field.value) {
    auto text = read_text(part, "key", context, TextKind::Expression);
    if (text) key.push_back(std::move(*text));
    ok = ok && text.has_value();
  }
  if (!ok) return std::nullopt;
  return key;
}

std::optional<std::vector<std::pair<std::string, TextAt>>> read_aggregates(
    const Field& field, const ItemContext& context) {
  if (!field.value.IsMap()) {
    context.error(value_where(field, context),
                  "'aggregates' must be a map of name: aggregate, got " + kind_of(field.value));
    return std::nullopt;
  }
  std::vector<std::pair<std::string, TextAt>> aggregates;
  bool ok = true;
  for (const auto& pair : field.value) {
    const std::string name = pair.first.IsScalar() ? pair.first.Scalar() : std::string();
    const bool taken = std::any_of(aggregates.begin(), aggregates.end(),
                                   [&](const auto& known) { return known.first == name; });
    if (!is_identifier(name)) {
      context.error(pair.first, "bad aggregate name " + kind_of(pair.first) +
                                    " (a letter or '_', then letters, digits or '_')");
      ok = false;
    } else if (taken) {
      context.error(pair.first, "duplicate aggregate '" + name + "'");
      ok = false;
    }
    auto text = read_text(pair.second, name, context, TextKind::Expression);
    ok = ok && text.has_value();
    if (ok) aggregates.emplace_back(name, std::move(*text));
  }
  if (!ok) return std::nullopt;
  return aggregates;
}

std::optional<std::vector<EscalationDoc>> read_escalate(const Field& field,
                                                        const ItemContext& context) {
  if (!field.value.IsSequence()) {
    context.error(value_where(field, context),
                  "'escalate' must be a list of {level, when}, got " + kind_of(field.value));
    return std::nullopt;
  }
  std::vector<EscalationDoc> escalate;
  bool ok = true;
  for (const YAML::Node& step : field.value) {
    if (!step.IsMap()) {
      context.error(step, "an escalation must be a map {level, when}, got " + kind_of(step));
      ok = false;
      continue;
    }
    const std::size_t errors_before = context.problems.errors.size();
    const MapFields fields(step, {"level", "when"}, context);
    EscalationDoc doc;
    if (const Field* level = fields.required("level"); level && read_level(*level, context)) {
      doc.level = level->value.Scalar();
    }
    if (const Field* when = fields.required("when")) {
      if (auto text = read_text(*when, context, TextKind::Expression)) doc.when = *text;
    }
    if (context.problems.errors.size() != errors_before) {
      ok = false;
      continue;
    }
    escalate.push_back(std::move(doc));
  }
  if (!ok) return std::nullopt;
  return escalate;
}

// Checks between fields, once each field is known to be well-formed.
// `window_read` is false when the window had errors of its own.
void check_rule(const RuleDoc& rule, const MapFields& fields, bool window_read,
                const ItemContext& context) {
  if (!rule.aggregates.empty() && window_read && rule.window.kind == WindowKind::None) {
    context.error(context.source.at(fields.find("aggregates")->key),
                  "aggregates need a window, e.g. window: {preceding: 7d}");
  }
  const bool balance =
      std::find(rule.sources.begin(), rule.sources.end(), "balance") != rule.sources.end();
  if (balance && rule.window.kind == WindowKind::TumblingDay) {
    // Balances are already one per account and day: a day window over them
    // has nothing to aggregate and no record to trigger on.
    context.error(rule.window.where, "a {tumbling: day} window cannot have source balance");
  }
  if (rule.window.kind == WindowKind::Preceding || rule.window.kind == WindowKind::Following) {
    if (rule.aggregates.empty()) {
      context.warning(rule.window.where, "the window is unused: the rule has no aggregates");
    }
  }
  const std::optional<Level> base = level_from_string(rule.level);
  std::vector<std::string> seen;
  for (const EscalationDoc& step : rule.escalate) {
    const std::optional<Level> level = level_from_string(step.level);
    if (base && level && *level <= *base) {
      context.error(step.when.where, "escalation level '" + step.level +
                                         "' is not above the rule's level '" + rule.level + "'");
    } else if (std::find(seen.begin(), seen.end(), step.level) != seen.end()) {
      context.error(step.when.where, "escalation level '" + step.level + "' is given twice");
    }
    seen.push_back(step.level);
  }
}

}  // namespace

std::optional<RuleDoc> read_rule(const YAML::Node& item, const YamlSource& source,
                                 Problems& problems) {
  const std::size_t errors_before = problems.errors.size();
  const ItemContext context{source, problems, item_name("rule", item["rule"])};
  const MapFields fields(item,
                         {"rule", "title", "version", "level", "enabled", "regulation", "tags",
                          "source", "where", "key", "window", "aggregates", "condition", "escalate",
                          "message", "dedup", "group_window", "evidence"},
                         context);
  RuleDoc rule;
  rule.where_defined = source.at(item);
  if (const Field* id = fields.required("rule")) {
    if (auto text = read_string(*id, context)) {
      if (!is_rule_id(*text)) {
        context.error(value_where(*id, context),
                      "bad rule id '" + *text + "' (letters, digits, '-', '_' and '.')");
      }
      rule.id = *text;
    }
  }
  if (const Field* title = fields.required("title")) {
    if (auto text = read_string(*title, context)) rule.title = *text;
  }
  if (const Field* version = fields.find("version")) {
    if (auto value = read_positive_int(*version, context)) rule.version = *value;
  }
  if (const Field* level = fields.required("level"); level && read_level(*level, context)) {
    rule.level = level->value.Scalar();
  }
  if (const Field* enabled = fields.find("enabled")) {
    if (auto value = read_bool(*enabled, context)) rule.enabled = *value;
  }
  if (const Field* regulation = fields.find("regulation")) {
    if (auto text = read_string(*regulation, context)) rule.regulation = *text;
  }
  if (const Field* tags = fields.find("tags")) {
    if (auto list = read_string_list(*tags, context)) rule.tags = std::move(*list);
  }
  if (const Field* sources = fields.required("source")) {
    if (auto list = read_sources(*sources, context)) rule.sources = std::move(*list);
  }
  if (const Field* where = fields.find("where")) {
    rule.where = read_text(*where, context, TextKind::Expression);
  }
  if (const Field* key = fields.find("key")) {
    if (auto parts = read_key(*key, context)) rule.key = std::move(*parts);
  }
  bool window_read = true;
  if (const Field* window = fields.find("window")) {
    const std::optional<WindowDoc> value = read_window(*window, context);
    if (value) rule.window = *value;
    window_read = value.has_value();
  }
  if (const Field* aggregates = fields.find("aggregates")) {
    if (auto list = read_aggregates(*aggregates, context)) rule.aggregates = std::move(*list);
  }
  if (const Field* condition = fields.required("condition")) {
    if (auto text = read_text(*condition, context, TextKind::Expression)) rule.condition = *text;
  }
  if (const Field* escalate = fields.find("escalate")) {
    if (auto steps = read_escalate(*escalate, context)) rule.escalate = std::move(*steps);
  }
  if (const Field* message = fields.required("message")) {
    if (auto text = read_text(*message, context, TextKind::Template)) rule.message = *text;
  }
  if (const Field* dedup = fields.find("dedup")) {
    rule.dedup = read_text(*dedup, context, TextKind::Template);
  }
  if (const Field* group_window = fields.find("group_window")) {
    if (auto seconds = read_duration(*group_window, context)) rule.group_window_seconds = *seconds;
  }
  if (const Field* evidence = fields.find("evidence")) {
    if (auto text = read_string(*evidence, context)) {
      if (*text == "window" || *text == "trigger") {
        rule.evidence_window = *text == "window";
      } else {
        context.error(value_where(*evidence, context),
                      "evidence must be 'window' or 'trigger', not '" + *text + "'");
      }
    }
  }
  check_rule(rule, fields, window_read, context);
  if (problems.errors.size() != errors_before) return std::nullopt;
  return rule;
}

}  // namespace sfmon::rules::pack_reader
