// A pack's tests file (docs/rules.md "Tests"): a YAML list of `- test:`
// cases. Rows stay text; the test runner parses them like real input.

#include "pack_reader_items.h"

namespace sfmon::rules {
namespace pack_reader {
namespace {

using Row = std::map<std::string, std::string>;

// Re-emits a node keeping each scalar's quoting, so that a registry written
// inline means the same as in its own file ("12" stays text, 12 a number).
void emit(YAML::Emitter& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!") out << YAML::DoubleQuoted;
      out << node.Scalar();
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const YAML::Node& item : node) emit(out, item);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& pair : node) {
        out << YAML::Key;
        emit(out, pair.first);
        out << YAML::Value;
        emit(out, pair.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out << YAML::Null;
      break;
  }
}

std::string registry_text(const YAML::Node& schools) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "schools" << YAML::Value;
  emit(out, schools);
  out << YAML::EndMap;
  return out.c_str();
}

// A value of a row or of `parameters`: text, empty for `~`, a list's items
// joined by '\n' (list parameters).
std::optional<std::string> row_value(const Field& field, const ItemContext& context,
                                     bool allow_list) {
  if (field.value.IsNull()) return std::string();
  if (field.value.IsScalar()) return field.value.Scalar();
  if (allow_list && field.value.IsSequence()) {
    auto items = read_string_list(field, context);
    if (!items) return std::nullopt;
    std::string text;
    for (std::size_t i = 0; i < items->size(); ++i) text += (i > 0 ? "\n" : "") + (*items)[i];
    return text;
  }
  context.error(value_where(field, context),
                "'" + field.name + "' must be a single value, got " + kind_of(field.value));
  return std::nullopt;
}

// A map of name → value text, each name once.
std::optional<Row> read_row(const YAML::Node& node, std::string_view what,
                            const ItemContext& context, bool allow_lists) {
  if (!node.IsMap()) {
    context.error(node, std::string(what) + " must be a map of field: value, got " + kind_of(node));
    return std::nullopt;
  }
  Row row;
  bool ok = true;
  for (const auto& pair : node) {
    const Field field{pair.first.IsScalar() ? pair.first.Scalar() : std::string(), pair.first,
                      pair.second};
    if (field.name.empty()) {
      context.error(pair.first, "a field name must be text, got " + kind_of(pair.first));
      ok = false;
    } else if (row.count(field.name) != 0) {
      context.error(pair.first, "duplicate key '" + field.name + "'");
      ok = false;
    } else if (auto value = row_value(field, context, allow_lists)) {
      row.emplace(field.name, std::move(*value));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return row;
}

std::optional<std::vector<Row>> read_rows(const Field& field, const ItemContext& context) {
  if (!field.value.IsSequence()) {
    context.error(value_where(field, context),
                  "'" + field.name + "' must be a list of rows, got " + kind_of(field.value));
    return std::nullopt;
  }
  std::vector<Row> rows;
  bool ok = true;
  for (const YAML::Node& node : field.value) {
    auto row = read_row(node, "a row of '" + field.name + "'", context, false);
    if (row) rows.push_back(std::move(*row));
    ok = ok && row.has_value();
  }
  if (!ok) return std::nullopt;
  return rows;
}

std::optional<TestCaseDoc::Expectation> read_expectation(const YAML::Node& node,
                                                         const ItemContext& context) {
  if (!node.IsMap()) {
    context.error(
        node, "an expectation must be a map {rule, school, level, evidence}, got " + kind_of(node));
    return std::nullopt;
  }
  const std::size_t errors_before = context.problems.errors.size();
  const MapFields fields(node, {"rule", "school", "level", "evidence"}, context);
  TestCaseDoc::Expectation expectation;
  if (const Field* rule = fields.required("rule")) {
    if (auto text = read_string(*rule, context)) expectation.rule = *text;
  }
  if (const Field* school = fields.required("school")) {
    if (auto text = read_string(*school, context)) expectation.school = *text;
  }
  if (const Field* level = fields.find("level")) {
    if (auto text = read_string(*level, context)) {
      if (!level_from_string(*text)) {
        context.error(value_where(*level, context),
                      "unknown level '" + *text + "' (expected blue, yellow, orange or red)");
      }
      expectation.level = *text;
    }
  }
  if (const Field* evidence = fields.find("evidence")) {
    if (auto ids = read_string_list(*evidence, context)) expectation.evidence = std::move(*ids);
  }
  if (context.problems.errors.size() != errors_before) return std::nullopt;
  return expectation;
}

std::optional<TestCaseDoc> read_test(const YAML::Node& item, const YamlSource& source,
                                     Problems& problems) {
  const std::size_t errors_before = problems.errors.size();
  const ItemContext context{source, problems, item_name("test", item["test"])};
  const MapFields fields(item,
                         {"test", "registry", "schools", "bank", "fees", "balances", "watchlist",
                          "parameters", "expect", "rules"},
                         context);
  TestCaseDoc test;
  test.where = source.at(item);
  if (auto name = read_string(*fields.find("test"), context)) test.name = *name;

  const Field* registry = fields.find("registry");
  const Field* schools = fields.find("schools");
  if ((registry == nullptr) == (schools == nullptr)) {
    context.error(item, "a test needs either 'registry: file' or an inline 'schools:' list");
  } else if (registry != nullptr) {
    test.registry_file = read_string(*registry, context);
  } else if (!schools->value.IsSequence()) {
    context.error(value_where(*schools, context),
                  "'schools' must be a list of schools, got " + kind_of(schools->value));
  } else {
    test.registry_yaml = registry_text(schools->value);
  }

  const std::pair<const char*, std::vector<Row>*> tables[] = {{"bank", &test.bank},
                                                              {"fees", &test.fees},
                                                              {"balances", &test.balances},
                                                              {"watchlist", &test.watchlist}};
  for (const auto& [name, rows] : tables) {
    if (const Field* field = fields.find(name)) {
      if (auto values = read_rows(*field, context)) *rows = std::move(*values);
    }
  }
  if (const Field* parameters = fields.find("parameters")) {
    if (auto values = read_row(parameters->value, "'parameters'", context, true)) {
      test.parameters = std::move(*values);
    }
  }
  if (const Field* expect = fields.required("expect")) {
    if (!expect->value.IsSequence()) {
      context.error(value_where(*expect, context),
                    "'expect' must be a list of expected firings, got " + kind_of(expect->value));
    } else {
      for (const YAML::Node& node : expect->value) {
        if (auto expectation = read_expectation(node, context)) {
          test.expect.push_back(std::move(*expectation));
        }
      }
    }
  }
  if (const Field* rules = fields.find("rules")) {
    if (auto names = read_string_list(*rules, context)) test.rules = std::move(*names);
  }
  if (problems.errors.size() == errors_before && test.expect.empty() && test.rules.empty()) {
    context.error(item, "a near miss (expect: []) must name the rules it judges in 'rules'");
  }
  if (problems.errors.size() != errors_before) return std::nullopt;
  return test;
}

}  // namespace
}  // namespace pack_reader

void read_tests_file(std::string_view yaml, const std::string& file, PackDocument& pack) {
  using namespace pack_reader;
  const YamlSource source(yaml, file);
  Problems problems;
  const YAML::Node root = source.load(problems);
  std::vector<TestCaseDoc> tests;
  if (root.IsDefined() && root.IsNull()) {
    problems.warning({file, 1, 1}, "the file has no tests");
  } else if (root.IsDefined() && !root.IsSequence()) {
    problems.error(source.at(root), "a tests file must be a list of '- test:' cases");
  } else if (root.IsDefined()) {
    for (const YAML::Node& item : root) {
      if (!item.IsMap() || !item["test"]) {
        problems.error(source.at(item), "a test case must be a map starting with 'test:'");
        continue;
      }
      if (auto test = read_test(item, source, problems)) tests.push_back(std::move(*test));
    }
  }
  if (!problems.errors.empty()) throw PackError(sorted(std::move(problems.errors)));
  pack.tests.insert(pack.tests.end(), std::make_move_iterator(tests.begin()),
                    std::make_move_iterator(tests.end()));
  pack.warnings.insert(pack.warnings.end(), problems.warnings.begin(), problems.warnings.end());
}

}  // namespace sfmon::rules
