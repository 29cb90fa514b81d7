#include "sfmon/monitor/pack_test_runner.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>

#include "sfmon/alerts/alert.h"
#include "sfmon/connectors/bank_csv_parser.h"
#include "sfmon/connectors/fee_file_parser.h"
#include "sfmon/connectors/record_normaliser.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/model/input_error.h"
#include "sfmon/rules/evaluator.h"
#include "sfmon/rules/fact_builder.h"

namespace sfmon {
namespace {

using rules::TestCaseDoc;
using Row = std::map<std::string, std::string>;

// Something in a case that stops it from running; the case fails with it.
class CaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Decisions where docs/rules.md is silent:
// - a row column sfmon does not know is an error, not ignored as real input
//   files' extra columns are: a misspelt column in a test would otherwise
//   make a near miss pass for the wrong reason;
// - a bank row without `currency` is CNY (the docs' examples leave it out);
// - a bank, balance or fee row of an account or school that is not in the
//   case's registry is an error, for the same reason as misspelt columns.
constexpr std::array<std::string_view, 3> kBalanceFields = {"account", "date", "amount"};

template <typename Names>
void check_columns(const std::vector<Row>& rows, const Names& known, const std::string& table) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& [name, value] : rows[i]) {
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string list;
      for (const std::string_view column : known)
        list += (list.empty() ? "" : ", ") + std::string(column);
      throw CaseError(table + " row " + std::to_string(i + 1) + ": unknown column '" + name +
                      "' (known: " + list + ")");
    }
  }
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// The rows as a bank CSV (formats.md): a header of every column any row
// uses, plus txn_id and currency, which the parser requires as columns.
std::string bank_csv_text(const std::vector<Row>& rows) {
  std::set<std::string> columns = {"txn_id", "currency"};
  for (const Row& row : rows) {
    for (const auto& [name, value] : row) columns.insert(name);
  }
  std::string text;
  for (const std::string& column : columns) text += (text.empty() ? "" : ",") + csv_cell(column);
  text += '\n';
  for (const Row& row : rows) {
    std::string line;
    bool first = true;
    for (const std::string& column : columns) {
      const auto it = row.find(column);
      std::string value = it != row.end() ? it->second : std::string();
      if (column == "currency" && it == row.end()) value = "CNY";
      if (!first) line += ',';
      line += csv_cell(value);
      first = false;
    }
    text += line + '\n';
  }
  return text;
}

// An input error without its file (the case names it). Bank errors name
// "line N" of the CSV made from the rows; a test author knows row N - 1 of `bank:`.
std::string input_error_text(const InputError& error, bool bank_csv) {
  std::string where = error.location();
  if (bank_csv && where.rfind("line ", 0) == 0) {
    try {
      where = "bank row " + std::to_string(std::stoi(where.substr(5)) - 1);
    } catch (const std::logic_error&) {
      // Not a line number after all: keep the parser's wording.
    }
  }
  std::string text = where.empty() ? error.message() : where + ": " + error.message();
  if (!error.value().empty()) text += " (value '" + error.value() + "')";
  return text;
}

struct CaseData {
  Registry registry;
  std::vector<BankRecord> bank;
  std::vector<FeeRecord> fees;
  std::vector<rules::StoredBalance> balances;
  std::vector<rules::ListedParty> listed;
};

Registry case_registry(const TestCaseDoc& test, const std::string& source, FileSystem& files) {
  if (!test.registry_file) return load_registry(test.registry_yaml, source + "/schools");
  const std::string path =
      (std::filesystem::path(test.where.file).parent_path() / *test.registry_file)
          .lexically_normal()
          .generic_string();
  std::string text;
  try {
    text = files.read_file(path);
  } catch (const std::runtime_error& error) {
    throw CaseError("registry: " + std::string(error.what()));
  }
  return load_registry(text, path);
}

std::vector<BankRecord> case_bank(const TestCaseDoc& test, const std::string& source,
                                  const Registry& registry, const Zone& zone) {
  if (test.bank.empty()) return {};
  check_columns(test.bank, bank_csv_columns(), "bank");
  BankFile file;
  try {
    file = parse_bank_csv(bank_csv_text(test.bank), source, zone);
  } catch (const InputError& error) {
    throw CaseError(input_error_text(error, true));
  }
  normalise_bank_file(file, registry, {});
  std::vector<BankRecord> records;
  for (BankStatement& statement : file.statements) {
    for (BankRecord& record : statement.records) {
      if (registry.find_account_owner(record.account) == nullptr) {
        throw CaseError("bank row with txn_id '" + record.bank_ref + "': account '" +
                        record.account + "' is not an account of a school in the case's registry");
      }
      records.push_back(std::move(record));
    }
  }
  return records;
}

std::vector<FeeRecord> case_fees(const TestCaseDoc& test, const std::string& source,
                                 const Registry& registry, const Zone& zone) {
  check_columns(test.fees, fee_field_names(), "fees");
  std::vector<FeeRecord> fees;
  for (std::size_t i = 0; i < test.fees.size(); ++i) {
    const std::string location = "fees row " + std::to_string(i + 1);
    FeeRecord fee;
    try {
      fee = decode_fee_fields(test.fees[i], source, location, zone);
    } catch (const InputError& error) {
      throw CaseError(input_error_text(error, false));
    }
    if (registry.find_school(fee.school_id) == nullptr) {
      throw CaseError(location + ": school '" + fee.school_id + "' is not in the case's registry");
    }
    fees.push_back(std::move(fee));
  }
  return fees;
}

std::vector<rules::StoredBalance> case_balances(const TestCaseDoc& test, const Registry& registry) {
  check_columns(test.balances, kBalanceFields, "balances");
  std::vector<rules::StoredBalance> balances;
  for (std::size_t i = 0; i < test.balances.size(); ++i) {
    const Row& row = test.balances[i];
    const std::string location = "balances row " + std::to_string(i + 1);
    const auto field = [&](const std::string& name) {
      const auto it = row.find(name);
      if (it == row.end() || it->second.empty()) {
        throw CaseError(location + ": '" + name + "' is required");
      }
      return it->second;
    };
    rules::StoredBalance balance;
    balance.account = field("account");
    if (registry.find_account_owner(balance.account) == nullptr) {
      throw CaseError(location + ": account '" + balance.account +
                      "' is not an account of a school in the case's registry");
    }
    const auto date = parse_iso_date(field("date"));
    if (!date)
      throw CaseError(location + ": 'date' must be YYYY-MM-DD, not '" + field("date") + "'");
    balance.date = *date;
    std::string why;
    const auto fen = parse_amount(field("amount"), AmountSyntax{}, &why);
    if (!fen)
      throw CaseError(location + ": 'amount' " + why + " (value '" + field("amount") + "')");
    balance.closing_fen = *fen;
    balances.push_back(std::move(balance));
  }
  return balances;
}

std::vector<rules::Firing> evaluate(const rules::CompiledPack& pack, const CaseData& data,
                                    const Zone& zone) {
  const std::vector<rules::ListedParty>& listed = data.listed;
  std::vector<rules::Firing> firings;
  for (const School& school : data.registry.schools) {
    rules::FactInputs inputs;
    for (const BankRecord& record : data.bank) {
      if (data.registry.find_account_owner(record.account) == &school)
        inputs.bank.push_back(record);
    }
    for (const FeeRecord& fee : data.fees) {
      if (fee.school_id == school.id) inputs.fees.push_back(fee);
    }
    for (const rules::StoredBalance& balance : data.balances) {
      if (data.registry.find_account_owner(balance.account) == &school) {
        inputs.balances.push_back(balance);
      }
    }
    const rules::SchoolFacts facts = rules::build_school_facts(school, inputs, listed, zone);
    std::vector<rules::Firing> school_firings = rules::evaluate_school(pack, facts);
    firings.insert(firings.end(), std::make_move_iterator(school_firings.begin()),
                   std::make_move_iterator(school_firings.end()));
  }
  return firings;
}

// Firings grouped into alerts as the alert store groups them.
std::vector<alerts::Alert> merge_like_alerts(std::vector<rules::Firing> firings) {
  return alerts::group_firings(std::move(firings));
}

bool matches(const TestCaseDoc::Expectation& expected, const alerts::Alert& alert) {
  if (expected.rule != alert.rule_id || expected.school != alert.school_id) return false;
  if (expected.level && *expected.level != rules::to_string(alert.level)) return false;
  if (expected.evidence.empty()) return true;
  std::set<std::string> got;
  for (const rules::EvidenceRef& ref : alert.evidence) got.insert(ref.id);
  return std::set<std::string>(expected.evidence.begin(), expected.evidence.end()) == got;
}

// Kuhn's augmenting paths: expectations may be partly wildcards, so a greedy
// pairing could miss a one-to-one match that exists.
bool augment(std::size_t e, const std::vector<std::vector<std::size_t>>& candidates,
             std::vector<std::optional<std::size_t>>& expectation_of_alert,
             std::vector<bool>& visited) {
  for (const std::size_t a : candidates[e]) {
    if (visited[a]) continue;
    visited[a] = true;
    if (!expectation_of_alert[a] ||
        augment(*expectation_of_alert[a], candidates, expectation_of_alert, visited)) {
      expectation_of_alert[a] = e;
      return true;
    }
  }
  return false;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + items[i];
  return text + "]";
}

std::string describe(const TestCaseDoc::Expectation& expected) {
  std::string text = "{rule: " + expected.rule + ", school: " + expected.school;
  if (expected.level) text += ", level: " + *expected.level;
  if (!expected.evidence.empty()) text += ", evidence: " + list_text(expected.evidence);
  return text + "}";
}

std::string describe(const alerts::Alert& alert) {
  std::vector<std::string> ids;
  for (const rules::EvidenceRef& ref : alert.evidence) ids.push_back(ref.id);
  return "{rule: " + alert.rule_id + ", school: " + alert.school_id +
         ", level: " + rules::to_string(alert.level) + ", evidence: " + list_text(ids) + "}";
}

template <typename T>
std::string describe_all(const std::vector<T>& items) {
  if (items.empty()) return "nothing";
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? "; " : "") + describe(items[i]);
  return text + "]";
}

// Empty when `got` is exactly `expect`; else why not.
std::string judge(const std::vector<TestCaseDoc::Expectation>& expect,
                  const std::vector<alerts::Alert>& got) {
  std::vector<std::vector<std::size_t>> candidates(expect.size());
  for (std::size_t e = 0; e < expect.size(); ++e) {
    for (std::size_t a = 0; a < got.size(); ++a) {
      if (matches(expect[e], got[a])) candidates[e].push_back(a);
    }
  }
  std::vector<std::optional<std::size_t>> expectation_of_alert(got.size());
  std::size_t matched = 0;
  for (std::size_t e = 0; e < expect.size(); ++e) {
    std::vector<bool> visited(got.size(), false);
    if (augment(e, candidates, expectation_of_alert, visited)) ++matched;
  }
  if (matched == expect.size() && matched == got.size()) return {};
  std::string text = "expected " + describe_all(expect) + ", got " + describe_all(got);
  if (matched > 0) {
    std::vector<bool> expectation_matched(expect.size(), false);
    std::vector<alerts::Alert> unexpected;
    for (std::size_t a = 0; a < got.size(); ++a) {
      if (expectation_of_alert[a]) {
        expectation_matched[*expectation_of_alert[a]] = true;
      } else {
        unexpected.push_back(got[a]);
      }
    }
    std::vector<TestCaseDoc::Expectation> missing;
    for (std::size_t e = 0; e < expect.size(); ++e) {
      if (!expectation_matched[e]) missing.push_back(expect[e]);
    }
    text += " (missing " + describe_all(missing) + ", unexpected " + describe_all(unexpected) + ")";
  }
  return text;
}

std::vector<std::string> judged_rules(const TestCaseDoc& test) {
  std::vector<std::string> judged = test.rules;
  if (judged.empty()) {
    for (const auto& expected : test.expect) {
      if (std::find(judged.begin(), judged.end(), expected.rule) == judged.end()) {
        judged.push_back(expected.rule);
      }
    }
  }
  return judged;
}

std::string pack_error_text(const rules::PackError& error) {
  std::string text;
  for (const rules::Diagnostic& problem : error.errors()) {
    text += (text.empty() ? "" : "; ") + problem.to_string();
  }
  return text;
}

// Runs one case; returns why it failed, empty when it passed.
std::string run_case(const TestCaseDoc& test, const std::vector<std::string>& judged,
                     const rules::PackDocument& pack, const rules::CompiledPack& base,
                     FileSystem& files, const Zone& zone) {
  for (const std::string& rule : judged) {
    const bool known = std::any_of(pack.rules.begin(), pack.rules.end(),
                                   [&](const rules::RuleDoc& doc) { return doc.id == rule; });
    if (!known) return "unknown rule '" + rule + "' (not in the pack)";
  }
  for (const auto& expected : test.expect) {
    if (std::find(judged.begin(), judged.end(), expected.rule) == judged.end()) {
      return "expect names rule '" + expected.rule + "', which 'rules' does not judge";
    }
  }
  const std::string source = test.where.file + "#" + test.name;
  std::vector<rules::Firing> firings;
  try {
    CaseData data;
    data.registry = case_registry(test, source, files);
    data.bank = case_bank(test, source, data.registry, zone);
    data.fees = case_fees(test, source, data.registry, zone);
    data.balances = case_balances(test, data.registry);
    for (const auto& row : test.watchlist) {
      const auto field = [&](const char* name) {
        const auto it = row.find(name);
        return it == row.end() ? std::string() : it->second;
      };
      for (const auto& [column, value] : row) {
        if (column != "name" && column != "account" && column != "reason") {
          throw CaseError("watchlist: unknown column '" + column +
                          "' (expected name, account, reason)");
        }
      }
      data.listed.push_back(rules::ListedParty{field("name"), field("account"), field("reason")});
    }
    std::unique_ptr<rules::CompiledPack> own;
    if (!test.parameters.empty()) own = rules::compile_pack(pack, test.parameters);
    firings = evaluate(own ? *own : base, data, zone);
  } catch (const CaseError& error) {
    return source + ": " + error.what();
  } catch (const RegistryError& error) {
    std::string text;
    for (const std::string& problem : error.problems())
      text += (text.empty() ? "" : "; ") + problem;
    return "registry: " + text;
  } catch (const rules::PackError& error) {
    return "parameters: " + pack_error_text(error);
  }
  std::vector<rules::Firing> judged_firings;
  for (rules::Firing& firing : firings) {
    if (std::find(judged.begin(), judged.end(), firing.rule_id) != judged.end()) {
      judged_firings.push_back(std::move(firing));
    }
  }
  return judge(test.expect, merge_like_alerts(std::move(judged_firings)));
}

std::string count_text(int count, const std::string& what) {
  return std::to_string(count) + " " + what + (count == 1 ? "" : "s");
}

}  // namespace

int PackTestReport::passed() const {
  return static_cast<int>(
      std::count_if(cases.begin(), cases.end(), [](const PackTestOutcome& c) { return c.passed; }));
}

int PackTestReport::failed() const {
  return static_cast<int>(cases.size()) - passed();
}

PackTestReport run_pack_tests(const rules::PackDocument& pack, const rules::CompiledPack& base,
                              FileSystem& files, const Zone& zone) {
  PackTestReport report;
  for (const rules::RuleDoc& rule : pack.rules) report.per_rule[rule.id];
  for (const TestCaseDoc& test : pack.tests) {
    const std::vector<std::string> judged = judged_rules(test);
    for (const std::string& rule : judged) {
      const auto it = report.per_rule.find(rule);
      if (it == report.per_rule.end()) continue;
      const bool fires = std::any_of(test.expect.begin(), test.expect.end(),
                                     [&](const auto& expected) { return expected.rule == rule; });
      ++(fires ? it->second.firing_cases : it->second.near_miss_cases);
    }
    PackTestOutcome outcome;
    outcome.name = test.name;
    outcome.where = test.where;
    outcome.failure = run_case(test, judged, pack, base, files, zone);
    outcome.passed = outcome.failure.empty();
    report.cases.push_back(std::move(outcome));
  }
  return report;
}

void write_pack_test_report(const PackTestReport& report, std::ostream& out) {
  for (const PackTestOutcome& outcome : report.cases) {
    if (outcome.passed) {
      out << "PASS " << outcome.name << '\n';
    } else {
      out << "FAIL " << outcome.name << ": " << outcome.failure << '\n';
    }
  }
  for (const auto& [rule, count] : report.per_rule) {
    out << "rule " << rule << ": " << count_text(count.firing_cases, "firing case") << ", "
        << count_text(count.near_miss_cases, "near-miss case");
    if (count.firing_cases == 0) out << " (never shown to fire)";
    out << '\n';
  }
  out << report.passed() << " passed, " << report.failed() << " failed\n";
}

}  // namespace sfmon
