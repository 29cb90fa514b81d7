#include "sfmon/monitor/cli.h"

#include <functional>
#include <map>
#include <ostream>

#include "sfmon/connectors/registry_loader.h"
#include "sfmon/monitor/cli_args.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/diagnostic.h"

namespace sfmon {
namespace {

constexpr const char* kOverview = R"(sfmon — private school financial risk monitor

Usage: sfmon COMMAND [options]      (sfmon COMMAND --help for its options)

Commands:
  serve         the daemon: connectors on schedule, rules, HTTP API (foreground)
  tokens add|list  API bearer tokens (printed once, stored as hashes)
  run-once      one pull of every configured connector (files inboxes), then exit
  ingest        ad-hoc ingest of bank or fee files given on the command line
  records list  list stored bank and fee records, with filters
  alerts list   list live alerts, with filters
  alerts ack|resolve|dismiss|comment ID --by USER
                acknowledge, close or comment on an alert (kept in its history)
  alerts show   one alert with its evidence and history
  notify        one notification pass: escalate, build notices, send what is due
  deadletters list  deliveries that failed for good
  silence add|list  mute notifications about a school and rule until a time
  rules check   validate a rule pack (default: the bundled pack)
  rules test    run a rule pack's own test cases
  replay        re-evaluate stored history with a rule set (backtesting)
  help          this text

Exit codes: 0 success, 1 a check failed (e.g. a rejected file, an invalid
            rule pack, a failed pack test),
            2 usage or configuration error.
)";

struct Command {
  std::string name;  // "records list" for two-word commands
  std::string help;
  OptionSpec options;
  std::function<int(const CliArgs&, std::ostream&, std::ostream&)> run;
};

std::vector<Command> commands() {
  return {
      {"serve", kServeHelp, {{"config"}, {}, {}}, serve_command},
      {"tokens add", kTokensAddHelp, {{"config", "user", "role"}, {}, {}}, tokens_add_command},
      {"tokens list", kTokensListHelp, {{"config"}, {}, {}}, tokens_list_command},
      {"run-once", kRunOnceHelp, {{"config"}, {}, {}}, run_once_command},
      {"ingest", kIngestHelp, {{"config", "kind"}, {}, {}}, ingest_command},
      {"records list",
       kRecordsListHelp,
       {{"config", "kind", "school", "account", "from", "to", "format", "limit"}, {"flagged"}, {}},
       records_list_command},
      {"alerts list",
       kAlertsListHelp,
       {{"config", "status", "school", "rule", "level", "from", "to", "format"}, {}, {}},
       alerts_list_command},
      {"rules check", kRulesCheckHelp, {{}, {}, {}}, rules_check_command},
      {"rules test", kRulesTestHelp, {{}, {}, {}}, rules_test_command},
      {"replay", kReplayHelp, {{"config", "from", "to", "rules"}, {}, {"rules"}}, replay_command},
      {"alerts ack", kAlertsAckHelp, {{"config", "by", "comment"}, {}, {}}, alerts_ack_command},
      {"alerts resolve",
       kAlertsResolveHelp,
       {{"config", "by", "comment"}, {}, {}},
       alerts_resolve_command},
      {"alerts dismiss",
       kAlertsDismissHelp,
       {{"config", "by", "comment"}, {}, {}},
       alerts_dismiss_command},
      {"alerts comment",
       kAlertsCommentHelp,
       {{"config", "by", "comment"}, {}, {}},
       alerts_comment_command},
      {"alerts show", kAlertsShowHelp, {{"config", "format"}, {}, {}}, alerts_show_command},
      {"notify", kNotifyHelp, {{"config"}, {}, {}}, notify_command},
      {"deadletters list",
       kDeadLettersListHelp,
       {{"config", "format"}, {}, {}},
       deadletters_list_command},
      {"silence add",
       kSilenceAddHelp,
       {{"config", "school", "rule", "until", "reason", "by"}, {}, {}},
       silence_add_command},
      {"silence list",
       kSilenceListHelp,
       {{"config", "format"}, {"active"}, {}},
       silence_list_command},
  };
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    if (args.size() >= 2) {
      for (const Command& command : commands()) {
        if (command.name == args[1] || command.name.rfind(args[1] + " ", 0) == 0) {
          out << command.help;
          return 0;
        }
      }
    }
    out << kOverview;
    return args.empty() ? 2 : 0;
  }
  for (const Command& command : commands()) {
    const bool two_words = command.name.find(' ') != std::string::npos;
    const std::string given = two_words && args.size() >= 2 ? args[0] + " " + args[1] : args[0];
    if (given != command.name) continue;
    const std::vector<std::string> rest(args.begin() + (two_words ? 2 : 1), args.end());
    try {
      const CliArgs parsed(rest, command.options);
      if (parsed.help()) {
        out << command.help;
        return 0;
      }
      return command.run(parsed, out, err);
    } catch (const UsageError& e) {
      err << "sfmon " << command.name << ": " << e.what() << " (see sfmon " << command.name
          << " --help)\n";
      return 2;
    } catch (const ConfigError& e) {
      for (const std::string& problem : e.problems()) err << problem << '\n';
      return 2;
    } catch (const RegistryError& e) {
      for (const std::string& problem : e.problems()) err << problem << '\n';
      return 2;
    } catch (const rules::PackError& e) {
      for (const rules::Diagnostic& problem : e.errors()) err << problem.to_string() << '\n';
      return 2;
    } catch (const StoreError& e) {
      err << "sfmon " << command.name << ": database error: " << e.what() << '\n';
      return 2;
    }
  }
  err << "sfmon: unknown command '" << args[0] << "' (see sfmon help)\n";
  return 2;
}

}  // namespace sfmon
