#include <algorithm>
#include <climits>
#include <map>

#include "registry_loader_internal.h"
#include "sfmon/model/name_normaliser.h"

namespace sfmon::registry_internal {
namespace {

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "text";
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

// A quoted scalar is text in YAML even when it reads "true" or "12"; a
// field typed as a boolean or a number must be written without quotes so
// that the file means in every YAML tool what sfmon reads from it.
bool is_quoted(const YAML::Node& node) {
  return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

// The scalar of `field`, or nullopt after reporting a missing value or a
// list/map where text belongs.
std::optional<std::string> scalar_of(const Field& field, std::string_view expected,
                                     ProblemList& problems) {
  if (field.value.IsNull()) {
    problems.add(field.key.Mark(), std::string(field.name) + " has no value");
    return std::nullopt;
  }
  if (!field.value.IsScalar()) {
    problems.add(field.value_mark(), std::string(field.name) + " must be " + std::string(expected) +
                                         "; got " + kind_of(field.value));
    return std::nullopt;
  }
  return field.value.Scalar();
}

std::string join(const std::vector<FieldRule>& rules) {
  std::string names;
  for (const FieldRule& rule : rules) {
    if (!names.empty()) names += ", ";
    names += rule.name;
  }
  return names;
}

}  // namespace

YAML::Mark Field::value_mark() const {
  return value.IsNull() ? key.Mark() : value.Mark();
}

bool read_map(const YAML::Node& node, std::string_view what, const std::vector<FieldRule>& rules,
              ProblemList& problems) {
  if (!node.IsMap()) {
    const YAML::Mark mark = node.IsNull() ? problems.before(node.Mark()) : node.Mark();
    problems.add(mark, std::string(what) + " must be a map; got " + kind_of(node),
                 node.IsScalar() ? node.Scalar() : std::string());
    return false;
  }
  std::map<std::string, YAML::Mark, std::less<>> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      problems.add(key.Mark(),
                   "keys in " + std::string(what) + " must be text; got " + kind_of(key));
      continue;
    }
    const std::string& name = key.Scalar();
    const auto [first, inserted] = seen.emplace(name, key.Mark());
    if (!inserted) {
      // yaml-cpp keeps both; silently taking either would hide a mistake.
      problems.add(key.Mark(),
                   "duplicate key in " + std::string(what) + " (first at " +
                       ProblemList::line_of(first->second) + ")",
                   name);
      continue;
    }
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&](const FieldRule& r) { return r.name == name; });
    if (rule == rules.end()) {
      // An error, not a warning: a misspelt optional key such as
      // "min_balanse" would otherwise silently switch a check off.
      problems.add(key.Mark(),
                   "unknown key in " + std::string(what) + "; expected one of: " + join(rules),
                   name);
      continue;
    }
    rule->read(Field{rule->name, key, it->second});
  }
  for (const FieldRule& rule : rules) {
    if (rule.required && seen.find(rule.name) == seen.end()) {
      problems.add(node.Mark(),
                   std::string(what) + " is missing required key " + std::string(rule.name));
    }
  }
  return true;
}

std::optional<std::vector<YAML::Node>> read_list(const Field& field, ProblemList& problems) {
  if (field.value.IsNull()) return std::vector<YAML::Node>{};
  if (!field.value.IsSequence()) {
    problems.add(field.value_mark(),
                 std::string(field.name) + " must be a list; got " + kind_of(field.value),
                 field.value.IsScalar() ? field.value.Scalar() : std::string());
    return std::nullopt;
  }
  std::vector<YAML::Node> items;
  for (const YAML::Node& item : field.value) items.push_back(item);
  return items;
}

std::optional<std::string> read_text(const Field& field, ProblemList& problems) {
  std::optional<std::string> text = scalar_of(field, "text", problems);
  if (text && text->find_first_not_of(" \t") == std::string::npos) {
    problems.add(field.value_mark(), std::string(field.name) + " must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> read_bool(const Field& field, ProblemList& problems) {
  const std::optional<std::string> text = scalar_of(field, "true or false", problems);
  if (!text) return std::nullopt;
  // YAML 1.2 core schema spellings; YAML 1.1's yes/no/on/off are refused
  // because tools disagree about them.
  if (!is_quoted(field.value)) {
    if (*text == "true" || *text == "True" || *text == "TRUE") return true;
    if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  }
  problems.add(field.value_mark(),
               std::string(field.name) + " must be true or false (without quotes)", *text);
  return std::nullopt;
}

std::optional<int> read_count(const Field& field, ProblemList& problems) {
  const std::optional<std::string> text = scalar_of(field, "a whole number", problems);
  if (!text) return std::nullopt;
  const bool digits_only = !text->empty() && text->size() <= 10 &&
                           text->find_first_not_of("0123456789") == std::string::npos;
  if (!is_quoted(field.value) && digits_only) {
    const long long value = std::stoll(*text);
    if (value <= INT_MAX) return static_cast<int>(value);
  }
  problems.add(field.value_mark(),
               std::string(field.name) + " must be a whole number from 0 to " +
                   std::to_string(INT_MAX) + " (without quotes)",
               *text);
  return std::nullopt;
}

std::optional<Fen> read_amount(const Field& field, ProblemList& problems) {
  const std::optional<std::string> text = scalar_of(field, "an amount", problems);
  if (!text) return std::nullopt;
  std::string why;
  const std::optional<Fen> fen = parse_amount(*text, AmountSyntax{}, &why);
  if (!fen) {
    problems.add(field.value_mark(),
                 std::string(field.name) + " must be an exact amount such as \"15000.00\": " + why,
                 *text);
    return std::nullopt;
  }
  if (*fen < 0) {
    problems.add(field.value_mark(), std::string(field.name) + " must not be negative", *text);
    return std::nullopt;
  }
  return fen;
}

std::optional<Date> read_date(const Field& field, ProblemList& problems) {
  const std::optional<std::string> text = scalar_of(field, "a date", problems);
  if (!text) return std::nullopt;
  const std::optional<Date> date = parse_iso_date(*text);
  if (!date) {
    problems.add(field.value_mark(),
                 std::string(field.name) + " must be a real date written YYYY-MM-DD", *text);
  }
  return date;
}

std::optional<std::string> read_account_number(const Field& field, ProblemList& problems) {
  std::optional<std::string> text = read_text(field, problems);
  if (!text) return std::nullopt;
  const std::string normalised = normalise_account(*text);
  const bool plain =
      !normalised.empty() &&
      normalised.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
  if (!plain) {
    problems.add(
        field.value_mark(),
        std::string(field.name) + " may hold only digits, Latin letters, spaces and dashes", *text);
    return std::nullopt;
  }
  return text;
}

}  // namespace sfmon::registry_internal
