#pragma once
// `sfmon rules test`: runs a pack's own test cases (docs/rules.md "Tests")
// in memory, with no database and no config. Each case's rows go through the
// real input path — bank rows become a bank CSV for parse_bank_csv and the
// normaliser, fee rows go through decode_fee_fields, the registry through
// load_registry — then facts are built and the pack evaluated per school,
// exactly as the daemon would, so a passing case says something about sfmon
// and not about a test double.
//
// Judging a case: firings of the judged rules (the case's `rules`, else the
// rules named in `expect`) are merged like alerts (same rule and dedup key
// within the grouping window), and the merged alerts must match `expect`
// one to one. An expectation matches an alert with the same rule and school,
// the same level when it gives one, and exactly the same evidence ids when it
// gives any. Two identical expectations need two alerts.

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "sfmon/connectors/file_system.h"
#include "sfmon/model/time.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon {

struct PackTestOutcome {
  std::string name;
  rules::SourceRef where;  // the case in its tests file
  bool passed = false;
  // Why it failed, one line: "expected [...], got [...]", or what stopped the
  // case from running (a bad row, registry or parameter), with its place.
  std::string failure;
};

// How well a rule is tested.
struct RuleTestCount {
  int firing_cases = 0;     // cases that expect the rule to fire
  int near_miss_cases = 0;  // cases that judge the rule and expect it not to fire
};

struct PackTestReport {
  std::vector<PackTestOutcome> cases;  // in the pack's order
  // Every rule of the pack (also untested ones, with zero counts).
  std::map<std::string, RuleTestCount> per_rule;

  int passed() const;
  int failed() const;
};

// Runs every case of `pack`. `base` is `pack` compiled without overrides;
// cases without `parameters` reuse it, the others compile their own.
// Registry files are read through `files`, relative to the folder of the
// tests file that names them. `zone` decides local days, as the config does.
PackTestReport run_pack_tests(const rules::PackDocument& pack, const rules::CompiledPack& base,
                              FileSystem& files, const Zone& zone = {});

// One "PASS name" / "FAIL name: why" line per case, one line per rule with
// its firing and near-miss case counts, then "N passed, M failed".
void write_pack_test_report(const PackTestReport& report, std::ostream& out);

}  // namespace sfmon
