// `sfmon notify` and `sfmon deadletters list`.
#include <ostream>

#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/delivery_store.h"
#include "sfmon/monitor/notifier.h"
#include "sfmon/monitor/record_output.h"
#include "sfmon/monitor/status_json.h"

namespace sfmon {

const char* const kNotifyHelp =
    R"(Usage: sfmon notify [--config FILE]

One notification pass, as the daemon runs on its schedule:
  1. escalates open alerts not acknowledged within their level's time
     (config `escalation`): the level is raised, and a red alert notifies the
     next recipient of its routes' `escalate` lists;
  2. builds each school's early-warning notice (预警通知) of its unresolved
     alerts and stores it when something changed since the school's last
     notice, queueing it for every channel its routes name;
  3. sends every queued delivery that is due, once; a failure is retried by a
     later pass after an exponential backoff (config `notifications.retry`)
     and, when attempts run out, kept in the dead letters.
Silences (sfmon silence) leave their alerts out of notices and escalations'
notifications. Failed attempts are printed to stderr, one line each.
Exit 0 when the pass ran (failures will be retried), 1 when a delivery went to
the dead letters in this pass, 2 on usage or configuration errors.
)";

const char* const kDeadLettersListHelp =
    R"(Usage: sfmon deadletters list [--config FILE] [--format table|json|csv]

Deliveries that failed for good: channel, recipient, attempts, the last error
and (JSON only) the payload that was not delivered. Newest first.
)";

namespace {

void print_summary(const NotifySummary& summary, std::ostream& out) {
  out << "escalations: " << summary.escalations.size();
  for (const EscalationStep& step : summary.escalations) {
    out << (&step == &summary.escalations.front() ? " (" : "; ") << "alert " << step.alert_id
        << " ";
    if (step.notified.empty()) {
      out << rules::to_string(step.from_level) << " -> " << rules::to_string(step.to_level);
    } else {
      out << "red, notified " << step.notified;
    }
  }
  if (!summary.escalations.empty()) out << ")";
  out << "\nnotices: " << summary.notices_created << " new, " << summary.notices_unchanged
      << " unchanged; " << summary.muted_alerts << " alerts muted by silences\n";
  out << "deliveries: " << summary.queued << " queued, " << summary.sent << " sent, "
      << summary.retrying << " to retry, " << summary.dead << " dead\n";
}

}  // namespace

int notify_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  AppContext app = open_app(args.value("config"));
  load_rules(app);
  const NotifySummary summary = run_notifications(app);
  for (const std::string& failure : summary.failures) err << "sfmon notify: " << failure << '\n';
  print_summary(summary, out);
  return summary.dead > 0 ? 1 : 0;
}

int deadletters_list_command(const CliArgs& args, std::ostream& out, std::ostream&) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  const OutputFormat format = output_format_from_string(args.value("format").value_or("table"));
  AppContext app = open_app(args.value("config"));
  const std::vector<DeadLetter> letters = DeliveryStore(*app.db).dead_letters();
  const Zone& zone = app.config.zone;
  if (format == OutputFormat::Json) {
    dead_letters_json(letters, zone).stringify(out);
    out << '\n';
    return 0;
  }
  const std::vector<std::string> header = {"id",       "delivery_id", "channel", "recipient",
                                           "attempts", "created_at",  "error"};
  std::vector<std::vector<std::string>> rows;
  rows.reserve(letters.size());
  for (const DeadLetter& letter : letters) {
    rows.push_back({std::to_string(letter.id), std::to_string(letter.delivery_id), letter.channel,
                    letter.recipient, std::to_string(letter.attempts),
                    local_time_text(letter.created_at, zone), letter.error});
  }
  if (format == OutputFormat::Csv) {
    write_csv(header, rows, out);
  } else {
    write_table(header, rows, out);
  }
  return 0;
}

}  // namespace sfmon
