// `sfmon rules check` and `sfmon rules test`: a rule pack on its own, with no
// config and no database, so a rule author can work on a laptop.
#include <ostream>
#include <stdexcept>

#include "sfmon/connectors/file_system.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/data_paths.h"
#include "sfmon/monitor/pack_test_runner.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon {

const char* const kRulesCheckHelp = R"(Usage: sfmon rules check [DIR|FILE...]

Reads and compiles a rule pack: every *.yaml of each DIR (name order) and its
tests/*.yaml, or each FILE. Without arguments: the default pack bundled with
sfmon. Needs no config and no database; parameters keep their defaults.
Prints warnings, then "N rules, M lists, K macros, P parameters: OK"; an
invalid pack prints every problem as "file:line:column: message" on stderr.

Exit: 0 the pack is valid; 1 it is not; 2 usage error.
)";

const char* const kRulesTestHelp = R"(Usage: sfmon rules test [DIR...]

Runs the pack's own test cases (DIR/tests/*.yaml; see docs/rules.md "Tests")
in memory: no config, no database. Without arguments: the default pack
bundled with sfmon. Each case's rows are read like real input, the pack is
evaluated per school, and the firings of the rules the case judges, merged
like alerts, must be exactly its `expect`. Prints "PASS name" or
"FAIL name: expected ..., got ...", then per rule how many cases show it
firing and how many are near misses, then "N passed, M failed".

Exit: 0 every case passed; 1 a case failed or the pack is invalid;
      2 usage error.
)";

namespace {

std::vector<std::string> pack_paths(const CliArgs& args) {
  if (!args.positional().empty()) return args.positional();
  try {
    return {default_rule_pack_dir()};
  } catch (const std::runtime_error& error) {
    throw ConfigError({error.what()});
  }
}

void print_warnings(const std::vector<rules::Diagnostic>& warnings, std::ostream& err) {
  for (const rules::Diagnostic& warning : warnings)
    err << "warning: " << warning.to_string() << '\n';
}

void print_errors(const rules::PackError& error, std::ostream& err) {
  for (const rules::Diagnostic& problem : error.errors()) err << problem.to_string() << '\n';
}

std::string count_text(std::size_t count, const std::string& singular, const std::string& plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

}  // namespace

int rules_check_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> paths = pack_paths(args);
  std::unique_ptr<rules::CompiledPack> pack;
  try {
    pack = rules::load_pack(paths, {}, rules::PackParts::RulesAndTests);
  } catch (const rules::PackError& error) {
    print_errors(error, err);
    return 1;
  }
  print_warnings(pack->warnings, err);
  out << count_text(pack->rules.size(), "rule", "rules") << ", "
      << count_text(pack->lists.size(), "list", "lists") << ", "
      << count_text(pack->macros.size(), "macro", "macros") << ", "
      << count_text(pack->param_symbols.size(), "parameter", "parameters") << ": OK\n";
  return 0;
}

int rules_test_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> paths = pack_paths(args);
  rules::PackDocument document;
  std::unique_ptr<rules::CompiledPack> base;
  try {
    document = rules::read_pack(paths, rules::PackParts::RulesAndTests);
    base = rules::compile_pack(document, {});
  } catch (const rules::PackError& error) {
    print_errors(error, err);
    return 1;
  }
  print_warnings(base->warnings, err);
  if (document.tests.empty()) err << "warning: the pack has no test cases (tests/*.yaml)\n";
  LocalFileSystem files;
  const PackTestReport report = run_pack_tests(document, *base, files, Zone{});
  write_pack_test_report(report, out);
  return report.failed() == 0 ? 0 : 1;
}

}  // namespace sfmon
