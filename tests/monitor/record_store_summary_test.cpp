// RecordStore::summary reads kept counts (schema version 7) instead of every
// record: whatever wrote, deleted or moved records, it must say what counting
// every record says.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bank_file_fixture.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/schema_migrations.h"

namespace sfmon::record_store_summary_test {
namespace {

constexpr std::int64_t kNow = 1'730'000'000;
constexpr const char* kSupervised = "43050180123400000001";
constexpr const char* kBasic = "43050180123400000002";
constexpr const char* kStranger = "99990000000000000009";

BankRecord bank_record(const std::string& ref, const std::string& account = kSupervised,
                       EntryStatus status = EntryStatus::Booked) {
  BankRecord record;
  record.account = account;
  record.bank_ref = ref;
  record.booked_at = Instant{1'725'244'200, 480, false};
  record.amount_fen = 100;
  record.currency = "CNY";
  record.status = status;
  record.counterparty.name = "湖南某某教育投资有限公司";
  record.purpose = "学费";
  record.source = {"inbox/stmt.xml", ref};
  return record;
}

BankFile bank_file(std::vector<BankRecord> records, const std::string& account = kSupervised) {
  return testing::camt_file(std::move(records), account);
}

FeeRecord fee_record(const std::string& fee_id) {
  FeeRecord record;
  record.fee_id = fee_id;
  record.school_id = "CS-0001";
  record.student_id = "S-1";
  record.paid_at = Instant{1'725'206'400, 480, true};
  record.amount_fen = 1000;
  record.fee_type = "tuition";
  record.grade = "all";
  record.receiving_account = kSupervised;
  record.source = {"fees.csv", fee_id};
  return record;
}

School school(const std::string& id, const std::vector<std::string>& accounts) {
  School result;
  result.id = id;
  result.name = "学校 " + id;
  result.kind = SchoolKind::Primary;
  result.district = "岳麓区";
  result.enrollment = 100;
  for (const std::string& number : accounts) {
    result.accounts.push_back({number, "银行", AccountRole::Supervised});
  }
  return result;
}

class RecordStoreSummaryTest : public ::testing::Test {
 protected:
  RecordStoreSummaryTest() {
    store_.sync_registry(Registry{{school("CS-0001", {kSupervised, kBasic})}});
  }

  std::int64_t count(const std::string& sql) {
    Statement query = db_.prepare_uncached(sql);
    EXPECT_TRUE(query.step()) << sql;
    return query.column_int64(0);
  }

  // The summary as counting every record gives it.
  StoreSummary counted() {
    StoreSummary summary;
    summary.bank_records = count("SELECT count(*) FROM bank_records");
    summary.bank_pending = count("SELECT count(*) FROM bank_records WHERE status = 'pending'");
    summary.bank_booked = count("SELECT count(*) FROM bank_records WHERE status = 'booked'");
    summary.unregistered_account_records = count(
        "SELECT count(*) FROM bank_records WHERE account NOT IN (SELECT number FROM accounts)");
    summary.fee_records = count("SELECT count(*) FROM fee_records");
    summary.files_accepted = count("SELECT count(*) FROM ingest_log WHERE status = 'accepted'");
    summary.files_rejected = count("SELECT count(*) FROM ingest_log WHERE status = 'rejected'");
    summary.files_duplicate = count("SELECT count(*) FROM ingest_log WHERE status = 'duplicate'");
    return summary;
  }

  void expect_summary_is_counted(const std::string& when) {
    const StoreSummary kept = store_.summary();
    const StoreSummary all = counted();
    EXPECT_EQ(kept.bank_records, all.bank_records) << when;
    EXPECT_EQ(kept.bank_booked, all.bank_booked) << when;
    EXPECT_EQ(kept.bank_pending, all.bank_pending) << when;
    EXPECT_EQ(kept.unregistered_account_records, all.unregistered_account_records) << when;
    EXPECT_EQ(kept.fee_records, all.fee_records) << when;
    EXPECT_EQ(kept.files_accepted, all.files_accepted) << when;
    EXPECT_EQ(kept.files_rejected, all.files_rejected) << when;
    EXPECT_EQ(kept.files_duplicate, all.files_duplicate) << when;
  }

  void store_bank(const std::vector<BankRecord>& records, const std::string& sha,
                  const std::string& account = kSupervised) {
    store_.store_bank_file(bank_file(records, account),
                           {"bank-inbox", "inbox/" + sha, sha, "bank", ""});
  }

  // A record written past RecordStore, as an older sfmon or a tool could.
  void insert_raw(const std::string& ref, const std::string& account) {
    db_.exec(
        "INSERT INTO bank_records (account, bank_ref, ref_is_hash, booked_at_utc, "
        "booked_at_offset, booked_at_date_only, amount_fen, currency, status, reversal, "
        "reversal_of, cp_name, cp_name_normalised, cp_account, cp_bank, cp_class, cp_class_basis, "
        "purpose, tx_code, source_file, source_position, ingest_id) VALUES ('" +
        account + "', '" + ref +
        "', 0, 1725244200, 480, 0, 100, 'CNY', 'booked', 0, '', '', '', '', '', 'unknown', '', "
        "'', '', 'raw', 'raw', (SELECT max(id) FROM ingest_log))");
  }

  static SqliteDb migrated() {
    SqliteDb db(":memory:");
    migrate(db);
    return db;
  }

  SqliteDb db_ = migrated();
  RecordStore store_{db_, [] { return kNow; }};
};

TEST_F(RecordStoreSummaryTest, EachStoredFileFoldsItsRecordsIntoTheCounts) {
  store_bank({bank_record("R1"), bank_record("R2", kBasic)}, "a");
  store_bank({bank_record("R3", kStranger)}, "b", kStranger);
  store_.store_fee_records({fee_record("F1"), fee_record("F2")},
                           {"fee-inbox", "fees.csv", "c", "fee", "csv"});
  // Nothing is left to count at summary time.
  EXPECT_EQ(count("SELECT bank_counted_to FROM record_counts"),
            count("SELECT max(id) FROM bank_records"));
  EXPECT_EQ(count("SELECT fee_counted_to FROM record_counts"),
            count("SELECT max(id) FROM fee_records"));
  EXPECT_EQ(count("SELECT records FROM bank_record_counts WHERE account = '" +
                  std::string(kStranger) + "'"),
            1);
  EXPECT_EQ(count("SELECT fee_records FROM record_counts"), 2);
  const StoreSummary summary = store_.summary();
  EXPECT_EQ(summary.bank_records, 3);
  EXPECT_EQ(summary.unregistered_account_records, 1);
  EXPECT_EQ(summary.fee_records, 2);
  expect_summary_is_counted("after three files");
}

TEST_F(RecordStoreSummaryTest, PendingRecordsPromotedAndDuplicatesAreCountedOnce) {
  store_bank({bank_record("R1", kSupervised, EntryStatus::Pending), bank_record("R2")}, "a");
  expect_summary_is_counted("with a pending record");
  EXPECT_EQ(store_.summary().bank_pending, 1);
  store_bank({bank_record("R1"), bank_record("R2")}, "b");  // R1 booked now, R2 again
  expect_summary_is_counted("after the promotion");
  EXPECT_EQ(store_.summary().bank_records, 2);
  EXPECT_EQ(store_.summary().bank_pending, 0);
  store_bank({bank_record("R1"), bank_record("R2")}, "b");  // the same content again
  expect_summary_is_counted("after a duplicate file");
}

TEST_F(RecordStoreSummaryTest, AFileThatFailsLeavesTheCountsAsTheyWere) {
  store_bank({bank_record("R1")}, "a");
  BankRecord bad = bank_record("R3");
  bad.currency = "";  // violates the currency CHECK after R2 is stored
  EXPECT_THROW(store_bank({bank_record("R2"), bad}, "b"), StoreError);
  expect_summary_is_counted("after a failed file");
  EXPECT_EQ(store_.summary().bank_records, 1);
  store_bank({bank_record("R2")}, "c");  // takes the id the failed file had used
  expect_summary_is_counted("after the next file");
  EXPECT_EQ(store_.summary().bank_records, 2);
}

TEST_F(RecordStoreSummaryTest, RecordsWrittenPastTheStoreAreCountedAndFoldedLater) {
  store_bank({bank_record("R1")}, "a");
  insert_raw("RAW-1", kStranger);
  insert_raw("RAW-2", kSupervised);
  db_.exec(
      "INSERT INTO fee_records (school_id, fee_id, student_id, paid_at_utc, paid_at_offset, "
      "paid_at_date_only, amount_fen, currency, fee_type, grade, receiving_account, "
      "refund_of, source_file, source_position, ingest_id) VALUES ('CS-0001', 'RAW', '', 0, "
      "0, 1, 1, 'CNY', 'x', 'all', '', '', 'raw', 'raw', 1)");
  expect_summary_is_counted("with records above the counted ids");
  EXPECT_EQ(store_.summary().unregistered_account_records, 1);
  store_bank({bank_record("R2")}, "b");
  EXPECT_EQ(count("SELECT records FROM bank_record_counts WHERE account = '" +
                  std::string(kSupervised) + "'"),
            3);
  expect_summary_is_counted("after the next file folded them");
}

TEST_F(RecordStoreSummaryTest, DeletedOrMovedRecordsAreCountedAgain) {
  store_bank({bank_record("R1"), bank_record("R2"), bank_record("R3")}, "a");
  store_.store_fee_records({fee_record("F1"), fee_record("F2")},
                           {"fee-inbox", "fees.csv", "c", "fee", "csv"});
  // Deleting the newest record lets its id be handed out again.
  db_.exec("DELETE FROM bank_records WHERE id = (SELECT max(id) FROM bank_records)");
  db_.exec("DELETE FROM fee_records WHERE fee_id = 'F1'");
  expect_summary_is_counted("after deletes");
  EXPECT_EQ(store_.summary().bank_records, 2);
  EXPECT_EQ(store_.summary().fee_records, 1);
  store_bank({bank_record("R4")}, "b");
  expect_summary_is_counted("after a file reused the id");
  EXPECT_EQ(store_.summary().bank_records, 3);

  db_.exec("UPDATE bank_records SET account = '" + std::string(kStranger) +
           "' WHERE bank_ref = 'R1'");
  expect_summary_is_counted("after a record moved account");
  EXPECT_EQ(store_.summary().unregistered_account_records, 1);
  store_bank({bank_record("R5")}, "c");
  expect_summary_is_counted("after the counts were built again");
  EXPECT_EQ(count("SELECT bank_counted_to FROM record_counts"),
            count("SELECT max(id) FROM bank_records"));
}

TEST_F(RecordStoreSummaryTest, RegisteringAnAccountLaterMovesItsRecords) {
  store_bank({bank_record("R1", kStranger), bank_record("R2", kStranger)}, "a", kStranger);
  EXPECT_EQ(store_.summary().unregistered_account_records, 2);
  store_.sync_registry(
      Registry{{school("CS-0001", {kSupervised, kBasic}), school("CS-0002", {kStranger})}});
  EXPECT_EQ(store_.summary().unregistered_account_records, 0);
  expect_summary_is_counted("after the registry changed");
}

TEST_F(RecordStoreSummaryTest, RejectedAndDuplicateFilesAreCounted) {
  store_.record_rejection({"bank-inbox", "inbox/x", "x", "bank", ""}, "bad", "");
  store_.record_duplicate({"bank-inbox", "inbox/y", "y", "bank", ""});
  const StoreSummary summary = store_.summary();
  EXPECT_EQ(summary.files_rejected, 1);
  EXPECT_EQ(summary.files_duplicate, 1);
  expect_summary_is_counted("after a rejection and a duplicate");
}

}  // namespace
}  // namespace sfmon::record_store_summary_test
