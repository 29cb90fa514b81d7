// `sfmon serve`: see daemon.h.
#include <iostream>
#include <ostream>

#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/daemon.h"

namespace sfmon {

const char* const kServeHelp = R"(Usage: sfmon serve [--config FILE]

The daemon, in the foreground: pulls every connector at its interval (files
inboxes and fee-http sources; a failing source backs off exponentially while
the others carry on), evaluates the rules as records land, and serves the
API on api.listen (default 127.0.0.1:8080): /healthz, /readyz, /metrics,
/api/v1/alerts, POST /api/v1/alerts/ID/ack|resolve|dismiss|comment and
POST /api/v1/admin/reload (bearer tokens: sfmon tokens add).
Log lines go to stderr.

Signals: SIGHUP reloads config, registry and rules (a broken one is rejected,
  logged and shown in /readyz; the daemon keeps what it had);
  SIGTERM / SIGINT finish and commit the batch in hand, then exit 0.
Exit: 0 after a clean shutdown; 2 usage or configuration error (including
      a broken rule pack or an address it cannot listen on at startup).
)";

int serve_command(const CliArgs& args, std::ostream& /*out*/, std::ostream& err) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  Daemon daemon(args.value("config"), err);
  // No options reach Poco's parser: ours are already parsed.
  return daemon.run(std::vector<std::string>{"sfmon"});
}

}  // namespace sfmon
