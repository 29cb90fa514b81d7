// `sfmon alerts list`.
#include <ostream>

#include "sfmon/monitor/alert_output.h"
#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"

namespace sfmon {

const char* const kAlertsListHelp =
    R"(Usage: sfmon alerts list [--config FILE] [--status S] [--school ID] [--rule ID]
                         [--level L] [--from DATE] [--to DATE]
                         [--format table|json|csv]

Lists live alerts (never replay results), earliest first.
  --status   open | acknowledged | resolved | dismissed
  --level    blue | yellow | orange | red
  --from/--to  YYYY-MM-DD local days in the bureau's zone, both inclusive:
             alerts seen at any time in [from, to]
Times print as ISO 8601 in the bureau's zone. JSON is one array; each alert
has id, rule_id, rule_version, school_id, level, status, first_seen,
last_seen, count, message, evidence [{kind, id}], values and dedup_key.
)";

namespace {

AlertFilter filter_from(const CliArgs& args) {
  AlertFilter filter;
  if (const auto status = args.value("status")) {
    filter.status = alerts::alert_status_from_string(*status);
    if (!filter.status) {
      throw UsageError("--status must be open, acknowledged, resolved or dismissed, not '" +
                       *status + "'");
    }
  }
  if (const auto level = args.value("level")) {
    filter.level = rules::level_from_string(*level);
    if (!filter.level) {
      throw UsageError("--level must be blue, yellow, orange or red, not '" + *level + "'");
    }
  }
  filter.school_id = args.value("school");
  filter.rule_id = args.value("rule");
  filter.from = args.date("from");
  filter.to = args.date("to");
  if (filter.from && filter.to && *filter.to < *filter.from) {
    throw UsageError("--to " + filter.to->to_string() + " is before --from " +
                     filter.from->to_string());
  }
  return filter;
}

}  // namespace

int alerts_list_command(const CliArgs& args, std::ostream& out, std::ostream&) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  const AlertFilter filter = filter_from(args);
  const OutputFormat format = output_format_from_string(args.value("format").value_or("table"));

  // Alerts carry their school id: the registry is neither read nor synced.
  AppContext app = open_app(args.value("config"), RegistryUse::None);
  AlertStore store(*app.db);
  write_alerts(store.list(filter, app.config.zone), format, app.config.zone, out);
  return 0;
}

}  // namespace sfmon
