#pragma once
// read → parse → normalise → store. A file's records commit all together or
// not at all; a file is moved to the archive only after its commit, so a
// crash between the two re-reads a file whose content hash the store already
// knows, and adds nothing.
//
// drain_inbox commits files in batches: each file is read, parsed and
// normalised first (a bad file is quarantined and never joins a batch), then
// every file of the batch is stored inside its own SAVEPOINT of one batch
// transaction (a file that fails to store is rolled back alone and stays in
// the inbox), the batch commits with one fsync, and only then are its files
// moved to the archive. The batch is bounded by IngestBatchLimits.
//
// While one batch is stored, the next files are parsed ahead on a worker
// thread (IngestBatchLimits::parse_threads). Only parsing and normalising
// run there: the files are read, checked against the store, stored, moved
// and reported on the calling thread, in inbox order, so record and
// ingest_log ids and every outcome are what a single thread would give.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/connectors/file_inbox.h"
#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/record_normaliser.h"
#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon {

enum class FileVerdict {
  Accepted,   // parsed and committed (possibly adding nothing new)
  Duplicate,  // this exact file was accepted before; nothing read
  Rejected,   // bad input: nothing stored, error recorded
  Failed,     // not the file's fault (I/O, database): left where it was
};

struct FileOutcome {
  std::string path;
  FileVerdict verdict = FileVerdict::Failed;
  std::string error;  // one line naming the file and what is wrong
  IngestResult result;
  std::vector<Warning> warnings;
  std::string moved_to;  // archive or quarantine path, when moved
};

// When drain_inbox commits the batch it is filling: whichever limit is
// reached first. Larger batches mean fewer fsyncs and index pages written
// once instead of once per file; smaller ones bound memory (parsed records
// wait in memory until their batch is stored), the time the write lock is
// held, and the work a failed commit sends back to the inbox.
struct IngestBatchLimits {
  int max_files = 256;
  std::int64_t max_records = 50000;  // bank and fee records parsed
  // Since the batch took its first file (reading and parsing, which may
  // have run ahead while the previous batch was stored).
  std::chrono::milliseconds max_parse_time{2000};
  // Threads that parse files ahead of the storing thread; 0 parses on the
  // calling thread. At most max_files files (and 64 MiB of their content)
  // wait parsed or unparsed ahead of the batch being filled.
  int parse_threads = 1;
};

class IngestPipeline {
 public:
  // All references must outlive the pipeline. Each accepted file's records
  // commit together with the evaluation marks of the schools they touch
  // (rule_runner.h), so no record is ever left unevaluated after a crash.
  // The registry's related parties and the watchlist are indexed once here:
  // build a new pipeline when they change. `clock` stamps the connector state
  // (connector_state.h); the default reads the system clock.
  IngestPipeline(FileSystem& fs, SqliteDb& db, RecordStore& store, const Registry& registry,
                 const std::vector<WatchlistEntry>& watchlist, const Zone& zone,
                 UtcClock clock = {}, IngestBatchLimits limits = {});

  // Ingests one file in place (the `ingest` command) in its own
  // transaction: nothing is moved.
  FileOutcome ingest_file(const std::string& path, RecordKind kind, const std::string& source);

  // One pass over a files connector's inbox, in batches (see above): each
  // file ends up archived (accepted, duplicate) or quarantined (rejected);
  // failed files stay in the inbox for the next pass. Outcomes are in the
  // order the files were read. Updates the connector's row of
  // connector_state: the attempt, one page per committed file, success or
  // failure (a file that failed to store) and the lag of the newest booked
  // or paid time read.
  std::vector<FileOutcome> drain_inbox(const ConnectorConfig& connector);

 private:
  // A file read and, unless it was known already, parsed and normalised:
  // what the store step needs.
  struct PreparedFile {
    FileOutcome outcome;
    FileOrigin origin;
    RecordKind kind = RecordKind::Bank;
    std::size_t slot = 0;  // its place among drain_inbox's outcomes
    bool ready = false;    // read and parsed: store() may take it
    bool known = false;    // its content was accepted before: recorded as a duplicate
    BankFile bank;
    std::vector<FeeRecord> fees;
    std::int64_t records = 0;               // parsed
    std::optional<std::int64_t> newest_at;  // newest booked / paid time, UTC seconds
  };

  // A file read: its origin (content hash, fee format) and outcome path.
  static PreparedFile identify(const std::string& path, RecordKind kind, const std::string& source,
                               const std::string& content);
  // Parses and normalises `content`: a bad file comes back Rejected,
  // anything else ready for store(). Touches neither the store nor the
  // file system, so it may run on a worker thread.
  void parse(PreparedFile& file, const std::string& content) const;
  // Whether the store knows the file's content already; a known file is
  // ready to be recorded as a duplicate, whatever parse() made of it. False
  // when the store cannot tell (the file then comes back Failed).
  bool check_known(PreparedFile& file);
  // Stores a prepared file inside a transaction of its own (a savepoint when
  // the caller has one open), and counts it as a page of `source` in
  // connector_state when `source` is given. Sets the verdict: Accepted,
  // Duplicate, or Failed (then nothing of the file remains).
  void store(PreparedFile& file, const std::optional<std::string>& connector_source);
  // The batch drain_inbox is filling. Its files are stored as they come, in
  // one transaction from the first of them to commit_batch, so that storing
  // a file overlaps parsing the files after it (the first file of a small
  // inbox no longer waits for the last one's parse).
  struct Batch {
    std::vector<PreparedFile> files;
    std::optional<Transaction> transaction;
    std::string rolled_back;  // why sqlite undid the whole batch, once it has
    std::int64_t records = 0;
    std::chrono::steady_clock::time_point started;
  };
  // Stores a ready file into the batch's transaction (opened by the first),
  // unless sqlite has rolled the batch back already.
  void add_to_batch(Batch& batch, PreparedFile file, const std::string& connector_source);
  // Commits and moves the batch's files and sets their outcomes. The files'
  // parsed records stay in `batch.files` for the caller to free.
  void commit_batch(Batch& batch, FileInbox& inbox, std::vector<FileOutcome>& outcomes);
  std::vector<Warning> registry_warnings(const BankFile& file) const;
  std::vector<Warning> registry_warnings(const std::vector<FeeRecord>& records) const;

  FileSystem& fs_;
  SqliteDb& db_;
  RecordStore& store_;
  const Registry& registry_;
  BankFileNormaliser normaliser_;
  Zone zone_;
  UtcClock clock_;
  IngestBatchLimits limits_;
};

}  // namespace sfmon
