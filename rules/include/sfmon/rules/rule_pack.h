#pragma once
// A rule pack in two forms: as read (PackDocument: plain items with their
// positions, nothing resolved) and as compiled (CompiledPack: lists, macros
// and parameters resolved, every expression type-checked). Reading takes text,
// not paths, so tests need no files; read_pack() and load_pack() are the
// file-system front end used by the CLI.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/rules/diagnostic.h"
#include "sfmon/rules/expression.h"

namespace sfmon::rules {

enum class Level { Blue = 0, Yellow = 1, Orange = 2, Red = 3 };
const char* to_string(Level level);
std::optional<Level> level_from_string(std::string_view text);

enum class FactKind { Bank, Fee, Balance };
const char* to_string(FactKind kind);

// A YAML scalar with where it starts (for expressions, its first character).
struct TextAt {
  std::string text;
  SourceRef where;
};

// ---- As read ---------------------------------------------------------------------

struct ListDoc {
  std::string name;
  std::vector<std::string> items;
  SourceRef where;
};
struct MacroDoc {
  std::string name;
  TextAt condition;
  SourceRef where;
};
struct ParamDoc {
  std::string name;
  std::string type;      // money | number | integer | duration | string | list
  TextAt default_value;  // lists: items joined by '\n'
  std::string description;
  SourceRef where;
};
enum class WindowKind { None, TumblingDay, Preceding, Following };
struct WindowDoc {
  WindowKind kind = WindowKind::None;
  std::int64_t seconds = 0;      // Preceding / Following
  std::string param;             // "$name": the length is that duration parameter's value
  bool closed = false;           // [t - W, t] instead of (t - W, t]
  bool exclude_current = false;  // [t - W, t): strictly earlier records
  SourceRef where;
};
struct EscalationDoc {
  std::string level;
  TextAt when;
};
struct RuleDoc {
  std::string id;
  std::string title;
  int version = 1;
  std::string level;
  bool enabled = true;
  std::string regulation;
  std::vector<std::string> tags;
  std::vector<std::string> sources;  // bank | fee | balance
  std::optional<TextAt> where;
  std::vector<TextAt> key;  // empty: [school.id]
  WindowDoc window;
  std::vector<std::pair<std::string, TextAt>> aggregates;  // in order
  TextAt condition;
  std::vector<EscalationDoc> escalate;
  TextAt message;
  std::optional<TextAt> dedup;
  std::int64_t group_window_seconds = 86400;
  // `evidence: trigger` lists only the triggering record (baselines, whose
  // window is context); `evidence: window` (default) adds every record that
  // fed an aggregate.
  bool evidence_window = true;
  SourceRef where_defined;
};
// A pack test case (docs/rules.md "Tests"); rows keep their YAML text fields.
struct TestCaseDoc {
  std::string name;
  std::optional<std::string> registry_file;  // relative to the tests folder
  std::string registry_yaml;                 // inline `schools:` re-emitted as YAML
  std::vector<std::map<std::string, std::string>> bank;
  std::vector<std::map<std::string, std::string>> fees;
  std::vector<std::map<std::string, std::string>> balances;
  std::vector<std::map<std::string, std::string>> watchlist;  // rows {name, account, reason}
  std::map<std::string, std::string> parameters;
  struct Expectation {
    std::string rule;
    std::string school;
    std::optional<std::string> level;
    std::vector<std::string> evidence;  // record ids; empty: not checked
  };
  std::vector<Expectation> expect;
  std::vector<std::string> rules;  // the rules judged; empty: those in `expect`
  SourceRef where;
};

struct PackDocument {
  std::vector<ListDoc> lists;
  std::vector<MacroDoc> macros;
  std::vector<ParamDoc> params;
  std::vector<RuleDoc> rules;
  std::vector<TestCaseDoc> tests;
  std::vector<Diagnostic> warnings;  // unknown keys are errors; unused lists/macros warn
};

// Adds the items of one rules file to `pack`. Collects every structural error
// (unknown keys, wrong types, missing fields, bad levels/windows/durations)
// and throws PackError listing them all.
void read_rules_file(std::string_view yaml, const std::string& file, PackDocument& pack);
void read_tests_file(std::string_view yaml, const std::string& file, PackDocument& pack);

// ---- Compiled --------------------------------------------------------------------

struct CompiledAggregate {
  std::string name;
  AggregateFunc func = AggregateFunc::Count;
  std::unique_ptr<CompiledExpr> argument;  // null for count()
  double quantile = 0.5;
  std::unique_ptr<CompiledExpr> filter;  // null: the rule's `where` records
  ValueType type = ValueType::Null;
};

struct CompiledTemplate {
  std::vector<std::string> literals;
  std::vector<std::unique_ptr<CompiledExpr>> holes;
  std::string render(const EvalContext& context) const;
};

struct CompiledEscalation {
  Level level = Level::Red;
  std::unique_ptr<CompiledExpr> when;
};

struct CompiledRule {
  std::string id;
  std::string title;
  int version = 1;
  Level level = Level::Yellow;
  bool enabled = true;
  std::string regulation;
  std::vector<std::string> tags;
  unsigned sources = 0;                            // FactMask
  std::unique_ptr<CompiledExpr> where;             // null: every record of the sources
  std::vector<std::unique_ptr<CompiledExpr>> key;  // empty: school.id
  // The key is the school alone (no key, or [school.id]): every record of a
  // school has the same key, which evaluation then works out once.
  bool key_is_school = false;
  WindowDoc window;
  std::vector<CompiledAggregate> aggregates;  // slot = index
  std::unique_ptr<CompiledExpr> condition;
  std::vector<CompiledEscalation> escalate;  // highest level first
  CompiledTemplate message;
  CompiledTemplate dedup;  // default: the key values joined with ':'
  std::int64_t group_window_seconds = 86400;
  bool evidence_window = true;  // see RuleDoc::evidence_window
  // Whether any expression of the rule may call closing_balance(), directly
  // or through a macro (an over-approximation). Such a rule depends on
  // balances of days outside its window, which incremental evaluation must
  // re-judge when they change (monitor/rule_runner.h).
  bool reads_closing_balance = false;
  SourceRef where_defined;
};

struct CompiledPack {
  std::vector<CompiledRule> rules;
  std::map<std::string, std::vector<std::string>> lists;
  std::map<std::string, ExprNode> macros;
  std::map<std::string, ParamSymbol> param_symbols;
  std::vector<Value> param_values;       // slot = ParamSymbol::slot
  std::vector<std::string> param_texts;  // as written (default or override), for reports
  std::vector<TestCaseDoc> tests;
  std::vector<Diagnostic> warnings;
  // SHA-256 (hex) of everything the compiled rules were made from: the rule
  // files' texts in the order read, and the parameter overrides. Packs with
  // equal digests judge alike; state derived from a pack's rules (monitor's
  // window totals) is keyed by it. Empty for packs compiled from documents.
  std::string source_digest;
};

// Resolves and type-checks `pack`, applying `overrides` (parameter name →
// value text from the config). Unknown override names and values of the
// wrong type are errors. Throws PackError listing every problem.
std::unique_ptr<CompiledPack> compile_pack(const PackDocument& pack,
                                           const std::map<std::string, std::string>& overrides);

// Which files of a pack folder read_pack() reads. Judging never uses a pack's
// test cases, and they change no firing, so it reads the rules only: a broken
// or unreadable tests/ file or folder cannot stop judging, and no time goes
// into parsing it. `sfmon rules check` and `rules test` read both, and report
// a broken tests file (file:line:column) as an invalid pack.
enum class PackParts {
  RulesOnly,      // folder/*.yaml
  RulesAndTests,  // folder/*.yaml and folder/tests/*.yaml (the test cases)
};

// Reads every *.yaml in `folder` (name order), and with RulesAndTests then
// `folder/tests/*.yaml`, or one file when `path` is a file, for each path in
// order. Collects the errors of every file read, then throws PackError (also
// for unreadable files and folders without rules). Used by load_pack(), and
// with RulesAndTests by the test runner, which compiles once per test case
// with that case's parameters.
PackDocument read_pack(const std::vector<std::string>& paths, PackParts parts);

// read_pack(paths, parts), then compile_pack(), and sets the result's
// source_digest (which `parts` does not change: tests do not feed it). Rules
// only by default: that is what judging loads.
std::unique_ptr<CompiledPack> load_pack(const std::vector<std::string>& paths,
                                        const std::map<std::string, std::string>& overrides,
                                        PackParts parts = PackParts::RulesOnly);

}  // namespace sfmon::rules
