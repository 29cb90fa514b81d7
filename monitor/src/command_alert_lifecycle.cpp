// `sfmon alerts ack|resolve|dismiss|comment ID` and `sfmon alerts show ID`.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <ostream>
#include <sstream>

#include "sfmon/alerts/alert_lifecycle.h"
#include "sfmon/model/money.h"
#include "sfmon/monitor/alert_lifecycle_store.h"
#include "sfmon/monitor/alert_lookup.h"
#include "sfmon/monitor/alert_output.h"
#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"

namespace sfmon {

const char* const kAlertsAckHelp =
    R"(Usage: sfmon alerts ack ID --by USER [--comment TEXT] [--config FILE]

Acknowledges an open live alert: someone is looking at it. Stops its
escalation. The change is kept in the alert's history with who and when.
Exit 1 when the alert is not open (the reason is printed), 2 on usage errors.
)";

const char* const kAlertsResolveHelp =
    R"(Usage: sfmon alerts resolve ID --by USER --comment TEXT [--config FILE]

Closes an open or acknowledged alert as dealt with; the comment says how.
Exit 1 when the alert is already resolved or dismissed, 2 on usage errors.
)";

const char* const kAlertsDismissHelp =
    R"(Usage: sfmon alerts dismiss ID --by USER --comment TEXT [--config FILE]

Closes an open or acknowledged alert as not a problem; the comment says why.
Exit 1 when the alert is already resolved or dismissed, 2 on usage errors.
)";

const char* const kAlertsCommentHelp =
    R"(Usage: sfmon alerts comment ID --by USER --comment TEXT [--config FILE]

Adds a comment to an alert in any state; its status does not change.
)";

const char* const kAlertsShowHelp =
    R"(Usage: sfmon alerts show ID [--config FILE] [--format text|json]

Shows one alert: its rule, school, level, status, times, message and values,
the evidence (record ids, and for stored bank and fee records their time,
amount, counterparty or fee and source), and its history (every
acknowledgement, resolution, dismissal, comment and escalation with who and
when). Times are ISO 8601 in the bureau's zone.
)";

namespace {

std::int64_t alert_id_argument(const CliArgs& args) {
  if (args.positional().size() != 1) {
    throw UsageError(args.positional().empty()
                         ? "missing the alert ID"
                         : "unexpected argument '" + args.positional()[1] + "'");
  }
  const std::string& text = args.positional()[0];
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw UsageError("the alert ID must be a number, not '" + text + "'");
  }
  return std::stoll(text);
}

int lifecycle_command(alerts::AlertAction action, const CliArgs& args, std::ostream& out,
                      std::ostream& err) {
  const std::string command =
      std::string("sfmon alerts ") +
      (action == alerts::AlertAction::Acknowledge ? "ack" : alerts::to_string(action));
  const std::int64_t alert_id = alert_id_argument(args);
  const auto user = args.value("by");
  if (!user || user->empty()) throw UsageError("--by USER is required (who does this)");
  const std::string comment = args.value("comment").value_or("");
  AppContext app = open_app(args.value("config"));
  AlertLifecycleStore store(*app.db);
  try {
    const AlertEvent event = store.apply(alert_id, action, *user, comment);
    out << "alert " << alert_id << ": ";
    if (event.from != event.to) {
      out << alerts::to_string(*event.from) << " -> " << alerts::to_string(*event.to);
    } else {
      out << "comment added (" << alerts::to_string(*event.to) << ")";
    }
    out << " by " << event.actor << " at " << local_time_text(event.at, app.config.zone) << '\n';
    return 0;
  } catch (const alerts::LifecycleError& e) {
    err << command << ": " << e.what() << '\n';
    return 1;
  } catch (const AlertNotActionable& e) {
    err << command << ": " << e.what() << '\n';
    return 1;
  }
}

std::string event_line(const AlertEvent& event, const Zone& zone) {
  std::string line = local_time_text(event.at, zone) + "  " + event.actor + "  " + event.action;
  if (event.from && event.to && *event.from != *event.to) {
    line +=
        std::string("  ") + alerts::to_string(*event.from) + " -> " + alerts::to_string(*event.to);
  }
  if (!event.comment.empty()) line += "  \"" + event.comment + "\"";
  return line;
}

void show_text(const StoredAlert& stored, const std::vector<EvidenceDetail>& details,
               const std::vector<AlertEvent>& history, const AppContext& app, std::ostream& out) {
  const alerts::Alert& alert = stored.alert;
  const Zone& zone = app.config.zone;
  out << "alert " << alert.id << "  " << alert.rule_id << " v" << alert.rule_version << "  "
      << rules::to_string(alert.level) << "  " << alerts::to_string(alert.status);
  if (stored.withdrawn) out << "  (withdrawn)";
  if (stored.result_set != "live") out << "  (" << stored.result_set << ")";
  out << "\n";
  out << "school:      " << alert.school_id;
  if (const School* school = app.registry.find_school(alert.school_id)) {
    out << "  " << school->name;
    if (!school->district.empty()) out << "  " << school->district;
  }
  out << "\n";
  out << "dedup key:   " << alert.dedup_key << "\n";
  out << "first seen:  " << local_time_text(alert.first_seen, zone) << "\n";
  out << "last seen:   " << local_time_text(alert.last_seen, zone) << "\n";
  out << "count:       " << alert.count << "\n";
  out << "raised at:   " << local_time_text(stored.created_at, zone) << "\n";
  out << "message:     " << alert.message << "\n";
  for (const auto& [name, value] : alert.values)
    out << "value:       " << name << " = " << value << "\n";
  out << "evidence:\n";
  for (const rules::EvidenceRef& ref : alert.evidence) {
    out << "  " << ref.kind << ":" << ref.id;
    for (const EvidenceDetail& detail : details) {
      if (detail.kind != ref.kind || detail.id != ref.id) continue;
      out << "  " << Instant{detail.time_utc, detail.offset_minutes, false}.to_string() << "  "
          << format_amount(detail.amount_fen) << " " << detail.currency;
      if (!detail.description.empty()) out << "  " << detail.description;
      out << "  (" << detail.source << ")";
      break;
    }
    out << "\n";
  }
  out << "history:\n";
  if (history.empty()) out << "  (none)\n";
  for (const AlertEvent& event : history) out << "  " << event_line(event, zone) << "\n";
}

void show_json(const StoredAlert& stored, const std::vector<EvidenceDetail>& details,
               const std::vector<AlertEvent>& history, const Zone& zone, std::ostream& out) {
  std::ostringstream listed;
  write_alerts({stored.alert}, OutputFormat::Json, zone, listed);
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  Poco::JSON::Object::Ptr object =
      parser.parse(listed.str()).extract<Poco::JSON::Array::Ptr>()->getObject(0);
  object->set("withdrawn", stored.withdrawn);
  object->set("raised_at", local_time_text(stored.created_at, zone));
  Poco::JSON::Array records;
  for (const EvidenceDetail& detail : details) {
    Poco::JSON::Object record(Poco::JSON_PRESERVE_KEY_ORDER);
    record.set("kind", detail.kind);
    record.set("id", detail.id);
    record.set("time", Instant{detail.time_utc, detail.offset_minutes, false}.to_string());
    record.set("amount", format_amount(detail.amount_fen));
    record.set("currency", detail.currency);
    record.set("description", detail.description);
    record.set("source", detail.source);
    records.add(record);
  }
  object->set("evidence_records", records);
  Poco::JSON::Array events;
  for (const AlertEvent& event : history) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("at", local_time_text(event.at, zone));
    item.set("actor", event.actor);
    item.set("action", event.action);
    item.set("from", event.from ? std::string(alerts::to_string(*event.from)) : std::string());
    item.set("to", event.to ? std::string(alerts::to_string(*event.to)) : std::string());
    item.set("comment", event.comment);
    events.add(item);
  }
  object->set("history", events);
  object->stringify(out);
  out << '\n';
}

}  // namespace

int alerts_ack_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  return lifecycle_command(alerts::AlertAction::Acknowledge, args, out, err);
}

int alerts_resolve_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  return lifecycle_command(alerts::AlertAction::Resolve, args, out, err);
}

int alerts_dismiss_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  return lifecycle_command(alerts::AlertAction::Dismiss, args, out, err);
}

int alerts_comment_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  return lifecycle_command(alerts::AlertAction::Comment, args, out, err);
}

int alerts_show_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  const std::int64_t alert_id = alert_id_argument(args);
  const std::string format = args.value("format").value_or("text");
  if (format != "text" && format != "json") {
    throw UsageError("--format must be text or json, not '" + format + "'");
  }
  AppContext app = open_app(args.value("config"));
  const auto stored = find_alert(*app.db, alert_id);
  if (!stored) {
    err << "sfmon alerts show: alert " << alert_id << " does not exist\n";
    return 1;
  }
  const auto details = evidence_details(*app.db, alert_id);
  const auto history = AlertLifecycleStore(*app.db).history(alert_id);
  if (format == "json") {
    show_json(*stored, details, history, app.config.zone, out);
  } else {
    show_text(*stored, details, history, app, out);
  }
  return 0;
}

}  // namespace sfmon
