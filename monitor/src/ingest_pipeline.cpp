#include "sfmon/monitor/ingest_pipeline.h"

#include <algorithm>
#include <deque>
#include <future>
#include <set>
#include <utility>

#include "sfmon/connectors/bank_file_parser.h"
#include "sfmon/connectors/fee_file_parser.h"
#include "sfmon/model/sha256.h"
#include "sfmon/monitor/connector_state.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/worker_pool.h"

namespace sfmon {
namespace {

// Bounds the content of files read ahead of the batch being filled; their
// parsed records take a few times as much.
constexpr std::size_t kMaxAheadBytes = std::size_t{64} << 20;

void note_newest(std::optional<std::int64_t>& newest, std::int64_t utc_seconds) {
  if (!newest || *newest < utc_seconds) newest = utc_seconds;
}

bool stored(const FileOutcome& outcome) {
  return outcome.verdict == FileVerdict::Accepted || outcome.verdict == FileVerdict::Duplicate;
}

void fail(FileOutcome& outcome, const std::string& error) {
  outcome.verdict = FileVerdict::Failed;
  outcome.error = error;
  outcome.result = IngestResult{};
}

}  // namespace

IngestPipeline::IngestPipeline(FileSystem& fs, SqliteDb& db, RecordStore& store,
                               const Registry& registry,
                               const std::vector<WatchlistEntry>& watchlist, const Zone& zone,
                               UtcClock clock, IngestBatchLimits limits)
    : fs_(fs),
      db_(db),
      store_(store),
      registry_(registry),
      normaliser_(registry, watchlist),
      zone_(zone),
      clock_(std::move(clock)),
      limits_(limits) {}

FileOutcome IngestPipeline::ingest_file(const std::string& path, RecordKind kind,
                                        const std::string& source) {
  std::string content;
  try {
    content = fs_.read_file(path);
  } catch (const std::exception& e) {
    FileOutcome outcome;
    outcome.path = path;
    fail(outcome, e.what());
    return outcome;
  }
  PreparedFile file = identify(path, kind, source, content);
  // A file archived after a crash between commit and move comes back here:
  // its content is known, so it is not even parsed.
  if (check_known(file) && !file.known) parse(file, content);
  if (file.ready) store(file, std::nullopt);
  return std::move(file.outcome);
}

IngestPipeline::PreparedFile IngestPipeline::identify(const std::string& path, RecordKind kind,
                                                      const std::string& source,
                                                      const std::string& content) {
  PreparedFile file;
  file.kind = kind;
  file.outcome.path = path;
  file.origin = FileOrigin{source, path, sha256_hex(content), to_string(kind), ""};
  if (kind == RecordKind::Fee) {
    const auto first = content.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    file.origin.format = first != std::string::npos && content[first] == '{' ? "jsonl" : "csv";
  }
  return file;
}

void IngestPipeline::parse(PreparedFile& file, const std::string& content) const {
  const std::string& path = file.outcome.path;
  try {
    if (file.kind == RecordKind::Bank) {
      file.bank = parse_bank_file(content, path, zone_);
      normaliser_.normalise(file.bank);
      for (Warning& warning : registry_warnings(file.bank)) {
        file.bank.warnings.push_back(std::move(warning));
      }
      file.outcome.warnings = file.bank.warnings;
      for (const BankStatement& statement : file.bank.statements) {
        file.records += static_cast<std::int64_t>(statement.records.size());
        for (const BankRecord& record : statement.records) {
          note_newest(file.newest_at, record.booked_at.utc_seconds);
        }
      }
    } else {
      file.fees = parse_fee_file(content, path, zone_);
      file.outcome.warnings = registry_warnings(file.fees);
      file.records = static_cast<std::int64_t>(file.fees.size());
      for (const FeeRecord& record : file.fees)
        note_newest(file.newest_at, record.paid_at.utc_seconds);
    }
  } catch (const InputError& e) {
    file.outcome.verdict = FileVerdict::Rejected;
    file.outcome.error = e.what();
    return;
  }
  file.ready = true;
}

bool IngestPipeline::check_known(PreparedFile& file) {
  try {
    file.known = store_.has_ingested(file.origin.sha256, file.origin.kind);
  } catch (const StoreError& e) {
    fail(file.outcome, file.outcome.path + ": could not store: " + e.what());
    file.ready = false;
    return false;
  }
  if (file.known) {
    // Recorded as a duplicate: nothing parsed counts, not even a rejection.
    PreparedFile duplicate;
    duplicate.outcome.path = std::move(file.outcome.path);
    duplicate.origin = std::move(file.origin);
    duplicate.kind = file.kind;
    duplicate.slot = file.slot;
    duplicate.known = true;
    duplicate.ready = true;
    file = std::move(duplicate);
  }
  return true;
}

void IngestPipeline::store(PreparedFile& file, const std::optional<std::string>& connector_source) {
  FileOutcome& outcome = file.outcome;
  try {
    // Inside a batch this is a savepoint: a failure undoes this file only.
    Transaction transaction(db_);
    // Checked again under the write lock: the same content may have been
    // stored since prepare(), by this batch or by another process.
    if (file.known || store_.has_ingested(file.origin.sha256, file.origin.kind)) {
      outcome.verdict = FileVerdict::Duplicate;
      outcome.warnings.clear();
      outcome.result = IngestResult{};
      outcome.result.ingest_id = store_.record_duplicate(file.origin);
    } else if (file.kind == RecordKind::Bank) {
      outcome.result = store_.store_bank_file(file.bank, file.origin);
      EvaluationQueue(db_).mark(file.bank, registry_, zone_);
      outcome.verdict = FileVerdict::Accepted;
    } else {
      outcome.result = store_.store_fee_records(file.fees, file.origin);
      EvaluationQueue(db_).mark(file.fees, registry_);
      outcome.verdict = FileVerdict::Accepted;
    }
    if (connector_source) {
      ConnectorStateStore state(db_);
      state.record_page(*connector_source, file.records);
      if (file.newest_at) state.record_newest_event(*connector_source, *file.newest_at);
    }
    transaction.commit();
  } catch (const StoreError& e) {
    fail(outcome, outcome.path + ": could not store: " + e.what());
  }
}

void IngestPipeline::add_to_batch(Batch& batch, PreparedFile file,
                                  const std::string& connector_source) {
  if (batch.rolled_back.empty()) {
    try {
      if (!batch.transaction) batch.transaction.emplace(db_);
      store(file, connector_source);
      if (!db_.in_transaction()) {
        // Some errors (disk full, I/O) make sqlite roll back the whole
        // transaction, and with it the files stored before this one.
        batch.rolled_back =
            "the batch transaction was rolled back by sqlite: " + file.outcome.error;
      }
    } catch (const StoreError& e) {  // BEGIN failed
      batch.rolled_back = e.what();
    }
  }
  batch.records += file.records;
  batch.files.push_back(std::move(file));
}

void IngestPipeline::commit_batch(Batch& batch, FileInbox& inbox,
                                  std::vector<FileOutcome>& outcomes) {
  const auto fail_batch = [&](const std::string& why) {
    for (PreparedFile& file : batch.files) {
      if (file.outcome.verdict != FileVerdict::Failed || file.outcome.error.empty()) {
        fail(file.outcome, file.outcome.path + ": could not store: " + why);
      }
    }
  };
  if (!batch.rolled_back.empty()) {
    fail_batch(batch.rolled_back);
  } else if (batch.transaction) {
    try {
      batch.transaction->commit();
    } catch (const StoreError& e) {
      fail_batch(e.what());
    }
  }
  batch.transaction.reset();  // rolls back what was not committed
  batch.rolled_back.clear();
  batch.records = 0;
  for (PreparedFile& file : batch.files) {
    FileOutcome& outcome = file.outcome;
    if (stored(outcome)) {
      try {
        outcome.moved_to = inbox.archive(outcome.path);
      } catch (const std::exception& e) {
        // The records are safe in the store; the file stays and is seen as
        // a duplicate next time.
        outcome.warnings.push_back(
            Warning{outcome.path, "", std::string("could not move file: ") + e.what()});
      }
    }
    outcomes[file.slot] = std::move(outcome);
  }
}

std::vector<FileOutcome> IngestPipeline::drain_inbox(const ConnectorConfig& connector) {
  FileInbox inbox(fs_, InboxFolders{connector.path, connector.archive, connector.quarantine});
  const RecordKind kind =
      connector.type == ConnectorType::BankFiles ? RecordKind::Bank : RecordKind::Fee;
  ConnectorStateStore state(db_);
  // The connector's health is bookkeeping: failing to write it must not
  // stop records from being stored, so it is reported as a warning.
  std::vector<std::string> state_errors;
  const auto update_state = [&](const auto& write) {
    try {
      write();
    } catch (const StoreError& e) {
      state_errors.push_back(e.what());
    }
  };
  update_state([&] {
    Transaction transaction(db_);  // one commit, not one per statement
    state.record_attempt(connector.name, utc_now(clock_));
    transaction.commit();
  });

  std::vector<std::string> paths;
  try {
    paths = inbox.pending();
  } catch (const std::exception& e) {
    update_state([&] { state.record_failure(connector.name, utc_now(clock_), e.what()); });
    throw;
  }

  std::vector<FileOutcome> outcomes(paths.size());
  // Files read and handed to the parser, oldest first, with their sizes.
  // They are read here, not by the parser: the file system and the store
  // are only ever used from this thread.
  WorkerPool parsers(limits_.parse_threads);
  std::deque<std::pair<std::future<PreparedFile>, std::size_t>> ahead;
  std::size_t ahead_bytes = 0;
  std::size_t next_read = 0;
  const auto read_ahead = [&] {
    const auto window = static_cast<std::size_t>(std::max(limits_.max_files, 1));
    while (next_read < paths.size() && ahead.size() < window && ahead_bytes < kMaxAheadBytes) {
      const std::string& path = paths[next_read];
      const std::size_t slot = next_read++;
      std::string content;
      try {
        content = fs_.read_file(path);
      } catch (const std::exception& e) {
        PreparedFile unread;
        unread.outcome.path = path;
        unread.slot = slot;
        fail(unread.outcome, e.what());
        std::promise<PreparedFile> failed;
        failed.set_value(std::move(unread));
        ahead.emplace_back(failed.get_future(), 0);
        continue;
      }
      const std::size_t size = content.size();
      ahead_bytes += size;
      ahead.emplace_back(
          parsers.submit([this, &path, slot, kind, &connector, content = std::move(content)] {
            PreparedFile file = identify(path, kind, connector.name, content);
            file.slot = slot;
            parse(file, content);
            return file;
          }),
          size);
    }
  };

  Batch batch;
  // A stored batch's parsed records are freed by the parser, which allocated
  // them: freed here, every block would go back to the parser's malloc arena
  // under its lock, contending with the parse running at the same time
  // (about 6% of this thread's time at N = 1M). The parser has time to spare
  // while this thread stores.
  const auto commit_and_release = [&] {
    if (batch.files.empty()) return;  // no file, so no transaction either
    commit_batch(batch, inbox, outcomes);
    parsers.submit([stored = std::move(batch.files)] {});
    batch.files = {};
  };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (batch.files.empty()) batch.started = std::chrono::steady_clock::now();
    read_ahead();
    PreparedFile file = ahead.front().first.get();
    ahead_bytes -= ahead.front().second;
    ahead.pop_front();
    // Read failures come back without an origin: there is nothing to look up.
    if (!file.origin.sha256.empty()) check_known(file);
    if (file.ready) {
      add_to_batch(batch, std::move(file), connector.name);
    } else {
      FileOutcome& outcome = file.outcome;
      if (outcome.verdict == FileVerdict::Rejected) {
        // The rejection is logged in a commit of its own as soon as the file
        // is in quarantine, so a crash cannot lose it: the files stored
        // before it are committed first (a rejected file is rare).
        if (batch.transaction) commit_and_release();
        try {
          outcome.moved_to = inbox.quarantine(outcome.path, outcome.error);
          store_.record_rejection(FileOrigin{connector.name, outcome.path, "", to_string(kind)},
                                  outcome.error, outcome.moved_to);
        } catch (const std::exception& e) {
          outcome.warnings.push_back(
              Warning{outcome.path, "", std::string("could not quarantine file: ") + e.what()});
        }
      }
      outcomes[i] = std::move(outcome);
    }
    const bool full = static_cast<int>(batch.files.size()) >= limits_.max_files ||
                      batch.records >= limits_.max_records ||
                      std::chrono::steady_clock::now() - batch.started >= limits_.max_parse_time;
    if (full) commit_and_release();
  }
  commit_and_release();

  const auto failed = std::find_if(outcomes.rbegin(), outcomes.rend(), [](const FileOutcome& o) {
    return o.verdict == FileVerdict::Failed;
  });
  update_state([&] {
    Transaction transaction(db_);
    const std::int64_t now = utc_now(clock_);
    // A rejected file is the file's fault, not the source's.
    if (failed == outcomes.rend()) {
      state.record_success(connector.name, now);
    } else {
      state.record_failure(connector.name, now, failed->error);
    }
    std::optional<std::int64_t> lag;
    if (const auto current = state.get(connector.name); current && current->newest_event_at) {
      lag = std::max<std::int64_t>(0, now - *current->newest_event_at);
    }
    state.record_lag(connector.name, lag);
    transaction.commit();
  });
  if (!outcomes.empty()) {
    for (const std::string& error : state_errors) {
      outcomes.back().warnings.push_back(
          Warning{"", "", "connector state of " + connector.name + " not recorded: " + error});
    }
  }
  return outcomes;
}

std::vector<Warning> IngestPipeline::registry_warnings(const BankFile& file) const {
  std::vector<Warning> warnings;
  std::set<std::string> reported;
  for (const BankStatement& statement : file.statements) {
    if (registry_.find_account_owner(statement.account) == nullptr &&
        reported.insert(statement.account).second) {
      warnings.push_back(Warning{
          statement.records.empty() ? "" : statement.records[0].source.file, "",
          "unregistered account " + statement.account + ": records stored without a school"});
    }
  }
  return warnings;
}

std::vector<Warning> IngestPipeline::registry_warnings(
    const std::vector<FeeRecord>& records) const {
  std::vector<Warning> warnings;
  std::set<std::string> reported;
  for (const FeeRecord& record : records) {
    if (registry_.find_school(record.school_id) == nullptr &&
        reported.insert(record.school_id).second) {
      warnings.push_back(
          Warning{record.source.file, record.source.position,
                  "unregistered school " + record.school_id +
                      ": fee records stored, rules skip them until it is registered"});
    }
  }
  return warnings;
}

}  // namespace sfmon
