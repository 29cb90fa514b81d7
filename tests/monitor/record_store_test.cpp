#include "sfmon/monitor/record_store.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "../../monitor/src/window_totals_store.h"
#include "bank_file_fixture.h"
#include "sfmon/monitor/schema_migrations.h"

namespace sfmon::record_store_test {
namespace {

constexpr std::int64_t kNow = 1'730'000'000;
constexpr const char* kSupervised = "43050180123400000001";
constexpr const char* kBasic = "43050180123400000002";
constexpr const char* kStranger = "99990000000000000009";

Instant at(const std::string& text) {
  const std::optional<Instant> instant = parse_iso_instant(text, Zone{});
  if (!instant) throw std::invalid_argument("bad test instant " + text);
  return *instant;
}

Date day(const std::string& text) {
  const std::optional<Date> date = parse_iso_date(text);
  if (!date) throw std::invalid_argument("bad test date " + text);
  return *date;
}

BankRecord bank_record(const std::string& ref, Fen amount, const std::string& when,
                       const std::string& account = kSupervised) {
  BankRecord record;
  record.account = account;
  record.bank_ref = ref;
  record.booked_at = at(when);
  record.amount_fen = amount;
  record.currency = "CNY";
  record.counterparty.name = "湖南某某教育投资有限公司";
  record.counterparty.account = "43001234567890";
  record.counterparty.cls = CounterpartyClass::Organisation;
  record.counterparty.basis = ClassBasis::LegalForm;
  record.purpose = "学费";
  record.source = {"inbox/stmt.xml", "Stmt[1]/Ntry[" + ref + "]"};
  return record;
}

BankFile bank_file(std::vector<BankRecord> records, const std::string& account = kSupervised) {
  return testing::camt_file(std::move(records), account);
}

FeeRecord fee_record(const std::string& fee_id, Fen amount, const std::string& when) {
  FeeRecord record;
  record.fee_id = fee_id;
  record.school_id = "CS-0001";
  record.student_id = "S-" + fee_id;
  record.paid_at = at(when);
  record.amount_fen = amount;
  record.fee_type = "tuition";
  record.grade = "all";
  record.period_start = day("2024-09-01");
  record.period_end = day("2025-01-31");
  record.receiving_account = kSupervised;
  record.source = {"inbox/fees.csv", "line " + fee_id};
  return record;
}

FileOrigin bank_origin(const std::string& sha = "sha-bank-1") {
  return {"bank-inbox", "inbox/stmt.xml", sha, "bank", ""};
}

FileOrigin fee_origin(const std::string& sha = "sha-fee-1") {
  return {"fee-api", "http://127.0.0.1:9000/fees?since=", sha, "fee", "http"};
}

School school(const std::string& id, const std::vector<std::string>& accounts) {
  School result;
  result.id = id;
  result.name = "学校 " + id;
  result.kind = SchoolKind::Primary;
  result.district = "岳麓区";
  result.enrollment = 1200;
  result.min_balance_fen = 200'000'000;
  for (const std::string& number : accounts) {
    result.accounts.push_back({number, "建设银行长沙分行", AccountRole::Supervised});
  }
  result.related_parties.push_back({"张三", "6222 0200 0000 0001", "director"});
  result.fee_catalogue.push_back({"tuition", "all", 1'500'000, FeePer::Semester});
  result.academic_calendar.push_back({"2024-autumn", day("2024-09-01"), day("2025-01-31")});
  return result;
}

SqliteDb migrated_memory_db() {
  SqliteDb db(":memory:");
  migrate(db);
  return db;
}

class RecordStoreTest : public ::testing::Test {
 protected:
  std::int64_t count(const std::string& sql) {
    Statement& query = db_.prepare(sql);
    ResetGuard done(query);
    EXPECT_TRUE(query.step()) << sql;
    return query.column_int64(0);
  }

  std::vector<std::string> ids(const RecordFilter& filter) {
    std::vector<std::string> result;
    for (const RecordRow& row : store_.list_records(filter)) result.push_back(row.id);
    return result;
  }

  SqliteDb db_ = migrated_memory_db();
  RecordStore store_{db_, [] { return kNow; }};
};

// ------------------------------------------------------------- bank files

TEST_F(RecordStoreTest, StoresABankFileAndCountsIt) {
  BankFile file = bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00"),
                             bank_record("R2", -50, "2024-09-02T11:00:00+08:00")});
  file.warnings.push_back({"inbox/stmt.xml", "Stmt[1]", "opening + entries != closing"});
  const IngestResult result = store_.store_bank_file(file, bank_origin());
  EXPECT_GT(result.ingest_id, 0);
  EXPECT_EQ(result.added, 2);
  EXPECT_EQ(result.duplicates, 0);
  EXPECT_EQ(result.promoted, 0);
  EXPECT_EQ(result.warnings, 1);
  EXPECT_EQ(count("SELECT count(*) FROM ingest_warnings WHERE message LIKE 'opening%'"), 1);
  EXPECT_EQ(count("SELECT records_added FROM ingest_log WHERE format_detail = 'camt.053.001.02' "
                  "AND status = 'accepted' AND at = 1730000000"),
            2);
  EXPECT_EQ(count("SELECT record_count FROM statements WHERE statement_id = 'STMT-1'"), 2);
}

TEST_F(RecordStoreTest, StoringTheSameBankFileTwiceAddsNothing) {
  const BankFile file = bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00"),
                                   bank_record("R2", -50, "2024-09-02T11:00:00+08:00")});
  store_.store_bank_file(file, bank_origin());
  const IngestResult again = store_.store_bank_file(file, bank_origin());
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.duplicates, 2);
  const StoreSummary summary = store_.summary();
  EXPECT_EQ(summary.bank_records, 2);
  EXPECT_EQ(summary.files_accepted, 1);
  EXPECT_EQ(summary.files_duplicate, 1);
}

TEST_F(RecordStoreTest, SummaryCountsPendingBookedAndUnregisteredRecords) {
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised})}});
  BankRecord pending = bank_record("R2", -50, "2024-09-02T11:00:00+08:00");
  pending.status = EntryStatus::Pending;
  store_.store_bank_file(bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00"), pending}),
                         bank_origin());
  store_.store_bank_file(bank_file({bank_record("R9", 7, "2024-09-03T10:00:00+08:00", kStranger),
                                    bank_record("R8", 8, "2024-09-03T11:00:00+08:00", kStranger)},
                                   kStranger),
                         bank_origin("sha-bank-2"));
  store_.store_fee_records({fee_record("F1", 100, "2024-09-02T09:00:00+08:00")}, fee_origin());
  StoreSummary summary = store_.summary();
  EXPECT_EQ(summary.bank_records, 4);
  EXPECT_EQ(summary.bank_pending, 1);
  EXPECT_EQ(summary.bank_booked, 3);
  EXPECT_EQ(summary.unregistered_account_records, 2);
  EXPECT_EQ(summary.fee_records, 1);
  EXPECT_EQ(summary.files_accepted, 3);

  // Registering the stranger's account makes its records registered at once.
  store_.sync_registry(
      Registry{{school("CS-0001", {kSupervised}), school("CS-0002", {kStranger})}});
  EXPECT_EQ(store_.summary().unregistered_account_records, 0);
}

TEST_F(RecordStoreTest, SameReferenceOnAnotherAccountIsAnotherRecord) {
  store_.store_bank_file(bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00")}),
                         bank_origin("a"));
  const IngestResult other = store_.store_bank_file(
      bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00", kBasic)}, kBasic),
      bank_origin("b"));
  EXPECT_EQ(other.added, 1);
}

TEST_F(RecordStoreTest, AccountNumbersAreComparedNormalised) {
  store_.store_bank_file(bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00")}),
                         bank_origin("a"));
  const IngestResult spaced = store_.store_bank_file(
      bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00", "4305 0180-1234 0000 0001")}),
      bank_origin("b"));
  EXPECT_EQ(spaced.added, 0);
  EXPECT_EQ(spaced.duplicates, 1);
}

TEST_F(RecordStoreTest, RecordWithoutAccountTakesItsStatementAccount) {
  BankRecord record = bank_record("R1", 100, "2024-09-02T10:00:00+08:00");
  record.account.clear();
  store_.store_bank_file(bank_file({record}), bank_origin());
  const std::vector<RecordRow> rows = store_.list_records({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].account, kSupervised);
}

TEST_F(RecordStoreTest, BookedRecordPromotesTheStoredPendingOne) {
  BankRecord pending = bank_record("R1", 100, "2024-09-02T10:00:00+08:00");
  pending.status = EntryStatus::Pending;
  pending.purpose = "预授权";
  store_.store_bank_file(bank_file({pending}), bank_origin("a"));
  const std::int64_t row_id = store_.list_records({}).at(0).row_id;

  BankRecord booked = bank_record("R1", 120, "2024-09-03T09:00:00+08:00");
  booked.source = {"inbox/stmt2.xml", "Stmt[1]/Ntry[7]"};
  const IngestResult result = store_.store_bank_file(bank_file({booked}), bank_origin("b"));
  EXPECT_EQ(result.added, 0);
  EXPECT_EQ(result.promoted, 1);
  EXPECT_EQ(result.duplicates, 0);
  EXPECT_EQ(count("SELECT records_promoted FROM ingest_log WHERE sha256 = 'b'"), 1);

  const std::vector<RecordRow> rows = store_.list_records({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row_id, row_id);
  EXPECT_EQ(rows[0].status, EntryStatus::Booked);
  EXPECT_EQ(rows[0].amount_fen, 120);
  EXPECT_EQ(rows[0].purpose, "学费");
  EXPECT_EQ(rows[0].time, at("2024-09-03T09:00:00+08:00"));
  EXPECT_EQ(rows[0].source.file, "inbox/stmt2.xml");
  EXPECT_EQ(rows[0].source.position, "Stmt[1]/Ntry[7]");
}

TEST_F(RecordStoreTest, PendingRecordNeverReplacesABookedOne) {
  store_.store_bank_file(bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00")}),
                         bank_origin("a"));
  BankRecord pending = bank_record("R1", 999, "2024-09-03T10:00:00+08:00");
  pending.status = EntryStatus::Pending;
  const IngestResult result = store_.store_bank_file(bank_file({pending}), bank_origin("b"));
  EXPECT_EQ(result.duplicates, 1);
  EXPECT_EQ(result.promoted, 0);
  const RecordRow row = store_.list_records({}).at(0);
  EXPECT_EQ(row.status, EntryStatus::Booked);
  EXPECT_EQ(row.amount_fen, 100);
}

TEST_F(RecordStoreTest, PendingAndBookedInOneFileEndBooked) {
  BankRecord pending = bank_record("R1", 100, "2024-09-02T10:00:00+08:00");
  pending.status = EntryStatus::Pending;
  const IngestResult result = store_.store_bank_file(
      bank_file({pending, bank_record("R1", 100, "2024-09-02T12:00:00+08:00")}), bank_origin());
  EXPECT_EQ(result.added, 1);
  EXPECT_EQ(result.promoted, 1);
  EXPECT_EQ(store_.summary().bank_booked, 1);
  EXPECT_EQ(store_.summary().bank_pending, 0);
}

TEST_F(RecordStoreTest, FailingRecordLeavesNothingOfItsFile) {
  BankFile file = bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00"),
                             bank_record("R2", 200, "2024-09-02T11:00:00+08:00"),
                             bank_record("R3", 300, "2024-09-02T12:00:00+08:00")});
  file.statements[0].opening = Balance{BalanceType::Opening, day("2024-09-02"), 1000, "CNY"};
  file.warnings.push_back({"inbox/stmt.xml", "", "a warning"});
  file.statements[0].records[1].currency = "";  // violates the currency CHECK half way
  EXPECT_THROW(store_.store_bank_file(file, bank_origin()), StoreError);

  EXPECT_FALSE(db_.in_transaction());
  for (const char* table :
       {"bank_records", "ingest_log", "ingest_warnings", "statements", "balances", "sources"}) {
    EXPECT_EQ(count(std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  EXPECT_FALSE(store_.has_ingested("sha-bank-1", "bank"));
}

TEST_F(RecordStoreTest, StoreErrorNamesTheFailingRecord) {
  BankRecord record = bank_record("", 100, "2024-09-02T10:00:00+08:00");
  record.source = {"inbox/bad.xml", "Stmt[1]/Ntry[4]"};
  try {
    store_.store_bank_file(bank_file({record}), bank_origin());
    FAIL() << "a record without a reference must be refused";
  } catch (const StoreError& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("inbox/bad.xml: Stmt[1]/Ntry[4]"), std::string::npos) << text;
    EXPECT_NE(text.find("CHECK constraint failed"), std::string::npos) << text;
    EXPECT_NE(text.find("INSERT INTO bank_records"), std::string::npos) << text;
  }
}

TEST_F(RecordStoreTest, BalancesKeepTheFirstOfAnAccountDayAndType) {
  BankFile first = bank_file({});
  first.statements[0].opening = Balance{BalanceType::Opening, day("2024-09-01"), 1000, "CNY"};
  first.statements[0].closing = Balance{BalanceType::Closing, day("2024-09-02"), 5000, ""};
  store_.store_bank_file(first, bank_origin("a"));
  BankFile second = bank_file({});
  second.statements[0].opening = Balance{BalanceType::Opening, day("2024-09-02"), 5000, "CNY"};
  second.statements[0].closing = Balance{BalanceType::Closing, day("2024-09-02"), 7777, "CNY"};
  store_.store_bank_file(second, bank_origin("b"));

  EXPECT_EQ(count("SELECT count(*) FROM balances"), 3);
  EXPECT_EQ(count("SELECT amount_fen FROM balances WHERE date = '2024-09-02' AND type = 'closing' "
                  "AND currency = 'CNY'"),
            5000);
  EXPECT_EQ(count("SELECT count(*) FROM statements WHERE opening_date IS NOT NULL "
                  "AND closing_fen IS NOT NULL"),
            2);
}

// -------------------------------------------------- ingest bookkeeping

TEST_F(RecordStoreTest, HasIngestedOnlyAfterAcceptance) {
  EXPECT_FALSE(store_.has_ingested("sha-bank-1", "bank"));
  store_.record_rejection(bank_origin(), "not a bank file", "quarantine/stmt.xml");
  EXPECT_FALSE(store_.has_ingested("sha-bank-1", "bank"));
  store_.store_bank_file(bank_file({}), bank_origin());
  EXPECT_TRUE(store_.has_ingested("sha-bank-1", "bank"));
  EXPECT_FALSE(store_.has_ingested("sha-bank-1", "fee"));
}

TEST_F(RecordStoreTest, RejectionIsLoggedWithItsQuarantinePath) {
  const std::int64_t id =
      store_.record_rejection(bank_origin(), "stmt.xml:3:1: unknown root", "quarantine/stmt.xml");
  EXPECT_EQ(count("SELECT count(*) FROM quarantine WHERE ingest_id = " + std::to_string(id) +
                  " AND path = 'quarantine/stmt.xml' AND error LIKE '%unknown root'"),
            1);
  store_.record_rejection(fee_origin(), "HTTP 404", "");  // a page has nowhere to go
  EXPECT_EQ(count("SELECT count(*) FROM quarantine"), 1);
  EXPECT_EQ(store_.summary().files_rejected, 2);
}

TEST_F(RecordStoreTest, SkippedDuplicateFileIsLogged) {
  store_.store_bank_file(bank_file({}), bank_origin());
  const std::int64_t id = store_.record_duplicate(bank_origin());
  EXPECT_GT(id, 0);
  EXPECT_EQ(store_.summary().files_duplicate, 1);
  EXPECT_EQ(store_.summary().files_accepted, 1);
}

// ------------------------------------------------------------ fee records

TEST_F(RecordStoreTest, StoringTheSameFeeRecordTwiceAddsNothing) {
  const std::vector<FeeRecord> records{fee_record("F1", 1'500'000, "2024-09-02"),
                                       fee_record("F2", 80'000, "2024-09-03")};
  EXPECT_EQ(store_.store_fee_records(records, fee_origin("p1")).added, 2);
  const IngestResult again = store_.store_fee_records(records, fee_origin("p2"));
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.duplicates, 2);
  EXPECT_EQ(store_.summary().fee_records, 2);
}

TEST_F(RecordStoreTest, FeeCursorIsWrittenWithItsRecords) {
  EXPECT_EQ(store_.cursor("fee-api"), std::nullopt);
  store_.store_fee_records({fee_record("F1", 100, "2024-09-02")}, fee_origin("p1"),
                           std::make_pair(std::string("fee-api"), std::string("c-1")));
  EXPECT_EQ(store_.cursor("fee-api"), "c-1");
  store_.store_fee_records({}, fee_origin("p2"),
                           std::make_pair(std::string("fee-api"), std::string("c-2")));
  EXPECT_EQ(store_.cursor("fee-api"), "c-2");
  EXPECT_EQ(count("SELECT updated_at FROM cursors WHERE source = 'fee-api'"), kNow);
}

TEST_F(RecordStoreTest, FeeCursorDoesNotMoveWhenItsRecordsFail) {
  store_.store_fee_records({fee_record("F1", 100, "2024-09-02")}, fee_origin("p1"),
                           std::make_pair(std::string("fee-api"), std::string("c-1")));
  FeeRecord bad = fee_record("F3", 100, "2024-09-04");
  bad.school_id.clear();
  EXPECT_THROW(
      store_.store_fee_records({fee_record("F2", 100, "2024-09-03"), bad}, fee_origin("p2"),
                               std::make_pair(std::string("fee-api"), std::string("c-2"))),
      StoreError);
  EXPECT_EQ(store_.cursor("fee-api"), "c-1");
  EXPECT_EQ(ids({}), std::vector<std::string>{"F1"});
  EXPECT_FALSE(store_.has_ingested("p2", "fee"));
}

TEST_F(RecordStoreTest, StoreJoinsTheCallersTransaction) {
  {
    Transaction outer(db_);
    store_.store_bank_file(bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00")}),
                           bank_origin());
    // The alerts the records caused would be written here; then a crash.
  }
  EXPECT_EQ(store_.summary().bank_records, 0);
  EXPECT_FALSE(store_.has_ingested("sha-bank-1", "bank"));
}

// ---------------------------------------------------------------- registry

TEST_F(RecordStoreTest, UnregisteredAccountJoinsItsSchoolWhenRegistered) {
  store_.store_bank_file(
      bank_file({bank_record("R1", 100, "2024-09-02T10:00:00+08:00", kStranger)}, kStranger),
      bank_origin());
  EXPECT_EQ(store_.list_records({}).at(0).school_id, "");
  EXPECT_EQ(store_.summary().unregistered_account_records, 1);

  store_.sync_registry(
      Registry{{school("CS-0001", {kSupervised}), school("CS-0002", {kStranger})}});
  EXPECT_EQ(store_.list_records({}).at(0).school_id, "CS-0002");
  EXPECT_EQ(store_.summary().unregistered_account_records, 0);
  RecordFilter filter;
  filter.school_id = "CS-0002";
  EXPECT_EQ(ids(filter), std::vector<std::string>{"R1"});
}

TEST_F(RecordStoreTest, SyncRegistryReplacesThePreviousRegistry) {
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised}), school("CS-0002", {kBasic})}});
  School moved = school("CS-0001", {kSupervised, "4305-0180 1234 0000 0002"});
  moved.name = "新名称";
  store_.sync_registry(Registry{{moved}});
  EXPECT_EQ(count("SELECT count(*) FROM schools"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM schools WHERE name = '新名称'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM accounts WHERE school_id = 'CS-0001'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM related_parties WHERE account = '6222020000000001' "
                  "AND name_normalised = '张三'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM fee_catalogue"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM academic_terms WHERE end_date = '2025-01-31'"), 1);
}

TEST_F(RecordStoreTest, ASchoolThatLeavesTheRegistryLeavesNoDailyTotals) {
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised}), school("CS-0002", {kBasic})}});
  WindowTotalsUpdate update;
  update.rules.push_back(
      {"FUND-ANOMALY", {rules::DayTotals{20'000, {}}, rules::DayTotals{20'001, {}}}});
  WindowTotalsStore totals(db_);
  totals.write("CS-0001", "B1", update);
  totals.write("CS-0002", "B1", update);
  // A registry change that keeps both schools leaves their rows to the next
  // judging of each (which prunes what the new basis makes stale).
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised}), school("CS-0002", {kBasic})}});
  EXPECT_EQ(count("SELECT count(*) FROM window_day_totals"), 4);
  // CS-0002 leaves: it is judged no more, so nothing else would drop them.
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised})}});
  EXPECT_EQ(count("SELECT count(*) FROM window_day_totals WHERE school_id = 'CS-0001'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM window_day_totals WHERE school_id = 'CS-0002'"), 0);
}

TEST_F(RecordStoreTest, RegistryWithAnAccountOfTwoSchoolsIsRefusedWhole) {
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised})}});
  try {
    store_.sync_registry(
        Registry{{school("CS-0001", {kSupervised}), school("CS-0002", {kSupervised})}});
    FAIL() << "an account owned twice must be refused";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("registry school CS-0002 account"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(count("SELECT count(*) FROM schools"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM accounts"), 1);
}

TEST_F(RecordStoreTest, RegistryNamingASchoolTwiceIsRefused) {
  EXPECT_THROW(store_.sync_registry(Registry{{school("CS-0001", {}), school("CS-0001", {})}}),
               StoreError);
  EXPECT_EQ(count("SELECT count(*) FROM schools"), 0);
}

// ------------------------------------------------------------ list_records

class ListRecordsTest : public RecordStoreTest {
 protected:
  ListRecordsTest() {
    store_.sync_registry(Registry{{school("CS-0001", {kSupervised, kBasic})}});
    store_.store_bank_file(bank_file({bank_record("B-late", -300, "2024-09-03T08:00:00+08:00"),
                                      bank_record("B-early", 100, "2024-09-01T23:30:00+08:00"),
                                      bank_record("B-same", 200, "2024-09-02T00:00:00+08:00")}),
                           bank_origin());
    store_.store_bank_file(
        bank_file({bank_record("B-other", 50, "2024-09-02T09:00:00+08:00", kStranger)}, kStranger),
        bank_origin("sha-stranger"));
    FeeRecord elsewhere = fee_record("F-basic", 70, "2024-09-02T09:30:00+08:00");
    elsewhere.receiving_account = "4305 0180 1234 0000 0002";
    store_.store_fee_records({fee_record("F-same", 1'500'000, "2024-09-02"), elsewhere},
                             fee_origin());
  }
};

TEST_F(ListRecordsTest, OrdersByTimeThenKindThenId) {
  EXPECT_EQ(ids({}), (std::vector<std::string>{"B-early", "B-same", "F-same", "B-other", "F-basic",
                                               "B-late"}));
}

TEST_F(ListRecordsTest, FiltersByKind) {
  RecordFilter filter;
  filter.kind = RecordKind::Fee;
  EXPECT_EQ(ids(filter), (std::vector<std::string>{"F-same", "F-basic"}));
  filter.kind = RecordKind::Bank;
  EXPECT_EQ(ids(filter).size(), 4u);
}

TEST_F(ListRecordsTest, FiltersBySchoolThroughTheAccountRegistry) {
  RecordFilter filter;
  filter.school_id = "CS-0001";
  EXPECT_EQ(ids(filter),
            (std::vector<std::string>{"B-early", "B-same", "F-same", "F-basic", "B-late"}));
  filter.school_id = "CS-9999";
  EXPECT_TRUE(ids(filter).empty());
}

TEST_F(ListRecordsTest, FiltersByAccountWrittenAnyWay) {
  RecordFilter filter;
  filter.account = "4305-0180-1234-0000-0002";
  EXPECT_EQ(ids(filter), std::vector<std::string>{"F-basic"});
  filter.account = kStranger;
  EXPECT_EQ(ids(filter), std::vector<std::string>{"B-other"});
}

TEST_F(ListRecordsTest, DateBoundsAreInclusiveLocalDays) {
  RecordFilter filter;
  filter.from = day("2024-09-02");
  filter.to = day("2024-09-02");
  // 2024-09-01T23:30+08:00 is 15:30 UTC on the 1st; 2024-09-03T08:00+08:00 is the 3rd.
  EXPECT_EQ(ids(filter), (std::vector<std::string>{"B-same", "F-same", "B-other", "F-basic"}));
  filter.from = day("2024-09-03");
  filter.to.reset();
  EXPECT_EQ(ids(filter), std::vector<std::string>{"B-late"});
}

TEST_F(ListRecordsTest, DateBoundsFollowTheGivenZone) {
  RecordFilter filter;
  filter.to = day("2024-09-01");
  std::vector<std::string> found;
  for (const RecordRow& row : store_.list_records(filter, Zone{"UTC", 0})) found.push_back(row.id);
  // In UTC, 2024-09-02T00:00+08:00 and the date-only fee (00:00 +08:00) fall on the 1st.
  EXPECT_EQ(found, (std::vector<std::string>{"B-early", "B-same", "F-same"}));
}

TEST_F(ListRecordsTest, LimitKeepsTheEarliest) {
  RecordFilter filter;
  filter.limit = 2;
  EXPECT_EQ(ids(filter), (std::vector<std::string>{"B-early", "B-same"}));
  filter.limit = -1;
  EXPECT_THROW(store_.list_records(filter), StoreError);
}

TEST_F(ListRecordsTest, FlaggedOnlyReturnsAlertEvidenceWithItsAlertIds) {
  RecordFilter flagged;
  flagged.flagged_only = true;
  EXPECT_TRUE(ids(flagged).empty());

  std::int64_t late_id = 0;
  std::int64_t fee_id = 0;
  for (const RecordRow& row : store_.list_records({})) {
    if (row.id == "B-late") late_id = row.row_id;
    if (row.id == "F-same") fee_id = row.row_id;
  }
  for (const auto& [alert, kind, id] :
       {std::tuple{12, "bank", late_id}, std::tuple{3, "bank", late_id},
        std::tuple{5, "fee", fee_id}, std::tuple{7, "balance", late_id}}) {
    db_.prepare("INSERT INTO alert_evidence (alert_id, record_kind, record_id) VALUES (?1, ?2, ?3)")
        .bind_int64(1, alert)
        .bind_text(2, kind)
        .bind_int64(3, id)
        .run();
  }
  const std::vector<RecordRow> rows = store_.list_records(flagged);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "F-same");
  EXPECT_EQ(rows[0].alert_ids, std::vector<std::int64_t>{5});
  EXPECT_EQ(rows[1].id, "B-late");
  EXPECT_EQ(rows[1].alert_ids, (std::vector<std::int64_t>{3, 12}));
}

TEST_F(RecordStoreTest, BankRowCarriesEveryField) {
  store_.sync_registry(Registry{{school("CS-0001", {kSupervised})}});
  BankRecord record = bank_record("R1", -5'000'000, "2024-09-02T10:30:00+08:00");
  record.counterparty = {"张三", "6222 0200 0000 0001", "工商银行", CounterpartyClass::Person,
                         ClassBasis::NameShape};
  record.purpose = "借款 归还";
  record.reversal = true;
  record.reversal_of = "R0";
  record.status = EntryStatus::Pending;
  store_.store_bank_file(bank_file({record}), bank_origin());

  const RecordRow row = store_.list_records({}).at(0);
  EXPECT_EQ(row.kind, RecordKind::Bank);
  EXPECT_EQ(row.id, "R1");
  EXPECT_EQ(row.school_id, "CS-0001");
  EXPECT_EQ(row.account, kSupervised);
  EXPECT_EQ(row.time, at("2024-09-02T10:30:00+08:00"));
  EXPECT_EQ(row.time.offset_minutes, 480);
  EXPECT_EQ(row.amount_fen, -5'000'000);
  EXPECT_EQ(row.currency, "CNY");
  EXPECT_EQ(row.status, EntryStatus::Pending);
  EXPECT_EQ(row.counterparty_name, "张三");
  EXPECT_EQ(row.counterparty_account, "6222020000000001");
  EXPECT_EQ(row.counterparty_class, CounterpartyClass::Person);
  EXPECT_EQ(row.counterparty_basis, ClassBasis::NameShape);
  EXPECT_EQ(row.purpose, "借款 归还");
  EXPECT_TRUE(row.reversal);
  EXPECT_EQ(row.reversal_of, "R0");
  EXPECT_EQ(row.fee_type, "");
  EXPECT_EQ(row.period_start, std::nullopt);
  EXPECT_EQ(row.source.file, "inbox/stmt.xml");
  EXPECT_EQ(row.source.position, "Stmt[1]/Ntry[R1]");
  EXPECT_TRUE(row.alert_ids.empty());
  EXPECT_EQ(count("SELECT count(*) FROM bank_records WHERE cp_bank = '工商银行' "
                  "AND cp_name_normalised = '张三'"),
            1);
}

TEST_F(RecordStoreTest, FeeRowCarriesEveryField) {
  FeeRecord record = fee_record("F1", -80'000, "2024-09-02");
  record.hours = 12.5;
  record.refund_of = "F0";
  record.enrolled_at = day("2024-08-20");
  store_.store_fee_records({record}, fee_origin());

  const RecordRow row = store_.list_records({}).at(0);
  EXPECT_EQ(row.kind, RecordKind::Fee);
  EXPECT_EQ(row.id, "F1");
  EXPECT_EQ(row.school_id, "CS-0001");  // fee records name their school themselves
  EXPECT_EQ(row.account, kSupervised);
  EXPECT_EQ(row.time, at("2024-09-02"));
  EXPECT_TRUE(row.time.date_only);
  EXPECT_EQ(row.amount_fen, -80'000);
  EXPECT_EQ(row.status, EntryStatus::Booked);
  EXPECT_EQ(row.fee_type, "tuition");
  EXPECT_EQ(row.student_id, "S-F1");
  EXPECT_EQ(row.period_start, day("2024-09-01"));
  EXPECT_EQ(row.period_end, day("2025-01-31"));
  EXPECT_EQ(row.source.position, "line F1");
  EXPECT_EQ(count("SELECT count(*) FROM fee_records WHERE hours = 12.5 AND refund_of = 'F0' "
                  "AND enrolled_at = '2024-08-20'"),
            1);
}

}  // namespace
}  // namespace sfmon::record_store_test
