// `sfmon silence add` and `sfmon silence list`.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <ostream>

#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/record_output.h"
#include "sfmon/monitor/silence_store.h"

namespace sfmon {

const char* const kSilenceAddHelp =
    R"(Usage: sfmon silence add --school ID|* --rule ID|* --until DATETIME
                         --reason TEXT --by USER [--config FILE]

Mutes notifications (never alerts) about a school and a rule from now until
DATETIME: their alerts are left out of early-warning notices and of
escalation notifications. '*' stands for every school or every rule (quote
it in the shell). Alerts are still raised, listed and escalated in level.
  --until  YYYY-MM-DDTHH:MM[:SS][±HH:MM]; without an offset, the bureau's
           zone; a date alone means until the end of that local day.
)";

const char* const kSilenceListHelp =
    R"(Usage: sfmon silence list [--config FILE] [--active] [--format table|json|csv]

Every silence, newest first, with its state (active, ended); --active shows
only those muting now.
)";

namespace {

std::string required(const CliArgs& args, const std::string& name, const std::string& what) {
  const auto value = args.value(name);
  if (!value || value->empty()) throw UsageError("--" + name + " " + what + " is required");
  return *value;
}

std::int64_t until_option(const std::string& text, const Zone& zone) {
  const auto instant = parse_iso_instant(text, zone);
  if (!instant) {
    throw UsageError("--until must be a date or date-time like 2024-10-31T18:00, not '" + text +
                     "'");
  }
  // A date alone mutes through the end of that day.
  return instant->date_only ? instant->utc_seconds + 86400 : instant->utc_seconds;
}

}  // namespace

int silence_add_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  const std::string school = required(args, "school", "ID|*");
  const std::string rule = required(args, "rule", "ID|*");
  const std::string until = required(args, "until", "DATETIME");
  const std::string reason = required(args, "reason", "TEXT");
  const std::string by = required(args, "by", "USER");
  AppContext app = open_app(args.value("config"));
  const Zone& zone = app.config.zone;
  try {
    const Silence silence =
        SilenceStore(*app.db).add(school, rule, until_option(until, zone), reason, by);
    out << "silence " << silence.id << ": notifications about school " << silence.school_id
        << ", rule " << silence.rule_id << " muted until " << local_time_text(silence.ends_at, zone)
        << " by " << silence.author << " (" << silence.reason << ")\n";
    return 0;
  } catch (const SilenceError& e) {
    err << "sfmon silence add: " << e.what() << '\n';
    return 2;
  }
}

int silence_list_command(const CliArgs& args, std::ostream& out, std::ostream&) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  const OutputFormat format = output_format_from_string(args.value("format").value_or("table"));
  AppContext app = open_app(args.value("config"));
  const Zone& zone = app.config.zone;
  SilenceStore store(*app.db);
  const std::vector<Silence> silences = store.list(args.flag("active"));
  const std::int64_t now = utc_now({});
  const auto state = [&](const Silence& silence) {
    return silence.active_at(now) ? "active" : now < silence.starts_at ? "pending" : "ended";
  };
  if (format == OutputFormat::Json) {
    Poco::JSON::Array array;
    for (const Silence& silence : silences) {
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("id", silence.id);
      item.set("school_id", silence.school_id);
      item.set("rule_id", silence.rule_id);
      item.set("starts_at", local_time_text(silence.starts_at, zone));
      item.set("ends_at", local_time_text(silence.ends_at, zone));
      item.set("state", std::string(state(silence)));
      item.set("author", silence.author);
      item.set("reason", silence.reason);
      array.add(item);
    }
    array.stringify(out);
    out << '\n';
    return 0;
  }
  const std::vector<std::string> header = {"id",      "school", "rule",   "starts_at",
                                           "ends_at", "state",  "author", "reason"};
  std::vector<std::vector<std::string>> rows;
  rows.reserve(silences.size());
  for (const Silence& silence : silences) {
    rows.push_back({std::to_string(silence.id), silence.school_id, silence.rule_id,
                    local_time_text(silence.starts_at, zone),
                    local_time_text(silence.ends_at, zone), state(silence), silence.author,
                    silence.reason});
  }
  if (format == OutputFormat::Csv) {
    write_csv(header, rows, out);
  } else {
    write_table(header, rows, out);
  }
  return 0;
}

}  // namespace sfmon
