#include "sfmon/monitor/schema_migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sfmon/monitor/record_store.h"

namespace sfmon::schema_migrations_test {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("sfmon-migrate-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

bool has_table(SqliteDb& db, const std::string& name) {
  Statement& query = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = ?1");
  ResetGuard done(query);
  query.bind_text(1, name);
  EXPECT_TRUE(query.step());
  return query.column_int64(0) == 1;
}

bool has_column(SqliteDb& db, const std::string& table, const std::string& column) {
  Statement& query = db.prepare("SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2");
  ResetGuard done(query);
  query.bind_text(1, table).bind_text(2, column);
  EXPECT_TRUE(query.step());
  return query.column_int64(0) == 1;
}

// Rows as a version-1 sfmon would have written them.
constexpr const char* kVersion1Data = R"sql(
INSERT INTO schools (id, name, kind, nonprofit, inclusive, district, enrollment, min_balance_fen)
  VALUES ('CS-0001', '长沙市某某实验学校', 'primary', 1, 0, '岳麓区', 1200, 200000000);
INSERT INTO accounts (number, school_id, bank, role)
  VALUES ('43050180123400000001', 'CS-0001', '建设银行长沙分行', 'supervised');
INSERT INTO sources (name, kind, first_seen_at) VALUES ('bank-inbox', 'bank', 1700000000);
INSERT INTO ingest_log (id, source, path, sha256, kind, format, format_detail, status,
                        records_added, warnings, at)
  VALUES (1, 'bank-inbox', 'inbox/a.xml', 'abc', 'bank', 'camt', 'camt.053.001.02', 'accepted',
          1, 0, 1700000000);
INSERT INTO bank_records (account, bank_ref, ref_is_hash, booked_at_utc, booked_at_offset,
    booked_at_date_only, value_date, amount_fen, currency, status, reversal, reversal_of,
    cp_name, cp_name_normalised, cp_account, cp_bank, cp_class, cp_class_basis, purpose,
    tx_code, balance_after_fen, source_file, source_position, ingest_id)
  VALUES ('43050180123400000001', 'REF-1', 0, 1725244200, 480, 0, '2024-09-02', -150000,
          'CNY', 'booked', 0, '', '张三', '张三', '6222020000000001', '', 'person',
          'name-shape', '借款', '', NULL, 'inbox/a.xml', 'Stmt[1]/Ntry[1]', 1);
INSERT INTO fee_records (school_id, fee_id, student_id, paid_at_utc, paid_at_offset,
    paid_at_date_only, amount_fen, currency, fee_type, grade, period_start, period_end, hours,
    receiving_account, refund_of, enrolled_at, source_file, source_position, ingest_id)
  VALUES ('CS-0001', 'F-1', 'S-9', 1725206400, 480, 1, 1500000, 'CNY', 'tuition', 'all',
          '2024-09-01', '2025-01-31', NULL, '43050180123400000001', '', NULL, 'fees.csv',
          'line 2', 1);
)sql";

// The writes of the tables whose CHECKs version 8 rewrote.
constexpr const char* kCheckedWrites[] = {
    "INSERT INTO bank_records (cp_class) VALUES (?1)",
    "UPDATE bank_records SET cp_class = ?1 WHERE id = ?2",
    "INSERT INTO ingest_log (status) VALUES (?1)",
    "INSERT INTO alerts (level, status) VALUES (?1, ?2)",
    "UPDATE alerts SET level = ?1, status = ?2 WHERE id = ?3",
    "INSERT INTO alert_evidence (record_kind) VALUES (?1)",
    "INSERT INTO alert_evidence_refs (kind) VALUES (?1)",
};

// True when running `sql` builds a temporary B-tree: what an IN list of
// three or more constants in a CHECK costs on every row written.
bool builds_ephemeral_table(SqliteDb& db, const std::string& sql) {
  Statement program = db.prepare_uncached("EXPLAIN " + sql);
  while (program.step()) {
    if (program.column_text(1) == "OpenEphemeral") return true;
  }
  return false;
}

int count_schema(SqliteDb& db, const std::string& type) {
  Statement query = db.prepare_uncached("SELECT count(*) FROM sqlite_schema WHERE type = ?1");
  query.bind_text(1, type);
  EXPECT_TRUE(query.step());
  return static_cast<int>(query.column_int64(0));
}

// Stores a bank record like the one of kVersion1Data with another reference
// and counterparty class.
void insert_bank_record(SqliteDb& db, const std::string& bank_ref, const std::string& cp_class) {
  db.prepare_uncached(
        "INSERT INTO bank_records (account, bank_ref, ref_is_hash, booked_at_utc, "
        "booked_at_offset, booked_at_date_only, amount_fen, currency, status, reversal, "
        "reversal_of, cp_name, cp_name_normalised, cp_account, cp_bank, cp_class, cp_class_basis, "
        "purpose, tx_code, source_file, source_position, ingest_id) VALUES "
        "('43050180123400000001', ?1, 0, 1725244200, 480, 0, -100, 'CNY', 'booked', 0, '', '', "
        "'', '', '', ?2, '', '', '', 'a', 'b', 1)")
      .bind_text(1, bank_ref)
      .bind_text(2, cp_class)
      .run();
}

// A counterparty class outside the list is refused, with `message` in the error.
void expect_class_refused(SqliteDb& db, const std::string& bank_ref, const std::string& message) {
  try {
    insert_bank_record(db, bank_ref, "company");
    FAIL() << "a counterparty class outside the list must be refused";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
  }
}

void expect_bad_class_refused(SqliteDb& db) {
  expect_class_refused(db, "REF-BAD", "CHECK constraint failed");
  for (const char* cls : {"unknown", "person", "organisation"}) {
    EXPECT_NO_THROW(insert_bank_record(db, std::string("REF-") + cls, cls)) << cls;
  }
}

TEST(SchemaMigrationsTest, VersionsCountUpFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& step : schema_migrations()) {
    EXPECT_EQ(step.version, expected++) << step.description;
  }
  EXPECT_EQ(latest_schema_version(), expected - 1);
  EXPECT_GE(latest_schema_version(), 2);
}

TEST(SchemaMigrationsTest, FreshDatabaseMigratesToLatest) {
  SqliteDb db(":memory:");
  EXPECT_EQ(schema_version(db), 0);
  EXPECT_EQ(migrate(db), latest_schema_version());
  EXPECT_EQ(schema_version(db), latest_schema_version());
  for (const char* table :
       {"schools", "accounts", "related_parties", "fee_catalogue", "academic_terms", "sources",
        "cursors", "ingest_log", "ingest_warnings", "quarantine", "statements", "balances",
        "bank_records", "fee_records", "alert_evidence"}) {
    EXPECT_TRUE(has_table(db, table)) << table;
  }
  EXPECT_NO_THROW(require_latest_schema(db));
}

TEST(SchemaMigrationsTest, EnrolmentLookupsReadOnlyTheStudentIndex) {
  SqliteDb db(":memory:");
  migrate(db);
  // The shape of RuleRunner::load_enrolment's query: per school and student,
  // reading enrolment and payment times.
  Statement plan = db.prepare_uncached(
      "EXPLAIN QUERY PLAN SELECT min(enrolled_at), max(paid_at_utc) "
      "FROM fee_records WHERE school_id = 'CS-0001' AND student_id = 'S-1'");
  std::string details;
  while (plan.step()) details += plan.column_text(3) + "\n";
  EXPECT_NE(details.find("COVERING INDEX fee_records_by_student"), std::string::npos) << details;
  EXPECT_NE(details.find("(school_id=? AND student_id=?)"), std::string::npos) << details;
}

std::string query_plan(SqliteDb& db, const std::string& sql) {
  Statement plan = db.prepare_uncached("EXPLAIN QUERY PLAN " + sql);
  std::string details;
  while (plan.step()) details += plan.column_text(3) + "\n";
  return details;
}

TEST(SchemaMigrationsTest, KnownBalancesOfAnAccountAreFoundThroughTheirOwnIndex) {
  SqliteDb db(":memory:");
  migrate(db);
  // The shape of RuleRunner::last_closing_before's and next_closing_after's
  // lookups: without the partial index they read every entry of an account
  // whose statements give no balances.
  for (const char* order : {"DESC", "ASC"}) {
    const std::string details = query_plan(
        db, std::string("SELECT booked_at_utc FROM bank_records WHERE account = 'A' AND "
                        "booked_at_utc < 5 AND balance_after_fen IS NOT NULL AND status = "
                        "'booked' ORDER BY booked_at_utc ") +
                order + " LIMIT 1");
    EXPECT_NE(details.find("INDEX bank_records_with_balance"), std::string::npos) << details;
  }
}

TEST(SchemaMigrationsTest, SummaryFindsUncountedRecordsByRowid) {
  SqliteDb db(":memory:");
  migrate(db);
  // The shape of RecordStore::summary's count of records above the counted
  // ids: by rowid, not by reading the whole account index.
  const std::string details =
      query_plan(db,
                 "WITH fresh AS MATERIALIZED (SELECT account FROM bank_records "
                 "  WHERE id > (SELECT bank_counted_to FROM record_counts)) "
                 "SELECT account, count(*) FROM fresh GROUP BY account");
  EXPECT_NE(details.find("INTEGER PRIMARY KEY (rowid>?)"), std::string::npos) << details;
  EXPECT_EQ(details.find("bank_records_by_account_time"), std::string::npos) << details;
}

TEST(SchemaMigrationsTest, VersionSixDatabaseGetsItsRecordsCounted) {
  SqliteDb db(":memory:");
  migrate_to(db, 6);
  db.exec(kVersion1Data);
  db.exec(
      "INSERT INTO bank_records (account, bank_ref, ref_is_hash, booked_at_utc, booked_at_offset, "
      "booked_at_date_only, amount_fen, currency, status, reversal, reversal_of, cp_name, "
      "cp_name_normalised, cp_account, cp_bank, cp_class, cp_class_basis, purpose, tx_code, "
      "source_file, source_position, ingest_id) VALUES ('99990000000000000009', 'REF-2', 0, 0, "
      "0, 0, 1, 'CNY', 'pending', 0, '', '', '', '', '', 'unknown', '', '', '', 'a', 'b', 1)");
  EXPECT_EQ(migrate(db), latest_schema_version() - 6);
  EXPECT_TRUE(has_table(db, "record_counts"));
  Statement counts = db.prepare_uncached(
      "SELECT bank_counted_to, fee_records, fee_counted_to, "
      "(SELECT group_concat(account || '=' || records) FROM bank_record_counts) "
      "FROM record_counts");
  ASSERT_TRUE(counts.step());
  EXPECT_EQ(counts.column_int64(0), 2);
  EXPECT_EQ(counts.column_int64(1), 1);
  EXPECT_EQ(counts.column_int64(2), 1);
  EXPECT_EQ(counts.column_text(3), "43050180123400000001=1,99990000000000000009=1");

  RecordStore store(db);
  const StoreSummary summary = store.summary();
  EXPECT_EQ(summary.bank_records, 2);
  EXPECT_EQ(summary.bank_pending, 1);
  EXPECT_EQ(summary.bank_booked, 1);
  EXPECT_EQ(summary.unregistered_account_records, 1);
  EXPECT_EQ(summary.fee_records, 1);
}

TEST(SchemaMigrationsTest, FreshDatabaseChecksWithoutTemporaryTables) {
  SqliteDb db(":memory:");
  migrate(db);
  for (const char* sql : kCheckedWrites) EXPECT_FALSE(builds_ephemeral_table(db, sql)) << sql;
  db.exec(kVersion1Data);
  expect_bad_class_refused(db);
}

TEST(SchemaMigrationsTest, VersionSevenDatabaseGetsCheapChecksAndKeepsItsRows) {
  TempDir dir;
  const std::string path = dir.file("seven.db");
  int triggers = 0;
  int indexes = 0;
  {
    SqliteDb old_db(path);
    migrate_to(old_db, 7);
    old_db.exec(kVersion1Data);
    // What version 8 is for: each of these builds a temporary table per row.
    for (const char* sql : kCheckedWrites) {
      EXPECT_TRUE(builds_ephemeral_table(old_db, sql)) << sql;
    }
    triggers = count_schema(old_db, "trigger");
    indexes = count_schema(old_db, "index");
  }
  // A connection that read the old schema before the upgrade.
  SqliteDb other(path);
  EXPECT_TRUE(builds_ephemeral_table(other, kCheckedWrites[0]));
  SqliteDb db(path);
  EXPECT_EQ(migrate_to(db, 8), 1);
  EXPECT_EQ(schema_version(db), 8);
  for (const char* sql : kCheckedWrites) EXPECT_FALSE(builds_ephemeral_table(db, sql)) << sql;
  EXPECT_EQ(count_schema(db, "trigger"), triggers);
  EXPECT_EQ(count_schema(db, "index"), indexes);

  EXPECT_EQ(migrate(db), latest_schema_version() - 8);  // the rest, for RecordStore
  RecordStore store(db);
  const std::vector<RecordRow> rows = store.list_records({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].id, "REF-1");
  EXPECT_EQ(rows[1].counterparty_class, CounterpartyClass::Person);
  EXPECT_EQ(store.summary().bank_records, 1);
  expect_bad_class_refused(db);

  Statement check = db.prepare_uncached("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.column_text(0), "ok");
  // The raised schema_version makes it read the new schema at its next
  // statement (EXPLAIN alone does not look at the version).
  expect_class_refused(other, "REF-OTHER", "cp_class = 'unknown' OR");
  EXPECT_FALSE(builds_ephemeral_table(other, kCheckedWrites[0]));
}

TEST(SchemaMigrationsTest, CheapChecksAreWrittenInDefensiveMode) {
  SqliteDb db(":memory:");
  migrate_to(db, 7);
  int defensive = 0;
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  EXPECT_EQ(migrate_to(db, 8), 1);
  EXPECT_FALSE(builds_ephemeral_table(db, kCheckedWrites[0]));
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
  EXPECT_EQ(defensive, 1);  // restored
}

TEST(SchemaMigrationsTest, CheckRewriteFailsLoudlyWhenTheSchemaTextDiffers) {
  SqliteDb db(":memory:");
  migrate_to(db, 7);
  Statement cookie = db.prepare_uncached("PRAGMA schema_version");
  ASSERT_TRUE(cookie.step());
  const std::int64_t version = cookie.column_int64(0);
  cookie.reset();
  // The last table's CHECK spelled differently from what version 3 wrote, as
  // a hand-edited database might have it; the tables before it are rewritten
  // by then.
  db.exec(
      "PRAGMA writable_schema = ON; "
      "UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (', 'kind IN  (') "
      "WHERE type = 'table' AND name = 'alert_evidence_refs'; "
      "PRAGMA schema_version = " +
      std::to_string(version + 1) + "; PRAGMA writable_schema = OFF");
  try {
    migrate(db);
    FAIL() << "step 8 must fail";
  } catch (const StoreError& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("migration 8"), std::string::npos) << text;
    EXPECT_NE(text.find("schema of table alert_evidence_refs, found it 0 times"), std::string::npos)
        << text;
  }
  EXPECT_EQ(schema_version(db), 7);
  EXPECT_FALSE(db.in_transaction());
  // Nothing of the step stayed: not the other tables' rewrites, not
  // writable_schema.
  for (const char* sql : kCheckedWrites) EXPECT_TRUE(builds_ephemeral_table(db, sql)) << sql;
  Statement stored = db.prepare_uncached(
      "SELECT count(*) FROM sqlite_schema WHERE name = 'bank_records' AND sql LIKE '%cp_class IN "
      "(%'");
  ASSERT_TRUE(stored.step());
  EXPECT_EQ(stored.column_int64(0), 1);
  int writable = 0;
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_WRITABLE_SCHEMA, -1, &writable);
  EXPECT_EQ(writable, 0);
}

TEST(SchemaMigrationsTest, MigratingACurrentDatabaseDoesNothing) {
  SqliteDb db(":memory:");
  migrate(db);
  EXPECT_EQ(migrate(db), 0);
  EXPECT_EQ(schema_version(db), latest_schema_version());
}

TEST(SchemaMigrationsTest, MigrateToStopsAtTheRequestedVersion) {
  SqliteDb db(":memory:");
  EXPECT_EQ(migrate_to(db, 1), 1);
  EXPECT_EQ(schema_version(db), 1);
  EXPECT_FALSE(has_table(db, "alert_evidence"));
  EXPECT_FALSE(has_column(db, "ingest_log", "records_promoted"));
}

TEST(SchemaMigrationsTest, VersionOneDatabaseWithDataUpgradesAndKeepsIt) {
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    SqliteDb old_db(path);
    migrate_to(old_db, 1);
    old_db.exec(kVersion1Data);
  }
  SqliteDb db(path);
  EXPECT_EQ(migrate(db), latest_schema_version() - 1);
  EXPECT_TRUE(has_column(db, "ingest_log", "records_promoted"));
  EXPECT_TRUE(has_table(db, "alert_evidence"));

  RecordStore store(db);
  const std::vector<RecordRow> rows = store.list_records({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].kind, RecordKind::Fee);  // paid 2024-09-02 00:00 +08:00, before the debit
  EXPECT_EQ(rows[0].id, "F-1");
  EXPECT_EQ(rows[1].id, "REF-1");
  EXPECT_EQ(rows[1].school_id, "CS-0001");
  EXPECT_EQ(rows[1].amount_fen, -150000);
  EXPECT_EQ(rows[1].counterparty_class, CounterpartyClass::Person);
  const StoreSummary summary = store.summary();
  EXPECT_EQ(summary.files_accepted, 1);
  EXPECT_EQ(summary.unregistered_account_records, 0);
  EXPECT_TRUE(store.has_ingested("abc", "bank"));
}

TEST(SchemaMigrationsTest, DatabaseNewerThanTheBinaryIsRefusedUntouched) {
  SqliteDb db(":memory:");
  migrate(db);
  const int future = latest_schema_version() + 1;
  db.exec("PRAGMA user_version = " + std::to_string(future));
  try {
    migrate(db);
    FAIL() << "a newer database must be refused";
  } catch (const SchemaVersionError& error) {
    EXPECT_EQ(error.found_version(), future);
    EXPECT_EQ(error.supported_version(), latest_schema_version());
    EXPECT_NE(std::string(error.what()).find("newer than this sfmon supports"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(schema_version(db), future);
  EXPECT_THROW(require_latest_schema(db), SchemaVersionError);
}

TEST(SchemaMigrationsTest, RecordStoreRefusesAnOutdatedSchema) {
  SqliteDb db(":memory:");
  migrate_to(db, 1);
  try {
    RecordStore store(db);
    FAIL() << "a version-1 database must not be used by the current store";
  } catch (const SchemaVersionError& error) {
    EXPECT_NE(std::string(error.what()).find("migrate it first"), std::string::npos);
  }
}

TEST(SchemaMigrationsTest, FailingStepIsRolledBackAndEarlierStepsStay) {
  SqliteDb db(":memory:");
  migrate_to(db, 1);
  // Makes step 2's CREATE TABLE fail after its ALTER TABLE already ran.
  db.exec("CREATE TABLE alert_evidence (x INTEGER)");
  try {
    migrate(db);
    FAIL() << "step 2 must fail";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("migration 2"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("already exists"), std::string::npos) << error.what();
  }
  EXPECT_EQ(schema_version(db), 1);
  EXPECT_FALSE(has_column(db, "ingest_log", "records_promoted"));
  EXPECT_FALSE(db.in_transaction());
}

TEST(SchemaMigrationsTest, UnknownTargetVersionIsRefused) {
  SqliteDb db(":memory:");
  EXPECT_THROW(migrate_to(db, latest_schema_version() + 1), SchemaVersionError);
  EXPECT_THROW(migrate_to(db, -1), SchemaVersionError);
  EXPECT_EQ(schema_version(db), 0);
}

}  // namespace
}  // namespace sfmon::schema_migrations_test
