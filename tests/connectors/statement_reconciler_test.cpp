#include "sfmon/connectors/statement_reconciler.h"

#include <gtest/gtest.h>

#include <limits>

namespace sfmon::statement_reconciler_test {
namespace {

BankRecord record(Fen amount, EntryStatus status = EntryStatus::Booked) {
  BankRecord result;
  result.amount_fen = amount;
  result.status = status;
  return result;
}

Balance balance(BalanceType type, Fen amount) {
  Balance result;
  result.type = type;
  result.amount_fen = amount;
  return result;
}

BankStatement statement(const std::string& id, std::optional<Fen> opening,
                        std::optional<Fen> closing, std::vector<BankRecord> records) {
  BankStatement result;
  result.statement_id = id;
  if (opening) result.opening = balance(BalanceType::Opening, *opening);
  if (closing) result.closing = balance(BalanceType::Closing, *closing);
  result.records = std::move(records);
  return result;
}

BankFile file_of(std::vector<BankStatement> statements) {
  BankFile file;
  file.statements = std::move(statements);
  return file;
}

TEST(StatementReconcilerTest, BalancedStatementHasNoWarning) {
  const BankFile file = file_of({statement("S1", 10000, 13000, {record(5000), record(-2000)})});
  EXPECT_TRUE(reconcile_statements(file, "f.xml").empty());
}

TEST(StatementReconcilerTest, UnbalancedStatementIsAWarningWithAmounts) {
  const BankFile file = file_of({statement("S1", 10000, 16000, {record(5000)})});
  const auto warnings = reconcile_statements(file, "f.sta");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].file, "f.sta");
  EXPECT_EQ(warnings[0].message, "statement S1: opening 100.00 + entries 50.00 != closing 160.00");
  EXPECT_EQ(warnings[0].to_string(),
            "f.sta: statement S1: opening 100.00 + entries 50.00 != closing 160.00");
}

TEST(StatementReconcilerTest, NegativeAmountsArePrintedSigned) {
  const BankFile file = file_of({statement("S1", -100, 0, {record(-250)})});
  const auto warnings = reconcile_statements(file, "f");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].message, "statement S1: opening -1.00 + entries -2.50 != closing 0.00");
}

TEST(StatementReconcilerTest, PendingRecordsDoNotCount) {
  const BankFile file =
      file_of({statement("S1", 0, 500, {record(500), record(9999, EntryStatus::Pending)})});
  EXPECT_TRUE(reconcile_statements(file, "f").empty());
}

TEST(StatementReconcilerTest, StatementWithoutBothBalancesIsNotChecked) {
  const BankFile file = file_of({statement("open-only", 100, std::nullopt, {record(1)}),
                                 statement("close-only", std::nullopt, 100, {record(1)}),
                                 statement("none", std::nullopt, std::nullopt, {record(1)})});
  EXPECT_TRUE(reconcile_statements(file, "f").empty());
}

TEST(StatementReconcilerTest, ChecksEachStatementOnItsOwn) {
  // Chained MT940 statements: each closing is the next opening.
  const BankFile file =
      file_of({statement("A/1", 0, 100, {record(100)}), statement("A/2", 100, 150, {record(100)}),
               statement("A/3", 150, 100, {record(-50)})});
  const auto warnings = reconcile_statements(file, "f");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].message, "statement A/2: opening 1.00 + entries 1.00 != closing 1.50");
}

TEST(StatementReconcilerTest, EmptyStatementMustKeepItsBalance) {
  EXPECT_TRUE(reconcile_statements(file_of({statement("S", 7, 7, {})}), "f").empty());
  EXPECT_EQ(reconcile_statements(file_of({statement("S", 7, 8, {})}), "f").size(), 1u);
}

TEST(StatementReconcilerTest, OverflowingSumIsAWarningNotACrash) {
  const Fen big = std::numeric_limits<Fen>::max();
  const BankFile file = file_of({statement("S", 0, 0, {record(big), record(big)})});
  const auto warnings = reconcile_statements(file, "f");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].message.find("out of range"), std::string::npos);
}

}  // namespace
}  // namespace sfmon::statement_reconciler_test
