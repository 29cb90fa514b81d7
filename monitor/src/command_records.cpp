// `sfmon records list`.
#include <ostream>

#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/record_output.h"

namespace sfmon {

const char* const kRecordsListHelp =
    R"(Usage: sfmon records list [--config FILE] [--kind bank|fee] [--school ID]
                          [--account N] [--flagged] [--from DATE] [--to DATE]
                          [--limit N] [--format table|json|csv]

Lists stored records, earliest first. DATEs are YYYY-MM-DD local days in the
bureau's zone, both inclusive. --flagged keeps records that are evidence of an
alert. Amounts are signed decimal strings (credit +, debit -).
)";

int records_list_command(const CliArgs& args, std::ostream& out, std::ostream&) {
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  RecordFilter filter;
  if (const auto kind = args.value("kind")) {
    filter.kind = record_kind_from_string(*kind);
    if (!filter.kind) throw UsageError("--kind must be bank or fee, not '" + *kind + "'");
  }
  filter.school_id = args.value("school");
  filter.account = args.value("account");
  filter.from = args.date("from");
  filter.to = args.date("to");
  filter.flagged_only = args.flag("flagged");
  if (const auto limit = args.value("limit")) {
    try {
      filter.limit = std::stoi(*limit);
    } catch (const std::exception&) {
      throw UsageError("--limit must be a number, not '" + *limit + "'");
    }
    if (*filter.limit < 0) throw UsageError("--limit must not be negative");
  }
  const OutputFormat format = output_format_from_string(args.value("format").value_or("table"));

  // Schools of bank records come from the store's account table.
  AppContext app = open_app(args.value("config"), RegistryUse::StoreOnly);
  write_records(app.store->list_records(filter, app.config.zone), format, out);
  return 0;
}

}  // namespace sfmon
