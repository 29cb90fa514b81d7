#pragma once
// read → parse → normalise → store, one file at a time. A file's records
// commit in one transaction or not at all; a file is moved to the archive
// only after its commit, so a crash between the two re-reads a file whose
// content hash the store already knows, and adds nothing.

#include <string>
#include <vector>

#include "sfmon/connectors/file_system.h"
#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/record_store.h"

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

class IngestPipeline {
 public:
  // All references must outlive the pipeline. Each accepted file's records
  // commit together with the evaluation marks of the schools they touch
  // (rule_runner.h), so no record is ever left unevaluated after a crash.
  IngestPipeline(FileSystem& fs, SqliteDb& db, RecordStore& store, const Registry& registry,
                 const std::vector<WatchlistEntry>& watchlist, const Zone& zone);

  // Ingests one file in place (the `ingest` command): nothing is moved.
  FileOutcome ingest_file(const std::string& path, RecordKind kind, const std::string& source);

  // One pass over a files connector's inbox: each file is ingested, then
  // archived (accepted, duplicate) or quarantined (rejected). Failed files
  // stay in the inbox for the next pass.
  std::vector<FileOutcome> drain_inbox(const ConnectorConfig& connector);

 private:
  FileOutcome ingest_content(const std::string& path, const std::string& content, RecordKind kind,
                             const std::string& source);
  std::vector<Warning> registry_warnings(const BankFile& file) const;
  std::vector<Warning> registry_warnings(const std::vector<FeeRecord>& records) const;

  FileSystem& fs_;
  SqliteDb& db_;
  RecordStore& store_;
  const Registry& registry_;
  const std::vector<WatchlistEntry>& watchlist_;
  Zone zone_;
};

}  // namespace sfmon
