// Reading a school's records back: reload_school_records, which reuses the
// record objects of the school read before, must give exactly what
// load_school_records gives into fresh inputs.

#include "../../monitor/src/record_loader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon::record_loader_test {
namespace {

constexpr std::int64_t kNow = 1'740'000'000;
constexpr std::int64_t kDay0 = 1'727'740'800;  // 2024-10-01T00:00:00Z
const Zone kZone{};

std::string account(int school) {
  return "43050180123400" + std::to_string(school);
}

Registry make_registry() {
  Registry registry;
  for (int i = 0; i < 2; ++i) {
    School school;
    school.id = "CS-" + std::to_string(i);
    school.name = "学校" + std::to_string(i);
    school.kind = SchoolKind::High;
    school.accounts = {{account(i), "BANK", AccountRole::Supervised}};
    registry.schools.push_back(school);
  }
  registry.build_index();
  return registry;
}

// `count` bank records of school `school`, with long texts (no short-string
// storage) and every optional column both set and unset.
BankFile bank_file(int school, int count) {
  BankStatement statement;
  statement.statement_id = "S" + std::to_string(school);
  statement.account = account(school);
  statement.currency = "CNY";
  for (int r = 0; r < count; ++r) {
    BankRecord record;
    record.account = statement.account;
    record.bank_ref =
        "REFERENCE-LONGER-THAN-SSO-" + std::to_string(school) + "-" + std::to_string(r);
    record.booked_at = Instant{kDay0 + r * 3600, 480, r % 3 == 0};
    record.amount_fen = (r % 2 == 0 ? -1 : 1) * (1000 + r);
    record.currency = "CNY";
    record.status = r % 5 == 4 ? EntryStatus::Pending : EntryStatus::Booked;
    record.reversal = r % 7 == 6;
    record.reversal_of = record.reversal ? "REFERENCE-LONGER-THAN-SSO-0-0" : "";
    record.counterparty.name = school == 0 ? "长沙某某建筑有限公司第" + std::to_string(r) : "王五";
    record.counterparty.account = r % 2 == 0 ? "4300555566667777" + std::to_string(r) : "";
    record.counterparty.cls =
        r % 2 == 0 ? CounterpartyClass::Organisation : CounterpartyClass::Person;
    record.purpose = school == 0 ? "工程款及其他很长的用途说明" : "";
    record.tx_code = "NTRF";
    if (r % 2 == 0) record.balance_after_fen = 5'000'000 + r;
    record.source = {"test", record.bank_ref};
    statement.records.push_back(record);
  }
  statement.closing =
      Balance{BalanceType::Closing, *parse_iso_date("2024-10-02"), 4'000'000, "CNY"};
  BankFile file;
  file.statements.push_back(statement);
  return file;
}

std::vector<FeeRecord> fees(int school, int count) {
  std::vector<FeeRecord> records;
  for (int r = 0; r < count; ++r) {
    FeeRecord fee;
    fee.school_id = "CS-" + std::to_string(school);
    fee.fee_id = "FEE-ID-LONGER-THAN-SSO-" + std::to_string(r);
    fee.student_id = "STUDENT-" + std::to_string(r % 3);
    fee.paid_at = Instant{kDay0 + r * 7200, 480, false};
    fee.amount_fen = 150'000 + r;
    fee.fee_type = school == 0 ? "boarding-and-meals-package" : "tuition";
    fee.grade = "grade-10";
    if (r % 2 == 0) {
      fee.period_start = *parse_iso_date("2024-09-01");
      fee.period_end = *parse_iso_date("2025-01-31");
      fee.hours = 40.5;
      fee.enrolled_at = *parse_iso_date("2024-08-20");
    }
    fee.receiving_account = account(school);
    fee.source = {"fees.csv", "line " + std::to_string(r + 2)};
    records.push_back(fee);
  }
  return records;
}

void expect_same_bank(const std::vector<BankRecord>& a, const std::vector<BankRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].bank_ref);
    EXPECT_EQ(a[i].account, b[i].account);
    EXPECT_EQ(a[i].bank_ref, b[i].bank_ref);
    EXPECT_EQ(a[i].ref_is_hash, b[i].ref_is_hash);
    EXPECT_EQ(a[i].booked_at, b[i].booked_at);
    EXPECT_EQ(a[i].value_date, b[i].value_date);
    EXPECT_EQ(a[i].amount_fen, b[i].amount_fen);
    EXPECT_EQ(a[i].currency, b[i].currency);
    EXPECT_EQ(a[i].status, b[i].status);
    EXPECT_EQ(a[i].reversal, b[i].reversal);
    EXPECT_EQ(a[i].reversal_of, b[i].reversal_of);
    EXPECT_EQ(a[i].counterparty.name, b[i].counterparty.name);
    EXPECT_EQ(a[i].counterparty.account, b[i].counterparty.account);
    EXPECT_EQ(a[i].counterparty.bank, b[i].counterparty.bank);
    EXPECT_EQ(a[i].counterparty.cls, b[i].counterparty.cls);
    EXPECT_EQ(a[i].counterparty.basis, b[i].counterparty.basis);
    EXPECT_EQ(a[i].purpose, b[i].purpose);
    EXPECT_EQ(a[i].tx_code, b[i].tx_code);
    EXPECT_EQ(a[i].balance_after_fen, b[i].balance_after_fen);
    EXPECT_EQ(a[i].source.file, b[i].source.file);
    EXPECT_EQ(a[i].source.position, b[i].source.position);
  }
}

void expect_same_fees(const std::vector<FeeRecord>& a, const std::vector<FeeRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].fee_id);
    EXPECT_EQ(a[i].fee_id, b[i].fee_id);
    EXPECT_EQ(a[i].school_id, b[i].school_id);
    EXPECT_EQ(a[i].student_id, b[i].student_id);
    EXPECT_EQ(a[i].paid_at, b[i].paid_at);
    EXPECT_EQ(a[i].amount_fen, b[i].amount_fen);
    EXPECT_EQ(a[i].currency, b[i].currency);
    EXPECT_EQ(a[i].fee_type, b[i].fee_type);
    EXPECT_EQ(a[i].grade, b[i].grade);
    EXPECT_EQ(a[i].period_start, b[i].period_start);
    EXPECT_EQ(a[i].period_end, b[i].period_end);
    EXPECT_EQ(a[i].hours, b[i].hours);
    EXPECT_EQ(a[i].receiving_account, b[i].receiving_account);
    EXPECT_EQ(a[i].refund_of, b[i].refund_of);
    EXPECT_EQ(a[i].enrolled_at, b[i].enrolled_at);
    EXPECT_EQ(a[i].source.file, b[i].source.file);
    EXPECT_EQ(a[i].source.position, b[i].source.position);
  }
}

class RecordLoaderTest : public ::testing::Test {
 protected:
  RecordLoaderTest() {
    migrate(db_);
    RecordStore records(db_, [] { return kNow; });
    records.sync_registry(registry_);
    records.store_bank_file(bank_file(0, 40), {"bank-inbox", "b0", "sha-b0", "bank", ""});
    records.store_bank_file(bank_file(1, 9), {"bank-inbox", "b1", "sha-b1", "bank", ""});
    records.store_fee_records(fees(0, 30), {"fee-inbox", "f0", "sha-f0", "fee", "csv"});
    records.store_fee_records(fees(1, 5), {"fee-inbox", "f1", "sha-f1", "fee", "csv"});
  }

  rules::FactInputs fresh(int school, unsigned what) {
    rules::FactInputs inputs;
    load_school_records(db_, registry_.schools[static_cast<std::size_t>(school)], kFrom, kTo, what,
                        inputs);
    return inputs;
  }

  static constexpr std::int64_t kFrom = kDay0 - 86400;
  static constexpr std::int64_t kTo = kDay0 + 30 * 86400;
  SqliteDb db_{":memory:"};
  Registry registry_ = make_registry();
};

TEST_F(RecordLoaderTest, ReloadingASmallerSchoolGivesExactlyItsRecords) {
  rules::FactInputs reused;
  reload_school_records(db_, registry_.schools[0], kFrom, kTo, kLoadAll, reused);
  const rules::FactInputs big = fresh(0, kLoadAll);
  ASSERT_EQ(big.bank.size(), 40u);
  expect_same_bank(reused.bank, big.bank);
  expect_same_fees(reused.fees, big.fees);

  reload_school_records(db_, registry_.schools[1], kFrom, kTo, kLoadAll, reused);
  const rules::FactInputs small = fresh(1, kLoadAll);
  ASSERT_EQ(small.bank.size(), 9u);
  ASSERT_EQ(small.fees.size(), 5u);
  expect_same_bank(reused.bank, small.bank);
  expect_same_fees(reused.fees, small.fees);
  ASSERT_EQ(reused.balances.size(), 1u);
  EXPECT_EQ(reused.balances[0].account, account(1));
  EXPECT_EQ(reused.balances[0].closing_fen, 4'000'000);
}

TEST_F(RecordLoaderTest, ReloadingALargerSchoolGivesExactlyItsRecords) {
  rules::FactInputs reused;
  reload_school_records(db_, registry_.schools[1], kFrom, kTo, kLoadAll, reused);
  reload_school_records(db_, registry_.schools[0], kFrom, kTo, kLoadAll, reused);
  const rules::FactInputs big = fresh(0, kLoadAll);
  expect_same_bank(reused.bank, big.bank);
  expect_same_fees(reused.fees, big.fees);
}

TEST_F(RecordLoaderTest, ReloadedRecordsKeepNothingOfWhatTheInputsHeld) {
  // Inputs a caller filled by hand, with fields the store does not give back.
  rules::FactInputs reused;
  reused.bank = bank_file(0, 12).statements[0].records;
  reused.fees = fees(0, 12);
  for (BankRecord& record : reused.bank) {
    record.ref_is_hash = true;
    record.value_date = *parse_iso_date("2024-10-01");
    record.counterparty.bank = "某银行";
    record.counterparty.basis = ClassBasis::Registry;
  }
  for (FeeRecord& fee : reused.fees) {
    fee.currency = "USD";
    fee.refund_of = "FEE-0";
  }
  reused.balances.push_back({"X", *parse_iso_date("2024-01-01"), 1});
  reused.enrolment = std::map<std::string, Date>{{"STUDENT-0", *parse_iso_date("2020-01-01")}};

  reload_school_records(db_, registry_.schools[1], kFrom, kTo, kLoadAll, reused);
  const rules::FactInputs small = fresh(1, kLoadAll);
  expect_same_bank(reused.bank, small.bank);
  expect_same_fees(reused.fees, small.fees);
  EXPECT_EQ(reused.fees[0].currency, "CNY");
  EXPECT_EQ(reused.balances.size(), 1u);
  EXPECT_FALSE(reused.enrolment.has_value());
}

TEST_F(RecordLoaderTest, ReloadReadsOnlyWhatIsAskedAndDropsTheRest) {
  rules::FactInputs reused;
  reload_school_records(db_, registry_.schools[0], kFrom, kTo, kLoadAll, reused);
  reload_school_records(db_, registry_.schools[0], kFrom, kTo, kLoadFees, reused);
  EXPECT_TRUE(reused.bank.empty());
  EXPECT_TRUE(reused.balances.empty());
  expect_same_fees(reused.fees, fresh(0, kLoadFees).fees);
  // A range with no records empties them.
  reload_school_records(db_, registry_.schools[0], kTo + 1, kTo + 2, kLoadAll, reused);
  EXPECT_TRUE(reused.bank.empty());
  EXPECT_TRUE(reused.fees.empty());
}

TEST_F(RecordLoaderTest, LoadAppendsToWhatTheInputsHold) {
  rules::FactInputs inputs;
  load_school_records(db_, registry_.schools[0], kFrom, kDay0 + 10 * 3600 - 1, kLoadBank, inputs);
  EXPECT_EQ(inputs.bank.size(), 10u);
  load_school_records(db_, registry_.schools[0], kDay0 + 10 * 3600, kTo, kLoadBank, inputs);
  EXPECT_EQ(inputs.bank.size(), 40u);
}

}  // namespace
}  // namespace sfmon::record_loader_test
