// Every file in tests/data/broken_rules/ is a rule pack with known mistakes;
// each must be rejected with exactly these "file:line:column: message" lines.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sfmon/rules/rule_pack.h"

namespace sfmon::rules::broken_packs_test {
namespace {

const std::string kFolder = std::string(SFMON_TEST_DATA_DIR) + "/broken_rules";

struct BrokenPack {
  const char* file;
  std::map<std::string, std::string> overrides;
  std::vector<std::string> errors;
};

const std::vector<BrokenPack>& broken_packs() {
  static const std::vector<BrokenPack> packs = {
      {"yaml_syntax.yaml",
       {},
       {"broken_rules/yaml_syntax.yaml:7:12: YAML syntax error: end of map flow not found"}},
      {"unknown_key.yaml",
       {},
       {"broken_rules/unknown_key.yaml:2:3: in rule 'FUND-LARGE': missing 'condition'",
        "broken_rules/unknown_key.yaml:6:3: in rule 'FUND-LARGE': unknown key 'condtion' (did "
        "you mean 'condition'?)"}},
      {"wrong_type.yaml",
       {},
       {"broken_rules/wrong_type.yaml:3:12: in rule 'FUND-LARGE': 'version' must be a positive "
        "integer, got 'x'"}},
      {"missing_condition.yaml",
       {},
       {"broken_rules/missing_condition.yaml:1:3: in rule 'FUND-LARGE': missing 'condition'"}},
      {"unknown_level.yaml",
       {},
       {"broken_rules/unknown_level.yaml:3:10: in rule 'FUND-LARGE': unknown level 'purple' "
        "(expected blue, yellow, orange or red)"}},
      {"duplicate_rule.yaml",
       {},
       {"broken_rules/duplicate_rule.yaml:8:3: duplicate rule id 'FUND-LARGE' (first defined "
        "at broken_rules/duplicate_rule.yaml:1:3)"}},
      {"undefined_macro.yaml",
       {},
       {"broken_rules/undefined_macro.yaml:8:14: in rule 'FUND-LARGE': unknown name "
        "'is_debitt' (did you mean 'is_debit'?)"}},
      {"undefined_list.yaml",
       {},
       {"broken_rules/undefined_list.yaml:8:42: in rule 'FUND-CASH': unknown name "
        "'cash_wordz' (did you mean 'cash_words'?)"}},
      {"undefined_param.yaml",
       {},
       {"broken_rules/undefined_param.yaml:9:32: in rule 'FUND-LARGE': unknown parameter "
        "'$large_total'"}},
      {"cyclic_macros.yaml",
       {},
       {"broken_rules/cyclic_macros.yaml:2:35: in macro 'is_debit': macro cycle: is_refund -> "
        "is_debit -> is_refund",
        "broken_rules/cyclic_macros.yaml:5:32: in macro 'is_refund': macro cycle: is_debit -> "
        "is_refund -> is_debit"}},
      {"bad_window_duration.yaml",
       {},
       {"broken_rules/bad_window_duration.yaml:5:23: in rule 'FUND-SPLIT': bad duration '7x' "
        "for 'preceding' (expected a whole number followed by s, m, h or d, e.g. 30s, 15m, 72h, "
        "7d)"}},
      {"bad_window_kind.yaml",
       {},
       {"broken_rules/bad_window_kind.yaml:5:12: in rule 'FUND-SPLIT': unknown window kind "
        "'sliding' (expected tumbling, preceding or following)"}},
      {"bad_tumbling.yaml",
       {},
       {"broken_rules/bad_tumbling.yaml:6:15: in rule 'FUND-LARGE': unknown tumbling window "
        "'week' (only 'day' is supported)"}},
      {"unknown_field.yaml",
       {},
       {"broken_rules/unknown_field.yaml:5:31: in rule 'FUND-LARGE': unknown field "
        "'record.amout' (did you mean 'record.amount'?)"}},
      // The operator on the block scalar's second line: positions inside
      // multi-line expressions are the file's.
      {"type_error.yaml",
       {},
       {"broken_rules/type_error.yaml:7:25: in rule 'FUND-LARGE': cannot compare money with "
        "string"}},
      {"aggregate_without_window.yaml",
       {},
       {"broken_rules/aggregate_without_window.yaml:5:3: in rule 'FUND-LARGE': aggregates need "
        "a window, e.g. window: {preceding: 7d}"}},
      {"unknown_source.yaml",
       {},
       {"broken_rules/unknown_source.yaml:4:18: in rule 'FEE-LOAN': unknown source 'loans' "
        "(expected bank, fee or balance)"}},
      {"bad_param_default.yaml",
       {},
       {"broken_rules/bad_param_default.yaml:3:13: in param 'large_day_total': bad money "
        "default '2,000,000.00' (not a decimal amount)"}},
      // The pack is valid; its config overrides are not. An unknown name has
      // no place in the pack, so its message has none either.
      {"bad_override.yaml",
       {{"large_day_total", "abc"}, {"large_total", "1.00"}},
       {"broken_rules/bad_override.yaml:2:3: in param 'large_day_total': bad money value 'abc' "
        "in config overrides (not a decimal amount)",
        "unknown parameter 'large_total' in config overrides"}},
      {"tumbling_balance.yaml",
       {},
       {"broken_rules/tumbling_balance.yaml:5:11: in rule 'FUND-MINBAL': a {tumbling: day} "
        "window cannot have source balance"}},
      {"three_errors.yaml",
       {},
       {"broken_rules/three_errors.yaml:4:10: in rule 'FUND-LARGE': unknown level 'crimson' "
        "(expected blue, yellow, orange or red)",
        "broken_rules/three_errors.yaml:9:3: in rule 'FUND-CASH': missing 'message'",
        "broken_rules/three_errors.yaml:14:3: in rule 'FUND-CASH': unknown key 'mesage' (did "
        "you mean 'message'?)"}},
  };
  return packs;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The errors of reading and compiling one broken file; empty if it loads.
std::vector<std::string> errors_of(const BrokenPack& pack) {
  const std::string text = read_text(kFolder + "/" + pack.file);
  EXPECT_FALSE(text.empty()) << pack.file << " is missing or empty";
  try {
    PackDocument doc;
    read_rules_file(text, std::string("broken_rules/") + pack.file, doc);
    compile_pack(doc, pack.overrides);
  } catch (const PackError& error) {
    std::vector<std::string> texts;
    for (const Diagnostic& diagnostic : error.errors()) texts.push_back(diagnostic.to_string());
    return texts;
  }
  return {};
}

class BrokenPacksTest : public ::testing::TestWithParam<BrokenPack> {};

TEST_P(BrokenPacksTest, IsRejectedWithExactlyTheseErrors) {
  EXPECT_EQ(errors_of(GetParam()), GetParam().errors);
}

INSTANTIATE_TEST_SUITE_P(AllFiles, BrokenPacksTest, ::testing::ValuesIn(broken_packs()),
                         [](const ::testing::TestParamInfo<BrokenPack>& param_info) {
                           std::string name = param_info.param.file;
                           name = name.substr(0, name.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// A broken file without expectations would test nothing.
TEST(BrokenPacksFolderTest, EveryFileHasItsExpectedErrors) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kFolder)) {
    files.push_back(entry.path().filename().string());
  }
  std::vector<std::string> expected;
  for (const BrokenPack& pack : broken_packs()) expected.push_back(pack.file);
  std::sort(files.begin(), files.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(files, expected);
  EXPECT_GE(files.size(), 12u);
}

TEST(BrokenPacksFolderTest, LoadPackNamesTheFileByItsPath) {
  const std::string path = kFolder + "/unknown_level.yaml";
  try {
    load_pack({path}, {});
    FAIL() << "expected a PackError";
  } catch (const PackError& error) {
    ASSERT_EQ(error.errors().size(), 1u);
    EXPECT_EQ(error.errors()[0].to_string(),
              path +
                  ":3:10: in rule 'FUND-LARGE': unknown level 'purple' (expected blue, "
                  "yellow, orange or red)");
  }
}

}  // namespace
}  // namespace sfmon::rules::broken_packs_test
