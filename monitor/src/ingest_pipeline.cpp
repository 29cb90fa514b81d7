#include "sfmon/monitor/ingest_pipeline.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <map>
#include <set>

#include "sfmon/connectors/bank_file_parser.h"
#include "sfmon/connectors/fee_file_parser.h"
#include "sfmon/connectors/file_inbox.h"
#include "sfmon/connectors/record_normaliser.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {
namespace {

std::string sha256_hex(const std::string& content) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(content.data(), static_cast<unsigned>(content.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace

IngestPipeline::IngestPipeline(FileSystem& fs, SqliteDb& db, RecordStore& store,
                               const Registry& registry,
                               const std::vector<WatchlistEntry>& watchlist, const Zone& zone)
    : fs_(fs), db_(db), store_(store), registry_(registry), watchlist_(watchlist), zone_(zone) {}

FileOutcome IngestPipeline::ingest_file(const std::string& path, RecordKind kind,
                                        const std::string& source) {
  std::string content;
  try {
    content = fs_.read_file(path);
  } catch (const std::exception& e) {
    FileOutcome outcome;
    outcome.path = path;
    outcome.verdict = FileVerdict::Failed;
    outcome.error = e.what();
    return outcome;
  }
  return ingest_content(path, content, kind, source);
}

FileOutcome IngestPipeline::ingest_content(const std::string& path, const std::string& content,
                                           RecordKind kind, const std::string& source) {
  FileOutcome outcome;
  outcome.path = path;
  FileOrigin origin{source, path, sha256_hex(content), to_string(kind), ""};
  if (kind == RecordKind::Fee) {
    const auto first = content.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    origin.format = first != std::string::npos && content[first] == '{' ? "jsonl" : "csv";
  }
  try {
    if (store_.has_ingested(origin.sha256, origin.kind)) {
      outcome.verdict = FileVerdict::Duplicate;
      outcome.result.ingest_id = store_.record_duplicate(origin);
      return outcome;
    }
    if (kind == RecordKind::Bank) {
      BankFile file;
      try {
        file = parse_bank_file(content, path, zone_);
        normalise_bank_file(file, registry_, watchlist_);
      } catch (const InputError& e) {
        outcome.verdict = FileVerdict::Rejected;
        outcome.error = e.what();
        return outcome;
      }
      for (Warning& warning : registry_warnings(file)) file.warnings.push_back(std::move(warning));
      outcome.warnings = file.warnings;
      Transaction transaction(db_);
      outcome.result = store_.store_bank_file(file, origin);
      EvaluationQueue(db_).mark(file, registry_, zone_);
      transaction.commit();
    } else {
      std::vector<FeeRecord> records;
      try {
        records = parse_fee_file(content, path, zone_);
      } catch (const InputError& e) {
        outcome.verdict = FileVerdict::Rejected;
        outcome.error = e.what();
        return outcome;
      }
      outcome.warnings = registry_warnings(records);
      Transaction transaction(db_);
      outcome.result = store_.store_fee_records(records, origin);
      EvaluationQueue(db_).mark(records, registry_);
      transaction.commit();
    }
    outcome.verdict = FileVerdict::Accepted;
  } catch (const StoreError& e) {
    outcome.verdict = FileVerdict::Failed;
    outcome.error = path + ": could not store: " + e.what();
  }
  return outcome;
}

std::vector<FileOutcome> IngestPipeline::drain_inbox(const ConnectorConfig& connector) {
  FileInbox inbox(fs_, InboxFolders{connector.path, connector.archive, connector.quarantine});
  const RecordKind kind =
      connector.type == ConnectorType::BankFiles ? RecordKind::Bank : RecordKind::Fee;
  std::vector<FileOutcome> outcomes;
  for (const std::string& path : inbox.pending()) {
    FileOutcome outcome = ingest_file(path, kind, connector.name);
    try {
      if (outcome.verdict == FileVerdict::Accepted || outcome.verdict == FileVerdict::Duplicate) {
        outcome.moved_to = inbox.archive(path);
      } else if (outcome.verdict == FileVerdict::Rejected) {
        outcome.moved_to = inbox.quarantine(path, outcome.error);
        store_.record_rejection(FileOrigin{connector.name, path, "", to_string(kind)}, outcome.error,
                                outcome.moved_to);
      }
    } catch (const std::exception& e) {
      // The records are safe in the store; the file stays and is seen as a
      // duplicate next time.
      outcome.warnings.push_back(Warning{path, "", std::string("could not move file: ") + e.what()});
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

std::vector<Warning> IngestPipeline::registry_warnings(const BankFile& file) const {
  std::vector<Warning> warnings;
  std::set<std::string> reported;
  for (const BankStatement& statement : file.statements) {
    if (registry_.find_account_owner(statement.account) == nullptr &&
        reported.insert(statement.account).second) {
      warnings.push_back(Warning{statement.records.empty() ? "" : statement.records[0].source.file,
                                 "", "unregistered account " + statement.account +
                                         ": records stored without a school"});
    }
  }
  return warnings;
}

std::vector<Warning> IngestPipeline::registry_warnings(const std::vector<FeeRecord>& records) const {
  std::vector<Warning> warnings;
  std::set<std::string> reported;
  for (const FeeRecord& record : records) {
    if (registry_.find_school(record.school_id) == nullptr &&
        reported.insert(record.school_id).second) {
      warnings.push_back(Warning{record.source.file, record.source.position,
                                 "unregistered school " + record.school_id +
                                     ": fee records stored, rules skip them until it is registered"});
    }
  }
  return warnings;
}

}  // namespace sfmon
