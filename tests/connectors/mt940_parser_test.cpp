// Unit tests for the SWIFT MT940 parser on small inline statements, one
// behaviour each. Line numbers in expectations count from the first line of
// the inline text.

#include "sfmon/connectors/mt940_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sfmon/model/input_error.h"

namespace sfmon::mt940_parser_test {
namespace {

constexpr const char* kFile = "bank/statement.sta";

// Lines 1-4 of every statement built by `statement()`; entries start at line 5.
std::string statement(std::string_view body, std::string_view closing = ":62F:C200608EUR0,00\n") {
  return std::string(":20:REF1\n:25:25040066/0123456789\n:28C:00143/1\n:60F:C200605EUR100,00\n") +
         std::string(body) + std::string(closing) + "-\n";
}

BankFile parse(std::string_view content) {
  return parse_mt940(content, kFile, Zone{});
}

// The only record of a one-statement file.
BankRecord only_record(std::string_view content) {
  const BankFile file = parse(content);
  EXPECT_EQ(file.statements.size(), 1u);
  if (file.statements.size() != 1 || file.statements[0].records.size() != 1) {
    ADD_FAILURE() << "expected exactly one record";
    return {};
  }
  return file.statements[0].records[0];
}

InputError parse_error(std::string_view content) {
  try {
    parse(content);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("", "", "");
}

bool has_warning_containing(const BankFile& file, std::string_view text) {
  for (const auto& warning : file.warnings) {
    if (warning.message.find(text) != std::string::npos) return true;
  }
  return false;
}

// --- statement header and balances -------------------------------------------------

TEST(Mt940ParserTest, ReadsStatementHeaderFields) {
  const BankFile file = parse(
      ":20:REF1\n:25:  25040066/0123456789 \n:28C:00143/1\n:60F:C200605EUR100,00\n"
      ":62F:C200608EUR80,50\n-\n");
  ASSERT_EQ(file.statements.size(), 1u);
  const BankStatement& statement = file.statements[0];
  EXPECT_EQ(file.format, BankFormat::Mt940);
  EXPECT_EQ(statement.statement_id, "REF1/00143/1");
  EXPECT_EQ(statement.account, "25040066/0123456789");
  EXPECT_EQ(statement.currency, "EUR");
  EXPECT_TRUE(statement.records.empty());
}

TEST(Mt940ParserTest, ReadsOpeningAndClosingBalances) {
  const BankFile file = parse(statement("", ":62M:D200608EUR80,5\n"));
  const BankStatement& statement = file.statements.at(0);
  ASSERT_TRUE(statement.opening.has_value());
  EXPECT_EQ(statement.opening->type, BalanceType::Opening);
  EXPECT_EQ(statement.opening->date, (Date{2020, 6, 5}));
  EXPECT_EQ(statement.opening->amount_fen, 10000);
  EXPECT_EQ(statement.opening->currency, "EUR");
  ASSERT_TRUE(statement.closing.has_value());
  EXPECT_EQ(statement.closing->type, BalanceType::Closing);
  EXPECT_EQ(statement.closing->date, (Date{2020, 6, 8}));
  EXPECT_EQ(statement.closing->amount_fen, -8050);
}

TEST(Mt940ParserTest, AcceptsIntermediateOpeningBalance) {
  const BankFile file =
      parse(":20:R\n:25:A1\n:60M:D200605CNY1,00\n:61:200605C2,00NTRFNONREF\n:62M:C200605CNY1,00\n");
  EXPECT_EQ(file.statements.at(0).opening->amount_fen, -100);
  EXPECT_EQ(file.statements.at(0).records.at(0).currency, "CNY");
}

TEST(Mt940ParserTest, UsesOldStyleSequenceField) {
  const BankFile file =
      parse(":20:ABN\n:25:517852257\n:28:19321/1\n:60F:C110522EUR1,00\n:62F:C110522EUR1,00\n");
  EXPECT_EQ(file.statements.at(0).statement_id, "ABN/19321/1");
}

TEST(Mt940ParserTest, WarnsWhenClosingBalanceIsMissing) {
  const BankFile file = parse(statement(":61:200608C1,00NTRFNONREF\n", ""));
  EXPECT_EQ(file.statements.at(0).records.size(), 1u);
  EXPECT_FALSE(file.statements.at(0).closing.has_value());
  EXPECT_TRUE(has_warning_containing(file, "no closing balance"));
}

TEST(Mt940ParserTest, TakesCurrencyFromClosingBalanceWhenOpeningIsMissing) {
  const BankFile file = parse(":20:R\n:25:A1\n:61:200605C2,00NTRFNONREF\n:62F:C200605USD2,00\n");
  EXPECT_EQ(file.statements.at(0).records.at(0).currency, "USD");
  EXPECT_TRUE(has_warning_containing(file, "no opening balance"));
}

// --- :61: statement line --------------------------------------------------------------

TEST(Mt940ParserTest, EntryHasAccountCurrencyStatusAndSourceLine) {
  const BankRecord record = only_record(statement(":61:2006080608C12,35NTRFNONREF\n"));
  EXPECT_EQ(record.account, "25040066/0123456789");
  EXPECT_EQ(record.currency, "EUR");
  EXPECT_EQ(record.status, EntryStatus::Booked);
  EXPECT_EQ(record.source.file, kFile);
  EXPECT_EQ(record.source.position, "line 5");
}

TEST(Mt940ParserTest, CreditIsPositive) {
  EXPECT_EQ(only_record(statement(":61:200608C12,35NTRFNONREF\n")).amount_fen, 1235);
}

TEST(Mt940ParserTest, DebitIsNegative) {
  const BankRecord record = only_record(statement(":61:200608D12,35NTRFNONREF\n"));
  EXPECT_EQ(record.amount_fen, -1235);
  EXPECT_FALSE(record.reversal);
}

TEST(Mt940ParserTest, ReversedDebitIsPositiveReversal) {
  const BankRecord record = only_record(statement(":61:2002010219RD1027,25N068NONREF\n"));
  EXPECT_EQ(record.amount_fen, 102725);
  EXPECT_TRUE(record.reversal);
}

TEST(Mt940ParserTest, ReversedCreditIsNegativeReversal) {
  const BankRecord record = only_record(statement(":61:2002010219RC1027,25N068NONREF\n"));
  EXPECT_EQ(record.amount_fen, -102725);
  EXPECT_TRUE(record.reversal);
}

TEST(Mt940ParserTest, SkipsFundsCodeLetterAfterMark) {
  const BankFile file =
      parse(statement(":61:0709040904CR300,NTRFNONREF\n:61:0909250925DK50,00NMSCNONREF\n"
                      ":61:0709040904RCR204,88NRTINONREF\n"));
  const auto& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].amount_fen, 30000);
  EXPECT_EQ(records[1].amount_fen, -5000);
  EXPECT_EQ(records[2].amount_fen, -20488);
  EXPECT_TRUE(records[2].reversal);
}

TEST(Mt940ParserTest, ReadsAmountsWithZeroOneOrTwoDecimalsAndLeadingZeros) {
  const BankFile file =
      parse(statement(":61:200608C12,NTRFNONREF\n:61:200608C970499,9NTRFNONREF\n"
                      ":61:200608D000000000025,01NTRFNONREF\n"));
  const auto& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].amount_fen, 1200);
  EXPECT_EQ(records[1].amount_fen, 97049990);
  EXPECT_EQ(records[2].amount_fen, -2501);
}

TEST(Mt940ParserTest, BookedAtIsEntryDateAndValueDateIsKept) {
  const BankRecord record = only_record(statement(":61:2006050608C1,00NTRFNONREF\n"));
  EXPECT_EQ(record.booked_at, instant_from_date(Date{2020, 6, 8}, Zone{}));
  EXPECT_TRUE(record.booked_at.date_only);
  ASSERT_TRUE(record.value_date.has_value());
  EXPECT_EQ(*record.value_date, (Date{2020, 6, 5}));
}

TEST(Mt940ParserTest, BookedAtIsValueDateWithoutEntryDate) {
  const BankRecord record = only_record(statement(":61:200605C1,00NTRFNONREF\n"));
  EXPECT_EQ(record.booked_at, instant_from_date(Date{2020, 6, 5}, Zone{}));
}

TEST(Mt940ParserTest, BookedAtUsesTheGivenZone) {
  const Zone utc{"UTC", 0};
  const BankFile file = parse_mt940(statement(":61:200605C1,00NTRFNONREF\n"), kFile, utc);
  EXPECT_EQ(file.statements.at(0).records.at(0).booked_at,
            instant_from_date(Date{2020, 6, 5}, utc));
}

TEST(Mt940ParserTest, JanuaryEntryDateAfterDecemberValueDateIsInTheNextYear) {
  const BankRecord record = only_record(statement(":61:2012310102D1,00NTRFNONREF\n"));
  EXPECT_EQ(record.booked_at.local_date(Zone{}), (Date{2021, 1, 2}));
  EXPECT_EQ(*record.value_date, (Date{2020, 12, 31}));
}

TEST(Mt940ParserTest, DecemberEntryDateBeforeJanuaryValueDateIsInThePreviousYear) {
  const BankRecord record = only_record(statement(":61:2101021231D1,00NTRFNONREF\n"));
  EXPECT_EQ(record.booked_at.local_date(Zone{}), (Date{2020, 12, 31}));
}

TEST(Mt940ParserTest, TwoDigitYearsFromEightyAreInTheTwentiethCentury) {
  const BankRecord record = only_record(statement(":61:991231C1,00NTRFNONREF\n"));
  EXPECT_EQ(*record.value_date, (Date{1999, 12, 31}));
}

TEST(Mt940ParserTest, LeapDayIsAValidDate) {
  const BankRecord record = only_record(statement(":61:2002290229C1,00NTRFNONREF\n"));
  EXPECT_EQ(*record.value_date, (Date{2020, 2, 29}));
}

TEST(Mt940ParserTest, BankReferenceIsTheTextAfterDoubleSlash) {
  const BankRecord record = only_record(statement(":61:200608D12,35NRTIKREF+//2016021783252833\n"));
  EXPECT_EQ(record.bank_ref, "2016021783252833");
}

// The customer reference is the account owner's free choice ("EREF", an
// IBAN, ...) and repeats across entries, so it never becomes the identity.
TEST(Mt940ParserTest, CustomerReferenceAloneLeavesBankReferenceEmpty) {
  const BankRecord record = only_record(statement(":61:130101D25,00N102EREF\n"));
  EXPECT_EQ(record.bank_ref, "");
}

TEST(Mt940ParserTest, NonrefAfterDoubleSlashLeavesBankReferenceEmpty) {
  EXPECT_EQ(only_record(statement(":61:200608D1,00NTRFKREF//NONREF\n")).bank_ref, "");
}

TEST(Mt940ParserTest, RepeatedBankReferenceIsClearedWithWarning) {
  const BankFile file = parse(statement(
      ":61:200608D1,00NMSCA//1234\n:61:200608D2,00NMSCB//1234\n:61:200608D3,00NMSCC//5678\n"));
  const auto& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].bank_ref, "");
  EXPECT_EQ(records[1].bank_ref, "");
  EXPECT_EQ(records[2].bank_ref, "5678");
  EXPECT_TRUE(has_warning_containing(file, "'1234' is used by 2 entries"));
}

TEST(Mt940ParserTest, TransactionTypeCodeBecomesTxCode) {
  EXPECT_EQ(only_record(statement(":61:200608D1,00N024NONREF\n")).tx_code, "N024");
}

TEST(Mt940ParserTest, AcceptsSpaceBetweenAmountAndTypeCode) {
  const BankRecord record = only_record(statement(":61:2006080608D12,35 NRTIKREF+//20160217\n"));
  EXPECT_EQ(record.amount_fen, -1235);
  EXPECT_EQ(record.tx_code, "NRTI");
  EXPECT_EQ(record.bank_ref, "20160217");
}

TEST(Mt940ParserTest, SupplementaryDetailsLineDoesNotChangeTheEntry) {
  const BankRecord record = only_record(
      statement(":61:2006080608D12,35NRTIKREF+//2016021783252833\n/OCMT/EUR11,85//CHGS/EUR0,50/\n"
                ":86:Lastschrift\n"));
  EXPECT_EQ(record.amount_fen, -1235);
  EXPECT_EQ(record.bank_ref, "2016021783252833");
  EXPECT_EQ(record.purpose, "Lastschrift");
}

TEST(Mt940ParserTest, SupplementaryDetailsBecomePurposeWithoutInformation) {
  const BankRecord record =
      only_record(statement(":61:180417DF14790,00N031NONREF\nBankon belueli\n"));
  EXPECT_EQ(record.purpose, "Bankon belueli");
}

TEST(Mt940ParserTest, EntryWithoutReferenceIsKeptWithOneWarning) {
  const BankFile file = parse(statement(":61:170914D233,15NMSC\n:61:170914D1,00NMSC\n"));
  const auto& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].amount_fen, -23315);
  EXPECT_TRUE(has_warning_containing(file, "2 incomplete :61: statement line(s)"));
  EXPECT_EQ(file.warnings.size(), 1u);
}

// --- :86: information -------------------------------------------------------------------

TEST(Mt940ParserTest, StructuredInformationGivesCounterpartyAndPurpose) {
  const BankRecord record = only_record(
      statement(":61:200219C65,00NMSCNONREF\n"
                ":86:166?00UEBERWEISUNG?10931?20SVWZ+Beitrag Musical fuer F?21RIDA inklusive\n"
                "?30KRHADE21?31DE10500105174381957749?32friedbert und ?33ronja engel\n"));
  EXPECT_EQ(record.purpose, "SVWZ+Beitrag Musical fuer FRIDA inklusive");
  EXPECT_EQ(record.counterparty.name, "friedbert und ronja engel");
  EXPECT_EQ(record.counterparty.account, "DE10500105174381957749");
  EXPECT_EQ(record.counterparty.bank, "KRHADE21");
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Unknown);
  EXPECT_EQ(record.tx_code, "NMSC/166");
}

TEST(Mt940ParserTest, StructuredInformationJoinsLinesWrappedInsideASubfieldCode) {
  const BankRecord record = only_record(
      statement(":61:200219D5,00NTRFNONREF\n:86:191?00SEPA-UEBERW?100399?20KREF+TFNr 01005?2\n"
                "2MTLG:SEPA?32Ri\nchter Renate\n"));
  EXPECT_EQ(record.purpose, "KREF+TFNr 01005MTLG:SEPA");
  EXPECT_EQ(record.counterparty.name, "Richter Renate");
}

TEST(Mt940ParserTest, StructuredInformationAppendsPurposeSubfieldsSixtyToSixtyThree) {
  const BankRecord record = only_record(
      statement(":61:200219D5,00NTRFNONREF\n:86:166?20first ?29last ?34914?60more ?63end\n"));
  EXPECT_EQ(record.purpose, "first last more end");
}

TEST(Mt940ParserTest, StructuredInformationAcceptsAnotherSeparator) {
  const BankRecord record = only_record(statement(
      ":61:110101D15,70N000NONREF\n:86:000>100987654321\n>20ALGEMENE KOS>21TEN\n>310390123456\n"));
  EXPECT_EQ(record.purpose, "ALGEMENE KOSTEN");
  EXPECT_EQ(record.counterparty.account, "0390123456");
}

TEST(Mt940ParserTest, StructuredInformationUsesIbanSubfieldWhenAccountIsMissing) {
  const BankRecord record =
      only_record(statement(":61:200219D5,00NTRFNONREF\n:86:020?20x?38LU12345?32NAME\n"));
  EXPECT_EQ(record.counterparty.account, "LU12345");
}

TEST(Mt940ParserTest, PostingTextIsPurposeWhenNoPurposeSubfieldIsGiven) {
  const BankRecord record =
      only_record(statement(":61:210208D0,01NCMZNONREF\n:86:834?00KONTENPOOL?102?3060050101\n"));
  EXPECT_EQ(record.purpose, "KONTENPOOL");
  EXPECT_EQ(record.counterparty.bank, "60050101");
}

TEST(Mt940ParserTest, FreeTextInformationIsPurposeWithoutCounterparty) {
  const BankRecord record =
      only_record(statement(":61:1811271127DR119,35NDDTNONREF\n:86:basically some information "
                            "here\nlots of information\n"));
  EXPECT_EQ(record.purpose, "basically some information here lots of information");
  EXPECT_TRUE(record.counterparty.name.empty());
  EXPECT_TRUE(record.counterparty.account.empty());
  EXPECT_EQ(record.tx_code, "NDDT");
}

TEST(Mt940ParserTest, FreeTextThatLooksLikeACodeWithSlashStaysFreeText) {
  const BankRecord record = only_record(statement(":61:200608D1,00NTRFNONREF\n:86:100/20 rent\n"));
  EXPECT_EQ(record.purpose, "100/20 rent");
  EXPECT_EQ(record.tx_code, "NTRF");
}

TEST(Mt940ParserTest, FreeTextLineOfFullSwiftWidthContinuesWithoutSpace) {
  // ":86:" + 61 characters = 65, the SWIFT line width: the bank cut a word.
  const std::string first = "/EREF/01-01-2013 12:00 00300009876/BENM//NAME/CONTRA ACCOUNxx";
  ASSERT_EQ(first.size() + 4, 65u);
  const BankRecord record =
      only_record(statement(":61:130101D25,00N102EREF\n:86:" + first + "\nT HOLDER\n"));
  EXPECT_EQ(record.purpose, first + "T HOLDER");
}

TEST(Mt940ParserTest, FreeTextLineShorterThanSwiftWidthContinuesAfterSpace) {
  const std::string first(60, 'A');
  const BankRecord record =
      only_record(statement(":61:130101D25,00N102EREF\n:86:" + first + "\nT HOLDER\n"));
  EXPECT_EQ(record.purpose, first + " T HOLDER");
}

TEST(Mt940ParserTest, SeveralInformationFieldsOfOneEntryAreJoined) {
  const BankRecord record = only_record(
      statement(":61:0910010930CR0,23FINTInterest\n:86:For your inform.\n:86:DANSKE BANK\n"));
  EXPECT_EQ(record.purpose, "For your inform. DANSKE BANK");
}

TEST(Mt940ParserTest, InformationAfterTheBalancesDescribesNoEntry) {
  const BankFile file = parse(
      ":20:R\n:25:A1\n:60F:C100722EUR0,00\n:61:100722D1,00NTRFNONREF\n:86:entry text\n"
      ":62F:C100723EUR3,47\n:86:D000004C000002D25,24C28,71\n-\n");
  EXPECT_EQ(file.statements.at(0).records.at(0).purpose, "entry text");
}

TEST(Mt940ParserTest, ControlCharactersInTextBecomeSpaces) {
  const BankRecord record =
      only_record(statement(":61:200608D1,00NTRFNONREF\n:86:GPSEOUL\tMPBZS\n"));
  EXPECT_EQ(record.purpose, "GPSEOUL MPBZS");
}

// --- message framing --------------------------------------------------------------------

TEST(Mt940ParserTest, ReadsMessagesInSwiftEnvelopes) {
  const std::string message =
      "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n:20:0000000000\n"
      ":25:NL81ASNB9999999999\n:28C:1/1\n:60F:C200101EUR444,29\n:61:2001010101D65,00NOVBNONREF\n"
      ":62F:C200101EUR379,29\n-}{5:}\n";
  const BankFile file = parse(message + message);
  ASSERT_EQ(file.statements.size(), 2u);
  EXPECT_EQ(file.statements[1].records.at(0).amount_fen, -6500);
  EXPECT_EQ(file.statements[1].records.at(0).source.position, "line 14");
  EXPECT_TRUE(file.warnings.empty());
}

TEST(Mt940ParserTest, ReadsFieldStartingOnTheEnvelopeLine) {
  const BankFile file =
      parse("{1:F01X}{2:O940X}{4::20:REF\n:25:A1\n:60F:C200101EUR1,00\n:62F:C200101EUR1,00\n-}\n");
  EXPECT_EQ(file.statements.at(0).statement_id, "REF");
}

TEST(Mt940ParserTest, ReadsSeveralBareMessagesSeparatedByDashLines) {
  const BankFile file = parse(statement(":61:200608C1,00NTRFNONREF\n") +
                              statement(":61:200608C2,00NTRFNONREF\n:61:200608C3,00NTRFNONREF\n"));
  ASSERT_EQ(file.statements.size(), 2u);
  EXPECT_EQ(file.statements[0].records.size(), 1u);
  EXPECT_EQ(file.statements[1].records.size(), 2u);
  EXPECT_EQ(file.statements[1].records[1].source.position, "line 13");
}

TEST(Mt940ParserTest, NewTransactionReferenceStartsANewMessageWithoutSeparator) {
  const BankFile file = parse(
      ":20:A\n:25:ACC1\n:60F:C130101EUR1,00\n:62F:C130101EUR1,00\n"
      ":20:B\n:25:ACC2\n:60F:C130101EUR1,00\n:61:130101C1,00NTRFNONREF\n:62F:C130101EUR2,00\n");
  ASSERT_EQ(file.statements.size(), 2u);
  EXPECT_EQ(file.statements[1].statement_id, "B");
  EXPECT_EQ(file.statements[1].records.at(0).account, "ACC2");
}

TEST(Mt940ParserTest, AcceptsCrLfLineEndsAndByteOrderMark) {
  const BankFile file = parse(
      "\xEF\xBB\xBF:20:R\r\n:25:A1 \r\n:60F:C200101EUR1,00\r\n:61:200101C1,00NTRFX//B1\r\n"
      ":86:text\r\n:62F:C200101EUR2,00\r\n-\r\n");
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_EQ(file.statements[0].statement_id, "R");
  EXPECT_EQ(record.account, "A1");
  EXPECT_EQ(record.bank_ref, "B1");
  EXPECT_EQ(record.purpose, "text");
}

TEST(Mt940ParserTest, LinesOutsideMessagesGiveOneWarning) {
  const BankFile file =
      parse("ABNANL2A\n940\nABNANL2A\n" + statement(":61:200608C1,00NTRFNONREF\n"));
  EXPECT_EQ(file.statements.at(0).records.size(), 1u);
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].location, "line 1");
  EXPECT_NE(file.warnings[0].message.find("3 line(s) outside"), std::string::npos);
}

TEST(Mt940ParserTest, EntryAfterMessageEndIsBookedToPreviousAccountWithWarning) {
  const BankFile file = parse(statement(":61:200608C1,00NTRFNONREF\n") +
                              ":61:2212191220C119,NMSC341241773//O/34\nPaiement\n");
  ASSERT_EQ(file.statements.size(), 2u);
  const BankRecord& record = file.statements[1].records.at(0);
  EXPECT_EQ(record.account, "25040066/0123456789");
  EXPECT_EQ(record.currency, "EUR");
  EXPECT_EQ(record.amount_fen, 11900);
  EXPECT_EQ(record.source.position, "line 8");
  EXPECT_FALSE(file.statements[1].opening.has_value());
  EXPECT_TRUE(has_warning_containing(file, "after the end of statement REF1/00143/1"));
}

// --- lenient handling -------------------------------------------------------------------

TEST(Mt940ParserTest, UnknownFieldIsIgnoredWithWarning) {
  const BankFile file =
      parse(statement(":61:1710111011DF2402,00S   X\n:NS:01526715\n0209TranzakciO\n"));
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_EQ(record.amount_fen, -240200);
  EXPECT_EQ(record.tx_code, "S");
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].location, "line 6");
  EXPECT_NE(file.warnings[0].message.find("unknown field :NS:"), std::string::npos);
}

TEST(Mt940ParserTest, ReadableAvailableBalancesAreIgnoredSilently) {
  const BankFile file =
      parse(statement("", ":62F:C200608EUR0,00\n:64:C200608EUR0,00\n:65:C200609EUR0,00\n"));
  EXPECT_TRUE(file.warnings.empty());
}

TEST(Mt940ParserTest, GarbageForwardBalanceIsIgnoredWithWarning) {
  const BankFile file =
      parse(statement(":61:2009040904C230,00N051NONREF\n", ":65F:Dnullnull7414,3\n"));
  EXPECT_EQ(file.statements.at(0).records.at(0).amount_fen, 23000);
  EXPECT_TRUE(has_warning_containing(file, "unreadable :65F: balance"));
}

TEST(Mt940ParserTest, InvalidUtf8IsReplacedWithWarning) {
  const BankRecord record =
      only_record(statement(":61:200608D1,00NTRFNONREF\n:86:Deviza \xE1tutal\xE1s\n"));
  EXPECT_EQ(record.purpose, "Deviza \xEF\xBF\xBDtutal\xEF\xBF\xBDs");
  const BankFile file = parse(statement(":61:200608D1,00NTRFNONREF\n:86:Deviza \xE1tutal\xE1s\n"));
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].location, "line 6");
  EXPECT_NE(file.warnings[0].message.find("not valid UTF-8"), std::string::npos);
}

TEST(Mt940ParserTest, ValidUtf8TextIsKept) {
  const BankRecord record = only_record(statement(":61:200608D1,00NTRFNONREF\n:86:学费 Müller\n"));
  EXPECT_EQ(record.purpose, "学费 Müller");
}

TEST(Mt940ParserTest, HugeInformationFieldIsReadInFull) {
  std::string info = ":86:";
  for (int i = 0; i < 200000; ++i) info += "word\n";
  const BankRecord record = only_record(statement(":61:200608D1,00NTRFNONREF\n" + info));
  EXPECT_EQ(record.purpose.size(), 200000u * 5u - 1u);
  EXPECT_EQ(record.amount_fen, -100);
}

TEST(Mt940ParserTest, HugeSingleLineReferenceIsKept) {
  const std::string reference(100000, 'R');
  const BankRecord record = only_record(statement(":61:200608D1,00NTRFX//" + reference + "\n"));
  EXPECT_EQ(record.bank_ref, reference);
}

// --- errors -------------------------------------------------------------------------------

TEST(Mt940ParserTest, EmptyFileIsNotMt940) {
  const InputError error = parse_error("");
  EXPECT_EQ(error.file(), kFile);
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("not an MT940 statement"), std::string::npos);
}

TEST(Mt940ParserTest, CsvFileIsNotMt940) {
  const InputError error = parse_error("txn_id,account,amount\n1,A,12.50\n");
  EXPECT_NE(error.message().find("not an MT940 statement"), std::string::npos);
  EXPECT_EQ(error.value(), "txn_id,account,amount");
}

TEST(Mt940ParserTest, EntryBeforeAnyStatementIsRejected) {
  const InputError error = parse_error(":61:200608D1,00NTRFNONREF\n" + statement(""));
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("outside any statement"), std::string::npos);
}

TEST(Mt940ParserTest, StatementWithoutAccountIsRejected) {
  const InputError error = parse_error(
      "\n:20:STARTUMSE\n:28C:00000/001\n:60F:C160229EUR1200,00\n:61:1601300301DR6,00N024NONREF\n"
      ":62F:C160301EUR1194,00\n-\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_EQ(error.value(), "STARTUMSE");
  EXPECT_NE(error.message().find(":25:"), std::string::npos);
}

TEST(Mt940ParserTest, StatementWithBlankAccountIsRejected) {
  const InputError error =
      parse_error(":20:R\n:25:   \n:60F:C200101EUR1,00\n:62F:C200101EUR1,00\n");
  EXPECT_NE(error.message().find(":25:"), std::string::npos);
}

TEST(Mt940ParserTest, StatementWithoutAnyBalanceIsRejected) {
  const InputError error = parse_error(":20:R\n:25:A1\n:61:200608D1,00NTRFNONREF\n-\n");
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("currency is unknown"), std::string::npos);
}

TEST(Mt940ParserTest, AmountWithNonZeroThirdDecimalIsRejected) {
  const InputError error = parse_error(statement(":61:200608D12,345NTRFNONREF\n"));
  EXPECT_EQ(error.file(), kFile);
  EXPECT_EQ(error.location(), "line 5");
  EXPECT_EQ(error.value(), "12,345");
  EXPECT_NE(error.message().find("not exact"), std::string::npos);
}

TEST(Mt940ParserTest, AmountWithoutDecimalCommaIsRejected) {
  const InputError error = parse_error(statement(":61:200608D12NTRFNONREF\n"));
  EXPECT_EQ(error.value(), "12");
  EXPECT_NE(error.message().find("no decimal comma"), std::string::npos);
}

TEST(Mt940ParserTest, AmountWithTwoCommasIsRejected) {
  EXPECT_EQ(parse_error(statement(":61:200608D1,2,3NTRFNONREF\n")).value(), "1,2,3");
}

TEST(Mt940ParserTest, HugeAmountIsRejected) {
  const InputError error =
      parse_error(statement(":61:200608D99999999999999999999999,00NTRFNONREF\n"));
  EXPECT_NE(error.message().find("out of range"), std::string::npos);
}

TEST(Mt940ParserTest, MissingAmountIsRejected) {
  const InputError error = parse_error(statement(":61:200608DNTRFNONREF\n"));
  EXPECT_NE(error.message().find("amount missing"), std::string::npos);
}

TEST(Mt940ParserTest, February30IsRejectedNamingLineAndValue) {
  const InputError error = parse_error(statement(":61:1602300301DR6,00N024NONREF\n"));
  EXPECT_EQ(error.location(), "line 5");
  EXPECT_EQ(error.value(), "160230");
}

TEST(Mt940ParserTest, InvalidEntryDateIsRejected) {
  const InputError error = parse_error(statement(":61:1602280230D6,00N024NONREF\n"));
  EXPECT_EQ(error.value(), "0230");
}

TEST(Mt940ParserTest, MissingDebitCreditMarkIsRejected) {
  const InputError error = parse_error(statement(":61:200608X1,00NTRFNONREF\n"));
  EXPECT_NE(error.message().find("mark C, D, RC or RD"), std::string::npos);
}

TEST(Mt940ParserTest, ReversalMarkWithoutDirectionIsRejected) {
  EXPECT_NE(parse_error(statement(":61:200608R1,00NTRFNONREF\n")).message().find("mark"),
            std::string::npos);
}

TEST(Mt940ParserTest, TruncatedStatementLineIsRejected) {
  const InputError error = parse_error(statement(":61:2006\n"));
  EXPECT_EQ(error.location(), "line 5");
  EXPECT_NE(error.message().find("value date"), std::string::npos);
}

TEST(Mt940ParserTest, StatementLineWrappedBeforeTheAmountIsRejected) {
  const InputError error =
      parse_error(":20:R\n:25:A1\n:60F:C181126EUR1,00\n:61:1811261126CR\n30,00N062NONREF\n");
  EXPECT_EQ(error.location(), "line 4");
  EXPECT_NE(error.message().find("amount missing"), std::string::npos);
}

TEST(Mt940ParserTest, MissingTransactionTypeCodeIsRejected) {
  const InputError error = parse_error(statement(":61:200219C65,00\n"));
  EXPECT_NE(error.message().find("transaction type code"), std::string::npos);
}

TEST(Mt940ParserTest, FileCutInsideTheStatementLineIsRejected) {
  const InputError error = parse_error(":20:R\n:25:A1\n:60F:C200605EUR0,00\n:61:2006080608D12");
  EXPECT_EQ(error.location(), "line 4");
}

TEST(Mt940ParserTest, FileCutAfterAnEntryKeepsTheEntryWithWarning) {
  const BankFile file = parse(":20:R\n:25:A1\n:60F:C200605EUR0,00\n:61:2006080608D12,35NTRFX//Y");
  EXPECT_EQ(file.statements.at(0).records.at(0).amount_fen, -1235);
  EXPECT_TRUE(has_warning_containing(file, "no closing balance"));
}

TEST(Mt940ParserTest, MalformedOpeningBalanceIsRejected) {
  const InputError error = parse_error(":20:R\n:25:A1\n:60F:C2006EUR\n:62F:C200101EUR1,00\n");
  EXPECT_EQ(error.location(), "line 3");
  EXPECT_NE(error.message().find(":60F:"), std::string::npos);
}

TEST(Mt940ParserTest, ClosingBalanceWithInexactAmountIsRejected) {
  const InputError error = parse_error(statement("", ":62F:C200608EUR0,001\n"));
  EXPECT_EQ(error.location(), "line 5");
  EXPECT_EQ(error.value(), "0,001");
}

TEST(Mt940ParserTest, BalanceWithInvalidDateIsRejected) {
  const InputError error = parse_error(":20:R\n:25:A1\n:60F:C160230EUR1,00\n");
  EXPECT_EQ(error.value(), "160230");
}

TEST(Mt940ParserTest, BalanceWithLowercaseCurrencyIsRejected) {
  EXPECT_EQ(parse_error(":20:R\n:25:A1\n:60F:C160228eur1,00\n").value(), "eur");
}

}  // namespace
}  // namespace sfmon::mt940_parser_test
