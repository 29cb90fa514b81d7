#include "sfmon/monitor/ingest_pipeline.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sfmon/monitor/connector_state.h"
#include "sfmon/monitor/schema_migrations.h"

namespace sfmon::ingest_pipeline_test {
namespace {

constexpr std::int64_t kNow = 1'730'000'000;  // 2024-10-27T03:33:20Z
constexpr const char* kAccount = "4305001";
constexpr const char* kInbox = "in";

// Files in memory, with a switch that makes every move fail (as a crash
// between commit and move would leave things).
class MemoryFileSystem : public FileSystem {
 public:
  std::map<std::string, std::string> files;
  std::set<std::string> unreadable;  // read_file fails for these paths
  bool fail_moves = false;

  std::vector<std::string> list_files(const std::string& dir) override {
    std::vector<std::string> found;
    for (const auto& [path, content] : files) {
      const std::string prefix = dir + "/";
      if (path.starts_with(prefix) && path.find('/', prefix.size()) == std::string::npos) {
        found.push_back(path);
      }
    }
    return found;  // std::map keeps them sorted by name
  }
  std::string read_file(const std::string& path) override {
    if (unreadable.count(path) != 0) throw std::runtime_error(path + ": injected read failure");
    const auto found = files.find(path);
    if (found == files.end()) throw std::runtime_error(path + ": no such file");
    return found->second;
  }
  void write_file(const std::string& path, const std::string& content) override {
    files[path] = content;
  }
  void move_file(const std::string& from, const std::string& to) override {
    if (fail_moves) throw std::runtime_error("cannot move " + from + ": injected failure");
    if (files.count(to) != 0) throw std::runtime_error(to + " exists");
    files[to] = read_file(from);
    files.erase(from);
  }
  bool exists(const std::string& path) override {
    if (files.count(path) != 0) return true;
    return std::any_of(files.begin(), files.end(),
                       [&](const auto& file) { return file.first.starts_with(path + "/"); });
  }
  void create_directories(const std::string&) override {}
};

// One bank CSV file of `count` debits booked on consecutive days from
// 2024-09-02, references PREFIX-1, PREFIX-2, ...
std::string bank_csv(const std::string& prefix, int count = 1) {
  std::string text = "txn_id,account,booked_at,amount,currency\n";
  for (int i = 1; i <= count; ++i) {
    text += prefix + "-" + std::to_string(i) + "," + kAccount + ",2024-09-" +
            (i + 1 < 10 ? "0" : "") + std::to_string(i + 1) + "T10:00:00+08:00,-" +
            std::to_string(100 + i) + ".00,CNY\n";
  }
  return text;
}

// `count` records of one account all booked on 2024-09-02, references
// PREFIX-1, PREFIX-2, ...: a file whose parse time grows with `count`.
std::string bank_csv_of(const std::string& prefix, int count, const std::string& account) {
  std::string text = "txn_id,account,booked_at,amount,currency\n";
  for (int i = 1; i <= count; ++i) {
    text += prefix + "-" + std::to_string(i) + "," + account + ",2024-09-02T10:00:00+08:00,-" +
            std::to_string(100 + i) + ".00,CNY\n";
  }
  return text;
}

SqliteDb migrated_database() {
  SqliteDb db(":memory:");
  migrate(db);
  return db;
}

class IngestPipelineTest : public ::testing::Test {
 protected:
  IngestPipelineTest() : IngestPipelineTest(migrated_database()) {}
  explicit IngestPipelineTest(SqliteDb db) : db_(std::move(db)) {
    School school;
    school.id = "CS-0001";
    school.accounts = {{kAccount, "CCB", AccountRole::Supervised}};
    registry_.schools.push_back(school);
    registry_.build_index();
    store_.sync_registry(registry_);
    connector_.name = "bank-inbox";
    connector_.type = ConnectorType::BankFiles;
    connector_.path = kInbox;
    connector_.archive = std::string(kInbox) + "/archive";
    connector_.quarantine = std::string(kInbox) + "/quarantine";
  }

  std::vector<FileOutcome> drain(IngestBatchLimits limits = {}) {
    IngestPipeline pipeline(
        fs_, db_, store_, registry_, watchlist_, Zone{}, [this] { return now_; }, limits);
    return pipeline.drain_inbox(connector_);
  }

  void put(const std::string& name, const std::string& content) {
    fs_.files[std::string(kInbox) + "/" + name] = content;
  }
  bool in_inbox(const std::string& name) const {
    return fs_.files.count(std::string(kInbox) + "/" + name) != 0;
  }
  bool archived(const std::string& name) const {
    return fs_.files.count(connector_.archive + "/" + name) != 0;
  }
  bool quarantined(const std::string& name) const {
    return fs_.files.count(connector_.quarantine + "/" + name) != 0;
  }

  std::int64_t count(const std::string& sql) {
    Statement& query = db_.prepare(sql);
    ResetGuard done(query);
    EXPECT_TRUE(query.step());
    return query.column_int64(0);
  }
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> values;
    Statement& query = db_.prepare(sql);
    ResetGuard done(query);
    while (query.step()) values.push_back(query.column_text(0));
    return values;
  }
  std::int64_t stored_refs(const std::string& prefix) {
    Statement& query = db_.prepare("SELECT count(*) FROM bank_records WHERE bank_ref LIKE ?1");
    ResetGuard done(query);
    query.bind_text(1, prefix + "-%");
    EXPECT_TRUE(query.step());
    return query.column_int64(0);
  }

  // Every file failed to store, saying why (`reason` among sqlite's words),
  // and none was moved.
  static void expect_not_stored(const std::vector<FileOutcome>& outcomes,
                                const std::string& reason) {
    for (const FileOutcome& outcome : outcomes) {
      EXPECT_EQ(outcome.verdict, FileVerdict::Failed) << outcome.path;
      EXPECT_NE(outcome.error.find(outcome.path + ": could not store: "), std::string::npos)
          << outcome.error;
      EXPECT_NE(outcome.error.find(reason), std::string::npos) << outcome.error;
      EXPECT_EQ(outcome.moved_to, "");
    }
  }
  // A batch of a.csv (2 records) and b.csv (1) that failed whole: both are
  // still in the inbox, so the next pass stores and archives them.
  void put_a_and_b() {
    put("a.csv", bank_csv("A", 2));
    put("b.csv", bank_csv("B", 1));
  }
  void expect_next_pass_stores_a_and_b() {
    const std::vector<FileOutcome> retried = drain();
    ASSERT_EQ(retried.size(), 2u);
    for (const FileOutcome& outcome : retried) {
      EXPECT_EQ(outcome.verdict, FileVerdict::Accepted) << outcome.path << ": " << outcome.error;
    }
    EXPECT_TRUE(archived("a.csv"));
    EXPECT_TRUE(archived("b.csv"));
    EXPECT_EQ(stored_refs("A"), 2);
    EXPECT_EQ(stored_refs("B"), 1);
  }
  // Makes storing the record with reference `ref` fail: ABORT undoes that
  // statement (the file's savepoint rolls back the rest of the file);
  // ROLLBACK makes sqlite end the whole transaction, as disk full does.
  void fail_storing(const std::string& ref, const std::string& how = "ABORT") {
    db_.exec("CREATE TRIGGER injected_failure BEFORE INSERT ON bank_records WHEN NEW.bank_ref = '" +
             ref + "' BEGIN SELECT RAISE(" + how + ", 'injected store failure'); END");
  }

  MemoryFileSystem fs_;
  SqliteDb db_ = migrated_database();
  RecordStore store_{db_, [] { return kNow; }};
  Registry registry_;
  std::vector<WatchlistEntry> watchlist_;
  ConnectorConfig connector_;
  std::int64_t now_ = kNow;
};

TEST_F(IngestPipelineTest, ABadFileInTheMiddleOfABatchIsQuarantinedAndTheOthersAreStored) {
  put("a.csv", bank_csv("A", 2));
  put("b.csv", "this is not a bank statement\n");
  put("c.csv", bank_csv("C", 3));
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 3u);
  // Outcomes keep the order the files were read in.
  EXPECT_EQ(outcomes[0].path, "in/a.csv");
  EXPECT_EQ(outcomes[0].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[0].result.added, 2);
  EXPECT_EQ(outcomes[1].verdict, FileVerdict::Rejected);
  EXPECT_EQ(outcomes[1].moved_to, "in/quarantine/b.csv");
  EXPECT_EQ(outcomes[2].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[2].result.added, 3);
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_TRUE(quarantined("b.csv"));
  EXPECT_TRUE(archived("c.csv"));
  EXPECT_EQ(stored_refs("A"), 2);
  EXPECT_EQ(stored_refs("C"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log WHERE status = 'rejected'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM evaluation_queue WHERE school_id = 'CS-0001'"), 2);
}

TEST_F(IngestPipelineTest, AStoreFailureOfOneFileRollsBackOnlyThatFile) {
  put("a.csv", bank_csv("A", 2));
  put("b.csv", bank_csv("B", 3));  // its second record cannot be stored
  put("c.csv", bank_csv("C", 1));
  fail_storing("B-2");
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[1].verdict, FileVerdict::Failed);
  EXPECT_NE(outcomes[1].error.find("injected store failure"), std::string::npos);
  EXPECT_EQ(outcomes[1].moved_to, "");
  EXPECT_EQ(outcomes[2].verdict, FileVerdict::Accepted);
  EXPECT_EQ(stored_refs("A"), 2);
  EXPECT_EQ(stored_refs("B"), 0);  // B-1 was stored before B-2 failed: rolled back too
  EXPECT_EQ(stored_refs("C"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log WHERE path = 'in/b.csv'"), 0);
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_TRUE(in_inbox("b.csv"));  // left for the next pass
  EXPECT_TRUE(archived("c.csv"));
}

TEST_F(IngestPipelineTest, WhenSqliteEndsTheBatchTransactionNoFileOfTheBatchIsArchived) {
  put("a.csv", bank_csv("A", 2));
  put("b.csv", bank_csv("B", 1));
  put("c.csv", bank_csv("C", 1));
  fail_storing("B-1", "ROLLBACK");
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 3u);
  for (const FileOutcome& outcome : outcomes) {
    EXPECT_EQ(outcome.verdict, FileVerdict::Failed) << outcome.path;
    EXPECT_EQ(outcome.moved_to, "") << outcome.path;
  }
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 0);
  EXPECT_TRUE(in_inbox("a.csv"));
  EXPECT_TRUE(in_inbox("b.csv"));
  EXPECT_TRUE(in_inbox("c.csv"));
  EXPECT_FALSE(db_.in_transaction());
}

int count_commit(void* commits) {
  ++*static_cast<int*>(commits);
  return 0;  // let the commit go ahead
}

TEST_F(IngestPipelineTest, FilesCommitInBatchesBoundedByTheLimits) {
  for (const char* name : {"a", "b", "c", "d", "e"})
    put(std::string(name) + ".csv", bank_csv(name));
  int commits = 0;
  sqlite3_commit_hook(db_.handle(), count_commit, &commits);
  IngestBatchLimits limits;
  limits.max_files = 2;
  const std::vector<FileOutcome> outcomes = drain(limits);
  sqlite3_commit_hook(db_.handle(), nullptr, nullptr);
  ASSERT_EQ(outcomes.size(), 5u);
  for (const FileOutcome& outcome : outcomes) {
    EXPECT_EQ(outcome.verdict, FileVerdict::Accepted) << outcome.path;
  }
  // Batches of 2, 2 and 1 files, plus the connector state's attempt and end.
  EXPECT_EQ(commits, 3 + 2);
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 5);
}

TEST_F(IngestPipelineTest, RecordLimitClosesABatchEarly) {
  for (const char* name : {"a", "b", "c"}) put(std::string(name) + ".csv", bank_csv(name, 3));
  int commits = 0;
  sqlite3_commit_hook(db_.handle(), count_commit, &commits);
  IngestBatchLimits limits;
  limits.max_records = 4;  // reached by the second file
  drain(limits);
  sqlite3_commit_hook(db_.handle(), nullptr, nullptr);
  EXPECT_EQ(commits, 2 + 2);
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 9);
}

TEST_F(IngestPipelineTest, TheSameContentTwiceInOneBatchIsStoredOnce) {
  put("a.csv", bank_csv("A", 2));
  put("a-again.csv", bank_csv("A", 2));
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].path, "in/a-again.csv");  // sorts first
  EXPECT_EQ(outcomes[0].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[0].result.added, 2);
  EXPECT_EQ(outcomes[1].verdict, FileVerdict::Duplicate);
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log WHERE status = 'accepted'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 2);
}

TEST_F(IngestPipelineTest, ACrashBetweenCommitAndMoveReReadsTheFilesAndAddsNothing) {
  put("a.csv", bank_csv("A", 2));
  put("b.csv", bank_csv("B", 1));
  fs_.fail_moves = true;  // committed, but never archived
  for (const FileOutcome& outcome : drain()) {
    EXPECT_EQ(outcome.verdict, FileVerdict::Accepted) << outcome.path;
    ASSERT_FALSE(outcome.warnings.empty());
    EXPECT_NE(outcome.warnings.back().message.find("could not move file"), std::string::npos);
  }
  EXPECT_TRUE(in_inbox("a.csv"));
  fs_.fail_moves = false;
  const std::vector<FileOutcome> again = drain();
  ASSERT_EQ(again.size(), 2u);
  for (const FileOutcome& outcome : again) {
    EXPECT_EQ(outcome.verdict, FileVerdict::Duplicate) << outcome.path;
    EXPECT_EQ(outcome.result.added, 0);
  }
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_TRUE(archived("b.csv"));
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log WHERE status = 'accepted'"), 2);
}

TEST_F(IngestPipelineTest, ADrainRecordsTheConnectorsAttemptPagesSuccessAndLag) {
  put("a.csv", bank_csv("A", 2));  // newest booked 2024-09-03T10:00+08:00
  put("b.csv", "not a statement\n");
  put("c.csv", bank_csv("C", 1));
  drain();
  const std::optional<ConnectorState> state = ConnectorStateStore(db_).get("bank-inbox");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->last_attempt, kNow);
  EXPECT_EQ(state->last_success, kNow);
  EXPECT_EQ(state->consecutive_failures, 0);
  EXPECT_EQ(state->pages_read, 2);  // committed files; the rejected one is not a page
  EXPECT_EQ(state->records_read, 3);
  const std::int64_t newest = 1'725'328'800;  // 2024-09-03T02:00:00Z
  EXPECT_EQ(state->newest_event_at, newest);
  EXPECT_EQ(state->lag_seconds, kNow - newest);

  // An idle pass reads nothing: the newest record grows older.
  now_ = kNow + 3600;
  drain();
  const std::optional<ConnectorState> idle = ConnectorStateStore(db_).get("bank-inbox");
  EXPECT_EQ(idle->last_attempt, kNow + 3600);
  EXPECT_EQ(idle->pages_read, 2);
  EXPECT_EQ(idle->lag_seconds, kNow + 3600 - newest);
}

TEST_F(IngestPipelineTest, AFileThatCannotBeStoredCountsAsAFailureOfTheConnector) {
  put("a.csv", bank_csv("A", 1));
  put("b.csv", bank_csv("B", 1));
  fail_storing("B-1");
  drain();
  const std::optional<ConnectorState> state = ConnectorStateStore(db_).get("bank-inbox");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->last_success, std::nullopt);
  EXPECT_EQ(state->consecutive_failures, 1);
  EXPECT_NE(state->last_error.find("in/b.csv"), std::string::npos);
  EXPECT_EQ(state->last_error_at, kNow);
  EXPECT_EQ(state->pages_read, 1);
  EXPECT_EQ(state->records_read, 1);
}

TEST_F(IngestPipelineTest, ARejectionCommitsTheFilesStoredBeforeItAndIsLoggedOnItsOwn) {
  put("a.csv", bank_csv("A", 2));
  put("b.csv", "this is not a bank statement\n");
  put("c.csv", bank_csv("C", 1));
  fail_storing("C-1", "ROLLBACK");
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 3u);
  // a was committed before b's rejection was logged, so c's failed batch
  // took neither of them with it.
  EXPECT_EQ(outcomes[0].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[1].verdict, FileVerdict::Rejected);
  EXPECT_EQ(outcomes[2].verdict, FileVerdict::Failed);
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_TRUE(quarantined("b.csv"));
  EXPECT_TRUE(in_inbox("c.csv"));
  EXPECT_EQ(stored_refs("A"), 2);
  EXPECT_EQ(stored_refs("C"), 0);
  EXPECT_EQ(column("SELECT path || ' ' || status FROM ingest_log ORDER BY id"),
            (std::vector<std::string>{"in/a.csv accepted", "in/b.csv rejected"}));
}

TEST_F(IngestPipelineTest, AStoreThatCannotSayWhetherAFileIsKnownLeavesEveryFileInTheInbox) {
  put("a.csv", bank_csv("A", 1));
  put("b.csv", bank_csv("B", 1));
  // The known-content check reads ingest_log: without it nothing can be
  // told apart from a duplicate, so nothing is stored or moved.
  db_.exec("ALTER TABLE ingest_log RENAME TO ingest_log_gone");
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 2u);
  expect_not_stored(outcomes, "ingest_log");
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 0);
  EXPECT_TRUE(in_inbox("a.csv"));
  EXPECT_TRUE(in_inbox("b.csv"));
}

TEST_F(IngestPipelineTest, AConnectorStateThatCannotBeWrittenIsAWarningAndTheRecordsStay) {
  // The bookkeeping after the files (success, lag) fails; it must not undo
  // or hold back what was stored.
  db_.exec(
      "CREATE TRIGGER injected_state_failure BEFORE UPDATE OF last_success ON connector_state "
      "BEGIN SELECT RAISE(ABORT, 'injected state failure'); END");
  put("a.csv", bank_csv("A", 2));
  put("b.csv", bank_csv("B", 1));
  const std::vector<FileOutcome> outcomes = drain();
  ASSERT_EQ(outcomes.size(), 2u);
  for (const FileOutcome& outcome : outcomes) {
    EXPECT_EQ(outcome.verdict, FileVerdict::Accepted) << outcome.path;
  }
  EXPECT_EQ(stored_refs("A"), 2);
  EXPECT_EQ(stored_refs("B"), 1);
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_TRUE(archived("b.csv"));
  // Said once, on the pass's last outcome.
  int warned = 0;
  for (const FileOutcome& outcome : outcomes) {
    for (const Warning& warning : outcome.warnings) {
      if (warning.message.find("connector state of bank-inbox not recorded") != std::string::npos &&
          warning.message.find("injected state failure") != std::string::npos) {
        ++warned;
        EXPECT_EQ(&outcome, &outcomes.back());
      }
    }
  }
  EXPECT_EQ(warned, 1);
  // What did get written stays: the attempt, and the pages with their files.
  const std::optional<ConnectorState> state = ConnectorStateStore(db_).get("bank-inbox");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->last_attempt, kNow);
  EXPECT_EQ(state->last_success, std::nullopt);
  EXPECT_EQ(state->pages_read, 2);
  EXPECT_EQ(state->records_read, 3);
}

// The store in a file, so that a second connection can take its write
// lock, and writers that give up after 50 ms instead of 5 s.
class IngestPipelineBusyStoreTest : public IngestPipelineTest {
 protected:
  IngestPipelineBusyStoreTest() : IngestPipelineTest(file_store(path_)) {}
  ~IngestPipelineBusyStoreTest() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  static SqliteDb file_store(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    SqliteDb db(path, SqliteOptions{.busy_timeout_ms = 50});
    migrate(db);
    return db;
  }

  static inline const std::string path_ =
      (std::filesystem::temp_directory_path() /
       ("sfmon-pipeline-busy-" + std::to_string(::getpid()) + ".db"))
          .string();
};

TEST_F(IngestPipelineBusyStoreTest, ABatchThatCannotBeginLeavesItsFilesInTheInboxForTheNextPass) {
  put_a_and_b();
  {
    SqliteDb other_writer(path_);
    other_writer.exec("BEGIN IMMEDIATE");
    const std::vector<FileOutcome> outcomes = drain();
    ASSERT_EQ(outcomes.size(), 2u);
    expect_not_stored(outcomes, "database is locked");
    EXPECT_TRUE(in_inbox("a.csv"));
    EXPECT_TRUE(in_inbox("b.csv"));
    other_writer.exec("ROLLBACK");
  }
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log"), 0);

  // The other writer is gone.
  expect_next_pass_stores_a_and_b();
}

int refuse_commit(void* /*unused*/) {
  return 1;  // sqlite turns the COMMIT into a ROLLBACK, as when the log cannot be synced
}

TEST_F(IngestPipelineTest, ABatchWhoseCommitFailsLeavesItsFilesInTheInboxForTheNextPass) {
  put_a_and_b();
  sqlite3_commit_hook(db_.handle(), refuse_commit, nullptr);
  const std::vector<FileOutcome> outcomes = drain();
  sqlite3_commit_hook(db_.handle(), nullptr, nullptr);
  ASSERT_EQ(outcomes.size(), 2u);
  // Both files were stored in the batch before its COMMIT failed: neither
  // may count as stored, nor be archived.
  expect_not_stored(outcomes, "SQL: COMMIT");
  EXPECT_FALSE(db_.in_transaction());
  EXPECT_TRUE(in_inbox("a.csv"));
  EXPECT_TRUE(in_inbox("b.csv"));
  EXPECT_EQ(count("SELECT count(*) FROM bank_records"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM evaluation_queue"), 0);

  expect_next_pass_stores_a_and_b();
}

TEST_F(IngestPipelineTest, IngestFileStoresInPlaceWithoutConnectorState) {
  put("a.csv", bank_csv("A", 2));
  IngestPipeline pipeline(fs_, db_, store_, registry_, watchlist_, Zone{});
  const FileOutcome outcome = pipeline.ingest_file("in/a.csv", RecordKind::Bank, "cli");
  EXPECT_EQ(outcome.verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcome.result.added, 2);
  EXPECT_TRUE(in_inbox("a.csv"));
  EXPECT_EQ(pipeline.ingest_file("in/a.csv", RecordKind::Bank, "cli").verdict,
            FileVerdict::Duplicate);
  EXPECT_EQ(count("SELECT count(*) FROM connector_state"), 0);
}

// The parse-ahead must not change a thing: every test below runs with the
// files parsed on the calling thread (0), one worker (the default) and
// three workers, where a small file finishes parsing before a big one
// submitted earlier.
class IngestPipelineParseAheadTest : public IngestPipelineTest,
                                     public ::testing::WithParamInterface<int> {
 protected:
  std::vector<FileOutcome> drain_in_batches_of(int files) {
    IngestBatchLimits limits;
    limits.max_files = files;
    limits.parse_threads = GetParam();
    return drain(limits);
  }
};

TEST_P(IngestPipelineParseAheadTest, FilesAreStoredInInboxOrderWhateverTheyTakeToParse) {
  const std::vector<std::pair<std::string, int>> files = {{"a", 3000}, {"b", 1}, {"c", 2}, {"d", 1},
                                                          {"e", 400},  {"f", 1}, {"g", 1}};
  std::vector<std::string> expected_paths;
  std::vector<std::string> expected_refs;
  for (const auto& [name, records] : files) {
    put(name + ".csv", bank_csv_of(name, records, kAccount));
    expected_paths.push_back("in/" + name + ".csv");
    for (int i = 1; i <= records; ++i) expected_refs.push_back(name + "-" + std::to_string(i));
  }
  const std::vector<FileOutcome> outcomes = drain_in_batches_of(3);
  ASSERT_EQ(outcomes.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(outcomes[i].path, expected_paths[i]);
    EXPECT_EQ(outcomes[i].verdict, FileVerdict::Accepted) << outcomes[i].path;
    EXPECT_EQ(outcomes[i].result.added, files[i].second) << outcomes[i].path;
  }
  EXPECT_EQ(column("SELECT path FROM ingest_log ORDER BY id"), expected_paths);
  EXPECT_EQ(column("SELECT bank_ref FROM bank_records ORDER BY id"), expected_refs);
}

TEST_P(IngestPipelineParseAheadTest, UnreadableAndBadFilesAmongGoodOnesKeepTheirOutcomes) {
  put("a.csv", bank_csv("A", 2));
  put("b.csv", bank_csv("B", 1));
  fs_.unreadable.insert("in/b.csv");
  put("c.csv", "this is not a bank statement\n");
  put("d.csv", bank_csv("D", 1));
  put("e.csv", bank_csv("E", 1));
  const std::vector<FileOutcome> outcomes = drain_in_batches_of(2);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[0].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[1].verdict, FileVerdict::Failed);
  EXPECT_NE(outcomes[1].error.find("injected read failure"), std::string::npos);
  EXPECT_EQ(outcomes[2].verdict, FileVerdict::Rejected);
  EXPECT_EQ(outcomes[3].verdict, FileVerdict::Accepted);
  EXPECT_EQ(outcomes[4].verdict, FileVerdict::Accepted);
  EXPECT_TRUE(archived("a.csv"));
  EXPECT_TRUE(in_inbox("b.csv"));  // left for the next pass
  EXPECT_TRUE(quarantined("c.csv"));
  EXPECT_TRUE(archived("d.csv"));
  EXPECT_TRUE(archived("e.csv"));
  // Every file is logged when it is reached (c's rejection after a's batch
  // so far is committed): the log is in the order the files were read.
  EXPECT_EQ(column("SELECT path || ' ' || status FROM ingest_log ORDER BY id"),
            (std::vector<std::string>{"in/a.csv accepted", "in/c.csv rejected", "in/d.csv accepted",
                                      "in/e.csv accepted"}));
  EXPECT_EQ(column("SELECT bank_ref FROM bank_records ORDER BY id"),
            (std::vector<std::string>{"A-1", "A-2", "D-1", "E-1"}));
  const std::optional<ConnectorState> state = ConnectorStateStore(db_).get("bank-inbox");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->consecutive_failures, 1);
  EXPECT_NE(state->last_error.find("injected read failure"), std::string::npos);
}

TEST_P(IngestPipelineParseAheadTest, AKnownFileIsADuplicateWithNothingOfItsParse) {
  // An unregistered account: parsing warns about it.
  put("a.csv", bank_csv_of("A", 2, "9999001"));
  put("b.csv", bank_csv("B", 1));
  fs_.fail_moves = true;  // committed, but never archived
  const std::vector<FileOutcome> first = drain_in_batches_of(2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].verdict, FileVerdict::Accepted);
  EXPECT_TRUE(std::any_of(first[0].warnings.begin(), first[0].warnings.end(), [](const Warning& w) {
    return w.message.find("unregistered account") != std::string::npos;
  }));
  const std::optional<ConnectorState> before = ConnectorStateStore(db_).get("bank-inbox");
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->records_read, 3);

  fs_.fail_moves = false;
  now_ = kNow + 60;
  const std::vector<FileOutcome> again = drain_in_batches_of(2);
  ASSERT_EQ(again.size(), 2u);
  for (const FileOutcome& outcome : again) {
    EXPECT_EQ(outcome.verdict, FileVerdict::Duplicate) << outcome.path;
    EXPECT_TRUE(outcome.warnings.empty()) << outcome.path;
    EXPECT_EQ(outcome.result.added, 0);
  }
  const std::optional<ConnectorState> after = ConnectorStateStore(db_).get("bank-inbox");
  EXPECT_EQ(after->pages_read, 4);    // a duplicate is a page ...
  EXPECT_EQ(after->records_read, 3);  // ... of no records
  EXPECT_EQ(count("SELECT count(*) FROM ingest_log WHERE status = 'duplicate'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_warnings"), 1);  // from the first pass only
}

INSTANTIATE_TEST_SUITE_P(ParseThreads, IngestPipelineParseAheadTest, ::testing::Values(0, 1, 3));

}  // namespace
}  // namespace sfmon::ingest_pipeline_test
