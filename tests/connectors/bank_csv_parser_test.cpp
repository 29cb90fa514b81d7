#include "sfmon/connectors/bank_csv_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "sfmon/model/input_error.h"

namespace sfmon::bank_csv_parser_test {
namespace {

const Zone kShanghai{};
const std::string kHeader =
    "txn_id,account,booked_at,value_date,amount,currency,counterparty_name,counterparty_account,"
    "counterparty_bank,counterparty_type,purpose,balance_after\n";

BankFile parse(std::string_view content) {
  return parse_bank_csv(content, "bank.csv", kShanghai);
}

InputError parse_error(std::string_view content) {
  try {
    parse(content);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError for: " << content;
  return InputError("", "", "");
}

// A minimal file whose single data row has `amount` in the amount column.
std::string with_amount(const std::string& amount) {
  return "txn_id,account,booked_at,amount,currency\nT1,ACC1,2024-09-02," + amount + ",CNY\n";
}

TEST(BankCsvParserTest, ReadsEveryColumn) {
  const BankFile file = parse(kHeader +
                              "T1,4305001,2024-09-02T10:30:00+08:00,2024-09-03,-1234.50,CNY,"
                              "湖南某某教育投资有限公司,43001234567890,建设银行,organisation,"
                              "\"rent, Sept\",98765.40\n");
  EXPECT_EQ(file.format, BankFormat::Csv);
  EXPECT_EQ(file.format_detail, "csv");
  ASSERT_EQ(file.statements.size(), 1u);
  const BankStatement& statement = file.statements[0];
  EXPECT_EQ(statement.statement_id, "bank.csv:4305001");
  EXPECT_EQ(statement.account, "4305001");
  EXPECT_EQ(statement.currency, "CNY");
  EXPECT_FALSE(statement.opening.has_value());
  EXPECT_FALSE(statement.closing.has_value());
  ASSERT_EQ(statement.records.size(), 1u);
  const BankRecord& record = statement.records[0];
  EXPECT_EQ(record.bank_ref, "T1");
  EXPECT_EQ(record.account, "4305001");
  EXPECT_EQ(record.booked_at.to_string(), "2024-09-02T10:30:00+08:00");
  ASSERT_TRUE(record.value_date.has_value());
  EXPECT_EQ(record.value_date->to_string(), "2024-09-03");
  EXPECT_EQ(record.amount_fen, -123450);
  EXPECT_EQ(record.currency, "CNY");
  EXPECT_EQ(record.status, EntryStatus::Booked);
  EXPECT_EQ(record.counterparty.name, "湖南某某教育投资有限公司");
  EXPECT_EQ(record.counterparty.account, "43001234567890");
  EXPECT_EQ(record.counterparty.bank, "建设银行");
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Organisation);
  EXPECT_EQ(record.counterparty.basis, ClassBasis::Source);
  EXPECT_EQ(record.purpose, "rent, Sept");
  ASSERT_TRUE(record.balance_after_fen.has_value());
  EXPECT_EQ(*record.balance_after_fen, 9876540);
  EXPECT_EQ(record.source.file, "bank.csv");
  EXPECT_EQ(record.source.position, "line 2");
}

TEST(BankCsvParserTest, ReadsColumnsInAnyOrderAndIgnoresExtraOnes) {
  const BankFile file = parse(
      "Currency, AMOUNT ,note,booked_at,account,txn_id\n"
      "cny,12.5,whatever,2024-09-02,ACC1,T1\n");
  ASSERT_EQ(file.statements.size(), 1u);
  const BankRecord& record = file.statements[0].records.at(0);
  EXPECT_EQ(record.amount_fen, 1250);
  EXPECT_EQ(record.currency, "CNY");
  EXPECT_EQ(record.account, "ACC1");
  EXPECT_EQ(record.bank_ref, "T1");
  EXPECT_TRUE(record.purpose.empty());
}

TEST(BankCsvParserTest, OptionalColumnsMayBeAbsentOrEmpty) {
  const BankFile file = parse(with_amount("100"));
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_FALSE(record.value_date.has_value());
  EXPECT_FALSE(record.balance_after_fen.has_value());
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Unknown);
  EXPECT_EQ(record.counterparty.basis, ClassBasis::None);

  const BankFile empty_cells = parse(kHeader + "T1,ACC,2024-09-02,,1.00,CNY,,,,,,\n");
  const BankRecord& other = empty_cells.statements.at(0).records.at(0);
  EXPECT_FALSE(other.value_date.has_value());
  EXPECT_FALSE(other.balance_after_fen.has_value());
  EXPECT_EQ(other.counterparty.basis, ClassBasis::None);
}

TEST(BankCsvParserTest, DateOnlyBookingIsLocalMidnight) {
  const BankFile file = parse(with_amount("1"));
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_TRUE(record.booked_at.date_only);
  EXPECT_EQ(record.booked_at, instant_from_date(Date{2024, 9, 2}, kShanghai));
}

TEST(BankCsvParserTest, DateTimeWithoutOffsetIsInTheZone) {
  const BankFile file =
      parse("txn_id,account,booked_at,amount,currency\nT1,A,2024-09-02 08:00,1,CNY\n");
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_EQ(record.booked_at.offset_minutes, 480);
  EXPECT_EQ(record.booked_at.to_string(), "2024-09-02T08:00:00+08:00");
}

TEST(BankCsvParserTest, EmptyTxnIdLeavesReferenceForTheNormaliser) {
  const BankFile file =
      parse("txn_id,account,booked_at,amount,currency\n,A,2024-09-02,1,CNY\n,A,2024-09-02,1,CNY\n");
  ASSERT_EQ(file.statements.at(0).records.size(), 2u);
  EXPECT_EQ(file.statements[0].records[0].bank_ref, "");
  EXPECT_FALSE(file.statements[0].records[0].ref_is_hash);
}

TEST(BankCsvParserTest, GroupsRecordsByAccountInOrderOfFirstAppearance) {
  const BankFile file = parse(
      "txn_id,account,booked_at,amount,currency\n"
      "1,B,2024-09-02,1,CNY\n"
      "2,A,2024-09-02,2,CNY\n"
      "3,B,2024-09-03,3,CNY\n");
  ASSERT_EQ(file.statements.size(), 2u);
  EXPECT_EQ(file.statements[0].account, "B");
  EXPECT_EQ(file.statements[0].statement_id, "bank.csv:B");
  ASSERT_EQ(file.statements[0].records.size(), 2u);
  EXPECT_EQ(file.statements[0].records[0].bank_ref, "1");
  EXPECT_EQ(file.statements[0].records[1].bank_ref, "3");
  EXPECT_EQ(file.statements[0].records[1].source.position, "line 4");
  EXPECT_EQ(file.statements[1].account, "A");
  ASSERT_EQ(file.statements[1].records.size(), 1u);
}

TEST(BankCsvParserTest, SameTxnIdOnDifferentAccountsIsFine) {
  const BankFile file = parse(
      "txn_id,account,booked_at,amount,currency\nT,A,2024-09-02,1,CNY\nT,B,2024-09-02,1,CNY\n");
  EXPECT_EQ(file.statements.size(), 2u);
}

TEST(BankCsvParserTest, DuplicateTxnIdForOneAccountIsAnError) {
  const InputError error = parse_error(
      "txn_id,account,booked_at,amount,currency\nT,A,2024-09-02,1,CNY\nT,A,2024-09-03,2,CNY\n");
  EXPECT_EQ(error.location(), "line 3");
  EXPECT_NE(error.message().find("duplicate"), std::string::npos);
  EXPECT_NE(error.message().find("first on line 2"), std::string::npos);
  EXPECT_EQ(error.value(), "T");
}

TEST(BankCsvParserTest, HeaderOnlyFileIsValidAndEmpty) {
  const BankFile file = parse(kHeader);
  EXPECT_EQ(file.format, BankFormat::Csv);
  EXPECT_TRUE(file.statements.empty());
  EXPECT_TRUE(file.warnings.empty());
}

TEST(BankCsvParserTest, EmptyFileIsAnError) {
  const InputError error = parse_error("");
  EXPECT_EQ(error.file(), "bank.csv");
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("empty file"), std::string::npos);
}

TEST(BankCsvParserTest, FileOfBlankLinesAndBomIsEmpty) {
  EXPECT_NE(parse_error("\xEF\xBB\xBF\r\n\n").message().find("empty file"), std::string::npos);
}

TEST(BankCsvParserTest, AcceptsBomAndCrlf) {
  const BankFile file =
      parse("\xEF\xBB\xBFtxn_id,account,booked_at,amount,currency\r\nT1,A,2024-09-02,5.05,CNY\r\n");
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].records.at(0).amount_fen, 505);
  EXPECT_EQ(file.statements[0].records.at(0).currency, "CNY");
}

TEST(BankCsvParserTest, MissingRequiredColumnNamesIt) {
  for (const std::string column : {"txn_id", "account", "booked_at", "amount", "currency"}) {
    std::string header = "txn_id,account,booked_at,amount,currency";
    header.erase(header.find(column), column.size());
    const InputError error = parse_error(header + "\n");
    EXPECT_EQ(error.location(), "line 1") << column;
    EXPECT_NE(error.message().find("missing required column '" + column + "'"), std::string::npos)
        << error.what();
  }
}

TEST(BankCsvParserTest, RepeatedColumnIsAnError) {
  const InputError error = parse_error("txn_id,account,booked_at,amount,currency,Amount\n");
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("'amount' appears twice"), std::string::npos);
}

TEST(BankCsvParserTest, RowWithTooFewCellsIsAnError) {
  const InputError error = parse_error(
      "txn_id,account,booked_at,amount,currency\nT1,A,2024-09-02,1,CNY\nT2,A,2024-09-02,1\n");
  EXPECT_EQ(error.location(), "line 3");
  EXPECT_NE(error.message().find("4 cells but the header has 5"), std::string::npos);
}

TEST(BankCsvParserTest, RowWithTooManyCellsIsAnError) {
  const InputError error = parse_error(with_amount("1,234.50"));
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("6 cells but the header has 5"), std::string::npos);
}

TEST(BankCsvParserTest, ThousandsSeparatorIsAnErrorNamingColumnAndValue) {
  const InputError error = parse_error(with_amount("\"1,234.50\""));
  EXPECT_EQ(error.file(), "bank.csv");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("column 'amount'"), std::string::npos);
  EXPECT_NE(error.message().find("thousands separators"), std::string::npos);
  EXPECT_EQ(error.value(), "1,234.50");
  EXPECT_NE(std::string(error.what()).find("bank.csv:line 2: column 'amount'"), std::string::npos);
  EXPECT_NE(std::string(error.what()).find("'1,234.50'"), std::string::npos);
}

TEST(BankCsvParserTest, ThirdDecimalIsAnError) {
  const InputError error = parse_error(with_amount("12.345"));
  EXPECT_NE(error.message().find("column 'amount'"), std::string::npos);
  EXPECT_EQ(error.value(), "12.345");
}

TEST(BankCsvParserTest, ZeroThirdDecimalIsAnErrorToo) {
  EXPECT_EQ(parse_error(with_amount("12.340")).value(), "12.340");
}

TEST(BankCsvParserTest, NonNumericAmountIsAnError) {
  const InputError error = parse_error(with_amount("abc"));
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_EQ(error.value(), "abc");
}

TEST(BankCsvParserTest, EmptyAmountIsAnError) {
  const InputError error = parse_error(with_amount(""));
  EXPECT_NE(error.message().find("column 'amount': value required"), std::string::npos);
}

TEST(BankCsvParserTest, SignedAmountsAreExact) {
  EXPECT_EQ(parse(with_amount("-0.01")).statements[0].records[0].amount_fen, -1);
  EXPECT_EQ(parse(with_amount("+7.1")).statements[0].records[0].amount_fen, 710);
  EXPECT_EQ(parse(with_amount(" 0.10 ")).statements[0].records[0].amount_fen, 10);
}

TEST(BankCsvParserTest, ImpossibleBookingDateIsAnError) {
  const InputError error =
      parse_error("txn_id,account,booked_at,amount,currency\nT1,A,2024-02-30,1,CNY\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("column 'booked_at'"), std::string::npos);
  EXPECT_EQ(error.value(), "2024-02-30");
}

TEST(BankCsvParserTest, MissingBookingDateIsAnError) {
  const InputError error = parse_error("txn_id,account,booked_at,amount,currency\nT1,A,,1,CNY\n");
  EXPECT_NE(error.message().find("column 'booked_at': value required"), std::string::npos);
}

TEST(BankCsvParserTest, ImpossibleValueDateIsAnError) {
  const InputError error = parse_error(kHeader + "T1,A,2024-09-02,2023-02-29,1,CNY,,,,,,\n");
  EXPECT_NE(error.message().find("column 'value_date'"), std::string::npos);
  EXPECT_EQ(error.value(), "2023-02-29");
}

TEST(BankCsvParserTest, MissingAccountIsAnError) {
  const InputError error =
      parse_error("txn_id,account,booked_at,amount,currency\nT1,,2024-09-02,1,CNY\n");
  EXPECT_NE(error.message().find("column 'account': value required"), std::string::npos);
}

TEST(BankCsvParserTest, CurrencyMustBeThreeLetters) {
  for (const std::string bad : {"RMB1", "C1Y", "人民币", "CN"}) {
    const InputError error =
        parse_error("txn_id,account,booked_at,amount,currency\nT1,A,2024-09-02,1," + bad + "\n");
    EXPECT_NE(error.message().find("column 'currency'"), std::string::npos) << bad;
    EXPECT_EQ(error.value(), bad);
  }
}

TEST(BankCsvParserTest, CounterpartyTypePersonIsFromSource) {
  const BankFile file = parse(kHeader + "T1,A,2024-09-02,,1,CNY,张三,622202,,Person,,\n");
  const Counterparty& party = file.statements.at(0).records.at(0).counterparty;
  EXPECT_EQ(party.cls, CounterpartyClass::Person);
  EXPECT_EQ(party.basis, ClassBasis::Source);
}

TEST(BankCsvParserTest, UnknownCounterpartyTypeIsAnError) {
  const InputError error = parse_error(kHeader + "T1,A,2024-09-02,,1,CNY,张三,,,company,,\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("column 'counterparty_type'"), std::string::npos);
  EXPECT_EQ(error.value(), "company");
}

TEST(BankCsvParserTest, InvalidBalanceAfterIsAnError) {
  const InputError error = parse_error(kHeader + "T1,A,2024-09-02,,1,CNY,,,,,,1.2.3\n");
  EXPECT_NE(error.message().find("column 'balance_after'"), std::string::npos);
  EXPECT_EQ(error.value(), "1.2.3");
}

TEST(BankCsvParserTest, MultiLinePurposeKeepsLaterLineNumbers) {
  const BankFile file = parse(kHeader +
                              "T1,A,2024-09-02,,1,CNY,,,,,\"first\nsecond\",\n"
                              "T2,A,2024-09-02,,1,CNY,,,,,,\n");
  const auto& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].purpose, "first\nsecond");
  EXPECT_EQ(records[1].source.position, "line 4");
}

TEST(BankCsvParserTest, UnterminatedQuoteIsAnError) {
  const InputError error = parse_error(kHeader + "T1,A,2024-09-02,,1,CNY,,,,,\"never closed\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("unterminated"), std::string::npos);
}

TEST(BankCsvParserTest, InvalidUtf8IsAnError) {
  const InputError error = parse_error(kHeader + "T1,A,2024-09-02,,1,CNY,\xB3\xA4\xC9\xB3,,,,,\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("UTF-8"), std::string::npos);
}

TEST(BankCsvParserTest, HugePurposeIsKept) {
  const std::string purpose(300000, 'p');
  const BankFile file = parse(kHeader + "T1,A,2024-09-02,,1,CNY,,,,,\"" + purpose + "\",\n");
  EXPECT_EQ(file.statements.at(0).records.at(0).purpose.size(), purpose.size());
}

}  // namespace
}  // namespace sfmon::bank_csv_parser_test
