// `sfmon replay`: backtesting. Re-evaluates stored history with a rule set
// into a replay result set of its own and compares it with the live alerts
// of the same period; live alerts are never touched.
#include <algorithm>
#include <map>
#include <ostream>

#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/record_output.h"
#include "sfmon/monitor/rule_runner.h"

namespace sfmon {

const char* const kReplayHelp =
    R"(Usage: sfmon replay [--config FILE] --from DATE --to DATE [--rules DIR]...

Re-evaluates the stored records of every registered school with a rule set —
the packs given with --rules, else the config's (or the bundled default) —
and reports what would have fired on the local days [from, to] (YYYY-MM-DD,
bureau zone, both inclusive). Windows still see records outside the period.
The results are kept as a replay result set of their own; live alerts,
their status and the records they flag are never changed.

Prints per rule: firings and alerts in the replay, live alerts in the same
period, and how many alerts only the replay or only the live set has (the
same alert: same rule and dedup key within the rule's grouping window); then
those alerts, "+" only in the replay, "-" only live.

Exit: 0 done; 2 usage or configuration error (also an invalid --rules pack).
)";

namespace {

Date required_date(const CliArgs& args, const std::string& name) {
  const std::optional<Date> date = args.date(name);
  if (!date) throw UsageError("--" + name + " DATE is required");
  return *date;
}

// Whether two alerts of different result sets are the same alert: same rule
// and dedup key, and seen spans within the grouping window of each other (as
// alerts::group_firings groups firings), so a key that alerted on two
// separate occasions counts as two alerts.
bool same_alert(const alerts::Alert& a, const alerts::Alert& b) {
  const std::int64_t window = std::max(a.group_window_seconds, b.group_window_seconds);
  return a.rule_id == b.rule_id && a.dedup_key == b.dedup_key &&
         a.first_seen <= b.last_seen + window && b.first_seen <= a.last_seen + window;
}

// The alerts of each side without a partner on the other, paired one to one.
struct Difference {
  std::vector<alerts::Alert> only_replay;
  std::vector<alerts::Alert> only_live;
};

Difference difference(const std::vector<alerts::Alert>& replayed,
                      const std::vector<alerts::Alert>& live) {
  Difference result;
  std::vector<bool> live_matched(live.size(), false);
  for (const alerts::Alert& alert : replayed) {
    bool matched = false;
    for (std::size_t i = 0; i < live.size() && !matched; ++i) {
      if (!live_matched[i] && same_alert(alert, live[i])) live_matched[i] = matched = true;
    }
    if (!matched) result.only_replay.push_back(alert);
  }
  for (std::size_t i = 0; i < live.size(); ++i) {
    if (!live_matched[i]) result.only_live.push_back(live[i]);
  }
  return result;
}

struct RuleComparison {
  int replay_firings = 0;
  int replay_alerts = 0;
  int live_alerts = 0;
  int only_replay = 0;
  int only_live = 0;
};

void print_difference(char mark, const std::vector<alerts::Alert>& alerts, const Zone& zone,
                      std::ostream& out) {
  for (const alerts::Alert& alert : alerts) {
    out << "  " << mark << ' ' << alert.rule_id << ' ' << alert.school_id << ' '
        << rules::to_string(alert.level) << " [" << alert.dedup_key << "] "
        << Instant{alert.first_seen, zone.offset_minutes, false}.to_string() << ": "
        << alert.message << '\n';
  }
}

}  // namespace

int replay_command(const CliArgs& args, std::ostream& out, std::ostream&) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  const Date from = required_date(args, "from");
  const Date to = required_date(args, "to");
  if (to < from) {
    throw UsageError("--to " + to.to_string() + " is before --from " + from.to_string());
  }

  AppContext app = open_app(args.value("config"));
  if (!args.values("rules").empty()) app.config.rules = args.values("rules");
  load_rules(app);
  const Zone& zone = app.config.zone;
  const std::int64_t from_utc = instant_from_date(from, zone).utc_seconds;
  const std::int64_t to_utc =
      instant_from_date(Date::from_days_since_epoch(to.days_since_epoch() + 1), zone).utc_seconds -
      1;

  AlertStore store(*app.db);
  std::string rules_text;
  for (const std::string& path : app.pack_paths)
    rules_text += (rules_text.empty() ? "" : ", ") + path;
  const std::string result_set =
      store.begin_replay(from.to_string() + " to " + to.to_string() + "; rules: " + rules_text);
  RuleRunner runner(*app.db, *app.pack, app.registry, app.listed, zone);
  const RunSummary summary = runner.run_range({}, from_utc, to_utc, result_set);

  AlertFilter period;
  period.from = from;
  period.to = to;
  const std::vector<alerts::Alert> replayed = store.list(period, zone, result_set);
  const std::vector<alerts::Alert> live = store.list(period, zone);
  const Difference diff = difference(replayed, live);

  // The pack's rules in pack order, then rules only the live set still has.
  std::vector<std::string> order;
  std::map<std::string, RuleComparison> per_rule;
  const auto row = [&](const std::string& rule) -> RuleComparison& {
    if (per_rule.count(rule) == 0) order.push_back(rule);
    return per_rule[rule];
  };
  for (const rules::CompiledRule& rule : app.pack->rules) row(rule.id);
  for (const auto& [rule, count] : summary.firings_per_rule) row(rule).replay_firings = count;
  for (const alerts::Alert& alert : replayed) ++row(alert.rule_id).replay_alerts;
  for (const alerts::Alert& alert : live) ++row(alert.rule_id).live_alerts;
  for (const alerts::Alert& alert : diff.only_replay) ++row(alert.rule_id).only_replay;
  for (const alerts::Alert& alert : diff.only_live) ++row(alert.rule_id).only_live;

  out << "replay " << result_set << ": " << from.to_string() << " to " << to.to_string() << ", "
      << summary.schools << " schools, " << summary.firings << " firings, " << replayed.size()
      << " alerts (live in the period: " << live.size() << " alerts)\n";
  std::vector<std::vector<std::string>> rows;
  for (const std::string& rule : order) {
    const RuleComparison& c = per_rule[rule];
    rows.push_back({rule, std::to_string(c.replay_firings), std::to_string(c.replay_alerts),
                    std::to_string(c.live_alerts), std::to_string(c.only_replay),
                    std::to_string(c.only_live)});
  }
  write_table(
      {"rule", "replay_firings", "replay_alerts", "live_alerts", "only_replay", "only_live"}, rows,
      out);
  if (!diff.only_replay.empty()) {
    out << "only in the replay:\n";
    print_difference('+', diff.only_replay, zone, out);
  }
  if (!diff.only_live.empty()) {
    out << "only live:\n";
    print_difference('-', diff.only_live, zone, out);
  }
  out << "live alerts were not changed\n";
  return 0;
}

}  // namespace sfmon
