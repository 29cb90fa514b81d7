// Windows: {tumbling: day}, {preceding: 7d}, {preceding: 24h, closed: true},
// {preceding: 90d, exclude_current: true}, {following: 180d}.

#include "pack_reader_items.h"

namespace sfmon::rules::pack_reader {
namespace {

constexpr std::string_view kWindowForms = "{tumbling: day}, {preceding: 7d} or {following: 180d}";

WindowKind kind_of_key(std::string_view key) {
  if (key == "tumbling") return WindowKind::TumblingDay;
  if (key == "preceding") return WindowKind::Preceding;
  if (key == "following") return WindowKind::Following;
  return WindowKind::None;
}

}  // namespace

std::optional<WindowDoc> read_window(const Field& field, const ItemContext& context) {
  if (!field.value.IsMap()) {
    context.error(value_where(field, context), "'window' must be a map such as " +
                                                   std::string(kWindowForms) + ", got " +
                                                   kind_of(field.value));
    return std::nullopt;
  }
  const std::size_t errors_before = context.problems.errors.size();
  WindowDoc window;
  window.where = context.source.at(field.value);
  std::optional<Field> kind_field;
  std::optional<Field> closed;
  std::optional<Field> exclude_current;
  bool unknown_kind = false;  // already reported: "needs one of" would repeat it
  for (const auto& pair : field.value) {
    const Field entry{pair.first.IsScalar() ? pair.first.Scalar() : std::string(), pair.first,
                      pair.second};
    std::optional<Field>* slot = nullptr;
    if (kind_of_key(entry.name) != WindowKind::None) {
      slot = &kind_field;
    } else if (entry.name == "closed") {
      slot = &closed;
    } else if (entry.name == "exclude_current") {
      slot = &exclude_current;
    } else {
      context.error(entry.key, "unknown window kind " + kind_of(entry.key) +
                                   " (expected tumbling, preceding or following)");
      unknown_kind = true;
      continue;
    }
    if (slot->has_value()) {
      context.error(entry.key, (*slot)->name == entry.name
                                   ? "duplicate key '" + entry.name + "' in window"
                                   : "a window has one kind, got both '" + (*slot)->name +
                                         "' and '" + entry.name + "'");
      continue;
    }
    *slot = entry;
  }

  if (!kind_field) {
    if (!unknown_kind) {
      context.error(window.where, "a window needs one of tumbling, preceding or following");
    }
  } else {
    window.kind = kind_of_key(kind_field->name);
    if (window.kind == WindowKind::TumblingDay) {
      if (!kind_field->value.IsScalar() || kind_field->value.Scalar() != "day") {
        context.error(
            value_where(*kind_field, context),
            "unknown tumbling window " + kind_of(kind_field->value) + " (only 'day' is supported)");
      }
    } else if (kind_field->value.IsScalar() && kind_field->value.Scalar().rfind('$', 0) == 0) {
      // A duration parameter, resolved by the compiler (deployments override it).
      window.param = kind_field->value.Scalar().substr(1);
    } else if (auto seconds = read_duration(*kind_field, context)) {
      window.seconds = *seconds;
    }
  }
  for (const std::optional<Field>* flag : {&closed, &exclude_current}) {
    if (!flag->has_value()) continue;
    if (kind_field && window.kind != WindowKind::Preceding) {
      context.error((*flag)->key, "'" + (*flag)->name + "' applies to preceding windows only");
      continue;
    }
    if (auto value = read_bool(**flag, context)) {
      (flag == &closed ? window.closed : window.exclude_current) = *value;
    }
  }
  if (context.problems.errors.size() != errors_before) return std::nullopt;
  return window;
}

}  // namespace sfmon::rules::pack_reader
