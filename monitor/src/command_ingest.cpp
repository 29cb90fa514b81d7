// `sfmon ingest` and `sfmon run-once`: both go through IngestPipeline.
#include <ostream>

#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/http_transport.h"
#include "sfmon/connectors/retry_policy.h"
#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/fee_http_puller.h"
#include "sfmon/monitor/ingest_pipeline.h"

namespace sfmon {

const char* const kRunOnceHelp = R"(Usage: sfmon run-once [--config FILE]

One pull of every connector in the config, then exit. Files connectors read
their inbox folder: each file's records are stored all together or not at
all, files commit in batches, and a file is moved to archive/ once its batch
has committed (or, when rejected, to quarantine/ with NAME.error beside it).
fee-http connectors page from their stored cursor; each page commits with the
cursor after it. Busy or failing servers (429, 5xx, timeouts) are retried with
backoff; any other failure stops that connector at the page named on stderr,
and the next run goes on from the last committed page.
Without --config: the embedded default (sfmon.db here, no connectors).

Exit: 0 all files accepted and all sources read; 1 some file was rejected or
      could not be stored, or some source failed; 2 usage or configuration error.
)";

const char* const kIngestHelp = R"(Usage: sfmon ingest [--config FILE] --kind bank|fee FILE...

Ingests the given files in place (nothing is moved). Bank files are
recognised by content: camt.052/053/054, MT940 or bank CSV; fee files are
CSV or JSON Lines. Ingesting a file twice adds nothing.

Exit: 0 all files accepted; 1 some file was rejected (the good ones are still
      stored; each rejected file is named on stderr with the reason);
      2 usage or configuration error.
)";

namespace {

void report(const FileOutcome& outcome, std::ostream& out, std::ostream& err) {
  for (const Warning& warning : outcome.warnings) err << "warning: " << warning.to_string() << '\n';
  switch (outcome.verdict) {
    case FileVerdict::Accepted:
      out << outcome.path << ": accepted, " << outcome.result.added << " new, "
          << outcome.result.duplicates << " already stored";
      if (outcome.result.promoted) out << ", " << outcome.result.promoted << " pending now booked";
      out << '\n';
      break;
    case FileVerdict::Duplicate:
      out << outcome.path << ": already ingested, nothing added\n";
      break;
    case FileVerdict::Rejected:
      err << "rejected: " << outcome.error;
      if (!outcome.moved_to.empty()) err << " (moved to " << outcome.moved_to << ")";
      err << '\n';
      break;
    case FileVerdict::Failed:
      err << "failed: " << outcome.error << '\n';
      break;
  }
}

void report(const FeeHttpPullReport& pulled, std::ostream& out, std::ostream& err) {
  for (const Warning& warning : pulled.warnings) err << "warning: " << warning.to_string() << '\n';
  out << "connector " << pulled.source << ": " << pulled.pages << " pages, " << pulled.records_read
      << " records read, " << pulled.added << " new, " << pulled.duplicates
      << " already stored; cursor " << (pulled.cursor ? "'" + *pulled.cursor + "'" : "none");
  if (!pulled.ok) out << "; stopped early";
  out << '\n';
  if (!pulled.ok) err << "failed: connector " << pulled.source << ": " << pulled.error << '\n';
}

bool ok(const FileOutcome& outcome) {
  return outcome.verdict == FileVerdict::Accepted || outcome.verdict == FileVerdict::Duplicate;
}

void print_summary(RecordStore& store, std::ostream& out) {
  const StoreSummary summary = store.summary();
  out << "store: " << summary.bank_records << " bank records (" << summary.bank_booked
      << " booked, " << summary.bank_pending << " pending, " << summary.unregistered_account_records
      << " of unregistered accounts), " << summary.fee_records
      << " fee records; files: " << summary.files_accepted << " accepted, "
      << summary.files_rejected << " rejected, " << summary.files_duplicate << " duplicate\n";
}

}  // namespace

int ingest_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  const auto kind_text = args.value("kind");
  if (!kind_text) throw UsageError("--kind bank|fee is required");
  const auto kind = record_kind_from_string(*kind_text);
  if (!kind) throw UsageError("--kind must be bank or fee, not '" + *kind_text + "'");
  if (args.positional().empty()) throw UsageError("no files given");

  AppContext app = open_app(args.value("config"));
  load_rules(app);  // a broken pack stops us before anything is read
  LocalFileSystem fs;
  IngestPipeline pipeline(fs, *app.db, *app.store, app.registry, app.watchlist, app.config.zone);
  bool all_ok = true;
  for (const std::string& path : args.positional()) {
    const FileOutcome outcome = pipeline.ingest_file(path, *kind, "cli");
    if (outcome.verdict == FileVerdict::Rejected) {
      app.store->record_rejection(FileOrigin{"cli", path, "", to_string(*kind), ""}, outcome.error,
                                  "");
    }
    report(outcome, out, err);
    all_ok = all_ok && ok(outcome);
  }
  print_summary(*app.store, out);
  evaluate_pending(app, out);
  return all_ok ? 0 : 1;
}

int run_once_command(const CliArgs& args, std::ostream& out, std::ostream& err) {
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  AppContext app = open_app(args.value("config"));
  load_rules(app);
  LocalFileSystem fs;
  IngestPipeline pipeline(fs, *app.db, *app.store, app.registry, app.watchlist, app.config.zone);
  PocoHttpTransport transport;
  SystemClock clock;
  SystemSleeper sleeper;
  SystemRandom random;
  FeeHttpPullOptions pull_options;
  pull_options.retry_log = [&err](const std::string& message) {
    err << "warning: " << message << '\n';
  };
  FeeHttpPuller puller(*app.db, *app.store, app.registry, app.config.zone, transport,
                       RetryContext{clock, sleeper, random}, pull_options);
  bool all_ok = true;
  for (const ConnectorConfig& connector : app.config.connectors) {
    if (connector.type == ConnectorType::FeeHttp) {
      const FeeHttpPullReport pulled = puller.pull(connector);
      report(pulled, out, err);
      all_ok = all_ok && pulled.ok;
      continue;
    }
    const std::vector<FileOutcome> outcomes = pipeline.drain_inbox(connector);
    int accepted = 0, added = 0;
    for (const FileOutcome& outcome : outcomes) {
      report(outcome, out, err);
      all_ok = all_ok && ok(outcome);
      accepted += ok(outcome) ? 1 : 0;
      added += outcome.result.added;
    }
    out << "connector " << connector.name << ": " << outcomes.size() << " files, " << accepted
        << " accepted, " << added << " new records\n";
  }
  print_summary(*app.store, out);
  // After every connector: a day's fees and bank credits are judged together.
  evaluate_pending(app, out);
  return all_ok ? 0 : 1;
}

}  // namespace sfmon
