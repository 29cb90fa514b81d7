#include "sfmon/connectors/camt_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "sfmon/model/input_error.h"

namespace sfmon::camt_parser_test {
namespace {

const Zone kShanghai{};
constexpr char kFile[] = "stmt.xml";
constexpr char kIban[] = "CN7712345678901234567890";
constexpr char kCamt053v2[] = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";

// A whole document: `message_body` inside the message element of `ns`.
std::string document(const std::string& message_body, const std::string& ns = kCamt053v2,
                     const std::string& message = "BkToCstmrStmt") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"" + ns + "\">\n<" +
         message +
         ">\n<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-09-02T18:00:00+08:00</CreDtTm></GrpHdr>\n" +
         message_body + "\n</" + message + ">\n</Document>\n";
}

const std::string kAccount =
    std::string("<Acct><Id><IBAN>") + kIban + "</IBAN></Id><Ccy>CNY</Ccy></Acct>";

// One statement (element `tag`) with the CNY test account and `body`.
std::string statement(const std::string& body, const std::string& account = kAccount,
                      const std::string& tag = "Stmt", const std::string& id = "STMT-1") {
  return "<" + tag + "><Id>" + id + "</Id>" + account + body + "</" + tag + ">";
}

// A booked CNY entry dated 2024-09-02 with `extra` appended inside Ntry;
// tests that need other core fields write the entry out in full.
std::string entry(const std::string& amount, const std::string& credit_debit,
                  const std::string& extra = "") {
  return "<Ntry><Amt Ccy=\"CNY\">" + amount + "</Amt><CdtDbtInd>" + credit_debit +
         "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-09-02</Dt></BookgDt>" + extra + "</Ntry>";
}

std::string details(const std::string& tx_details) {
  return "<NtryDtls>" + tx_details + "</NtryDtls>";
}

BankFile parse(const std::string& content) {
  return parse_camt(content, kFile, kShanghai);
}

// The records of the only statement of a one-statement document.
std::vector<BankRecord> records_of(const std::string& statement_body) {
  const BankFile file = parse(document(statement(statement_body)));
  EXPECT_EQ(file.statements.size(), 1u);
  return file.statements.empty() ? std::vector<BankRecord>{} : file.statements[0].records;
}

BankRecord only_record(const std::string& statement_body) {
  const std::vector<BankRecord> records = records_of(statement_body);
  EXPECT_EQ(records.size(), 1u);
  return records.empty() ? BankRecord{} : records[0];
}

InputError parse_error(const std::string& content) {
  try {
    parse(content);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError for: " << content.substr(0, 400);
  return InputError("", "", "");
}

bool has_warning(const BankFile& file, const std::string& location, const std::string& part) {
  for (const Warning& warning : file.warnings) {
    if (warning.location == location && warning.message.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- statements

TEST(CamtParserTest, ReadsStatementIdAccountCurrencyAndFormat) {
  const BankFile file = parse(document(statement(entry("100.00", "CRDT"))));
  EXPECT_EQ(file.format, BankFormat::Camt);
  EXPECT_EQ(file.format_detail, "camt.053.001.02");
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].statement_id, "STMT-1");
  EXPECT_EQ(file.statements[0].account, kIban);
  EXPECT_EQ(file.statements[0].currency, "CNY");
  EXPECT_TRUE(file.warnings.empty());
}

TEST(CamtParserTest, ReadsAccountFromOtherId) {
  const BankFile file = parse(document(statement(
      entry("1.00", "CRDT"), "<Acct><Id><Othr><Id>43050180123400000001</Id></Othr></Id></Acct>")));
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].account, "43050180123400000001");
  EXPECT_EQ(file.statements[0].records.at(0).account, "43050180123400000001");
}

TEST(CamtParserTest, TakesCurrencyFromAmountWhenAccountHasNone) {
  const BankFile file =
      parse(document(statement(entry("1.00", "CRDT"), "<Acct><Id><IBAN>X1</IBAN></Id></Acct>")));
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].currency, "CNY");
  EXPECT_EQ(file.statements[0].records.at(0).currency, "CNY");
}

TEST(CamtParserTest, UsesAccountCurrencyWhenAmountHasNoCcy) {
  const BankRecord record = only_record(
      "<Ntry><Amt>7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
      "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>");
  EXPECT_EQ(record.currency, "CNY");
  EXPECT_EQ(record.amount_fen, 700);
}

TEST(CamtParserTest, WarnsWhenEntryCurrencyDiffersFromAccount) {
  const BankFile file =
      parse(document(statement("<Ntry><Amt Ccy=\"EUR\">2.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>"
                               "<Sts>BOOK</Sts><BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>")));
  EXPECT_EQ(file.statements.at(0).records.at(0).currency, "EUR");
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[1]", "EUR differs from the account currency CNY"));
}

TEST(CamtParserTest, ReadsSeveralStatements) {
  const BankFile file = parse(
      document(statement(entry("1.00", "CRDT"), kAccount, "Stmt", "A") +
               statement(entry("2.00", "DBIT") + entry("3.00", "CRDT"), kAccount, "Stmt", "B")));
  ASSERT_EQ(file.statements.size(), 2u);
  EXPECT_EQ(file.statements[0].statement_id, "A");
  EXPECT_EQ(file.statements[1].statement_id, "B");
  ASSERT_EQ(file.statements[1].records.size(), 2u);
  EXPECT_EQ(file.statements[1].records[1].source.position, "Stmt[2]/Ntry[2]");
  EXPECT_EQ(file.statements[1].records[1].amount_fen, 300);
}

TEST(CamtParserTest, ReadsCamt052Reports) {
  const BankFile file =
      parse(document(statement(entry("5.00", "CRDT"), kAccount, "Rpt", "R-1"),
                     "urn:iso:std:iso:20022:tech:xsd:camt.052.001.08", "BkToCstmrAcctRpt"));
  EXPECT_EQ(file.format_detail, "camt.052.001.08");
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].statement_id, "R-1");
  EXPECT_EQ(file.statements[0].records.at(0).source.position, "Rpt[1]/Ntry[1]");
}

TEST(CamtParserTest, ReadsCamt054Notifications) {
  const BankFile file =
      parse(document(statement(entry("5.00", "DBIT"), kAccount, "Ntfctn", "N-1"),
                     "urn:iso:std:iso:20022:tech:xsd:camt.054.001.04", "BkToCstmrDbtCdtNtfctn"));
  EXPECT_EQ(file.format_detail, "camt.054.001.04");
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].statement_id, "N-1");
  EXPECT_EQ(file.statements[0].records.at(0).amount_fen, -500);
  EXPECT_EQ(file.statements[0].records.at(0).source.position, "Ntfctn[1]/Ntry[1]");
}

class CamtVersionTest : public testing::TestWithParam<const char*> {};

TEST_P(CamtVersionTest, AcceptsEveryCamt053Version) {
  const std::string ns = std::string("urn:iso:std:iso:20022:tech:xsd:camt.053.001.") + GetParam();
  const BankFile file = parse(document(statement(entry("1.00", "CRDT")), ns));
  EXPECT_EQ(file.format_detail, std::string("camt.053.001.") + GetParam());
  EXPECT_EQ(file.statements.at(0).records.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(CamtVersions, CamtVersionTest,
                         testing::Values("02", "03", "04", "06", "08", "10", "13"));

TEST(CamtParserTest, AcceptsPrefixedNamespace) {
  const std::string content =
      "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\"><c:BkToCstmrStmt>"
      "<c:Stmt><c:Id>S</c:Id><c:Acct><c:Id><c:IBAN>X1</c:IBAN></c:Id></c:Acct>"
      "<c:Ntry><c:Amt Ccy=\"CNY\">3.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts>BOOK</c:Sts>"
      "<c:BookgDt><c:Dt>2024-09-02</c:Dt></c:BookgDt></c:Ntry></c:Stmt></c:BkToCstmrStmt>"
      "</c:Document>";
  const BankFile file = parse(content);
  EXPECT_EQ(file.statements.at(0).records.at(0).amount_fen, 300);
}

TEST(CamtParserTest, IgnoresElementsOfOtherNamespaces) {
  // A supplementary-data envelope may carry anything; a look-alike Ntry in
  // another namespace is not an entry of this statement.
  const BankFile file = parse(document(statement(
      entry("1.00", "CRDT") +
      "<x:Ntry xmlns:x=\"urn:example:other\"><x:Amt Ccy=\"CNY\">99.00</x:Amt></x:Ntry>")));
  EXPECT_EQ(file.statements.at(0).records.size(), 1u);
}

TEST(CamtParserTest, AcceptsUtf8ByteOrderMark) {
  const BankFile file = parse("\xEF\xBB\xBF" + document(statement(entry("1.00", "CRDT"))));
  EXPECT_EQ(file.statements.at(0).records.size(), 1u);
}

TEST(CamtParserTest, AcceptsStatementWithoutEntries) {
  const BankFile file = parse(document(statement("")));
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_TRUE(file.statements[0].records.empty());
}

// ------------------------------------------------------------ amounts, signs

TEST(CamtParserTest, CreditIsPositiveAndDebitNegative) {
  const std::vector<BankRecord> records =
      records_of(entry("1234.50", "CRDT") + entry("0.07", "DBIT"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].amount_fen, 123450);
  EXPECT_EQ(records[1].amount_fen, -7);
}

TEST(CamtParserTest, AcceptsExtraZeroDecimalsAndWholeAmounts) {
  const std::vector<BankRecord> records =
      records_of(entry("5442.09000", "CRDT") + entry("200000", "DBIT") + entry("0.5", "CRDT"));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].amount_fen, 544209);
  EXPECT_EQ(records[1].amount_fen, -20000000);
  EXPECT_EQ(records[2].amount_fen, 50);
}

TEST(CamtParserTest, RejectsNonZeroThirdDecimalNamingPathAndValue) {
  const InputError error =
      parse_error(document(statement(entry("1.00", "CRDT") + entry("12.345", "CRDT"))));
  EXPECT_EQ(error.file(), kFile);
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[2]/Amt");
  EXPECT_EQ(error.value(), "12.345");
  EXPECT_NE(error.message().find("two decimals"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsMalformedAmount) {
  const InputError error = parse_error(document(statement(entry("12,50", "CRDT"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Amt");
  EXPECT_EQ(error.value(), "12,50");
}

TEST(CamtParserTest, RejectsSignedAmount) {
  const InputError error = parse_error(document(statement(entry("-5.00", "CRDT"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Amt");
  EXPECT_EQ(error.value(), "-5.00");
}

TEST(CamtParserTest, RejectsMissingAmount) {
  const InputError error = parse_error(document(statement(
      "<Ntry><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-09-02</Dt></BookgDt>"
      "</Ntry>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Amt");
  EXPECT_NE(error.message().find("missing Amt"), std::string::npos);
}

TEST(CamtParserTest, RejectsAmountWithoutAnyCurrency) {
  const InputError error = parse_error(
      document(statement("<Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                         "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>",
                         "<Acct><Id><IBAN>X1</IBAN></Id></Acct>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Amt");
  EXPECT_NE(error.message().find("no Ccy"), std::string::npos);
}

TEST(CamtParserTest, RejectsUnknownCreditDebitIndicator) {
  const InputError error = parse_error(document(statement(entry("1.00", "CRED"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/CdtDbtInd");
  EXPECT_EQ(error.value(), "CRED");
}

TEST(CamtParserTest, RejectsMissingCreditDebitIndicator) {
  const InputError error = parse_error(document(statement(
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><Sts>BOOK</Sts><BookgDt><Dt>2024-09-02</Dt></BookgDt>"
      "</Ntry>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/CdtDbtInd");
}

// ------------------------------------------------------------------- status

TEST(CamtParserTest, ReadsStatusAsTextOrCode) {
  const std::vector<BankRecord> records = records_of(
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
      "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>"
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>"
      "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>"
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>"
      "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>"
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>INFO</Sts>"
      "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].status, EntryStatus::Booked);
  EXPECT_EQ(records[1].status, EntryStatus::Pending);
  EXPECT_EQ(records[2].status, EntryStatus::Pending);
  EXPECT_EQ(records[3].status, EntryStatus::Pending);
}

TEST(CamtParserTest, RejectsUnknownStatus) {
  const InputError error = parse_error(document(statement(
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>DONE</Cd></Sts>"
      "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Sts/Cd");
  EXPECT_EQ(error.value(), "DONE");
}

TEST(CamtParserTest, RejectsMissingStatus) {
  const InputError error =
      parse_error(document(statement("<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                                     "<BookgDt><Dt>2024-09-02</Dt></BookgDt></Ntry>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Sts");
}

TEST(CamtParserTest, PendingEntryWithoutDatesIsDatedByCreationTimeSilently) {
  const BankFile file = parse(document(statement(
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts></Ntry>")));
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_EQ(record.status, EntryStatus::Pending);
  EXPECT_EQ(record.booked_at.to_string(), "2024-09-02T18:00:00+08:00");
  EXPECT_TRUE(file.warnings.empty());
}

// -------------------------------------------------------------------- dates

TEST(CamtParserTest, BookingDateIsMidnightInBureauZone) {
  const BankRecord record = only_record(entry("1.00", "CRDT"));
  EXPECT_EQ(record.booked_at, instant_from_date(Date{2024, 9, 2}, kShanghai));
  EXPECT_TRUE(record.booked_at.date_only);
}

TEST(CamtParserTest, BookingDateTimeKeepsItsOffset) {
  const BankRecord record = only_record(
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
      "<BookgDt><DtTm>2024-09-02T10:30:00.115965+02:00</DtTm></BookgDt></Ntry>");
  EXPECT_EQ(record.booked_at.to_string(), "2024-09-02T10:30:00+02:00");
  EXPECT_FALSE(record.booked_at.date_only);
}

TEST(CamtParserTest, BookingDateTimeWithoutOffsetIsBureauTime) {
  const BankRecord record = only_record(
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
      "<BookgDt><DtTm>2024-09-02T10:30:00</DtTm></BookgDt></Ntry>");
  EXPECT_EQ(record.booked_at.to_string(), "2024-09-02T10:30:00+08:00");
}

TEST(CamtParserTest, ReadsValueDateFromDtOrDtTm) {
  const std::vector<BankRecord> records =
      records_of(entry("1.00", "CRDT", "<ValDt><Dt>2024-09-03</Dt></ValDt>") +
                 entry("1.00", "CRDT", "<ValDt><DtTm>2024-09-04T23:30:00-05:00</DtTm></ValDt>") +
                 entry("1.00", "CRDT"));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].value_date, (Date{2024, 9, 3}));
  EXPECT_EQ(records[1].value_date, (Date{2024, 9, 4}));  // the bank's own day
  EXPECT_FALSE(records[2].value_date.has_value());
}

TEST(CamtParserTest, BookedEntryWithoutBookingDateUsesValueDateAndWarns) {
  const BankFile file = parse(document(
      statement("<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                "<ValDt><Dt>2024-09-05</Dt></ValDt></Ntry>")));
  EXPECT_EQ(file.statements.at(0).records.at(0).booked_at,
            instant_from_date(Date{2024, 9, 5}, kShanghai));
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[1]", "no BookgDt"));
}

TEST(CamtParserTest, BookedEntryWithoutAnyDateUsesStatementCreationTimeAndWarns) {
  const BankFile file = parse(document(statement(
      "<CreDtTm>2024-09-06T08:00:00+08:00</CreDtTm>"
      "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>")));
  EXPECT_EQ(file.statements.at(0).records.at(0).booked_at.to_string(), "2024-09-06T08:00:00+08:00");
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[1]", "dated by Stmt[1]/CreDtTm"));
}

TEST(CamtParserTest, RejectsEntryWithNothingToDateIt) {
  const std::string content =
      "<Document xmlns=\"" + std::string(kCamt053v2) + "\"><BkToCstmrStmt>" +
      statement(
          "<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
          "</Ntry>") +
      "</BkToCstmrStmt></Document>";
  const InputError error = parse_error(content);
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]");
}

TEST(CamtParserTest, RejectsImpossibleBookingDate) {
  const InputError error = parse_error(document(
      statement("<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                "<BookgDt><Dt>2024-02-30</Dt></BookgDt></Ntry>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/BookgDt/Dt");
  EXPECT_EQ(error.value(), "2024-02-30");
}

TEST(CamtParserTest, RejectsMalformedValueDateTime) {
  const InputError error = parse_error(
      document(statement(entry("1.00", "CRDT", "<ValDt><DtTm>yesterday</DtTm></ValDt>"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/ValDt/DtTm");
  EXPECT_EQ(error.value(), "yesterday");
}

TEST(CamtParserTest, RejectsDateChoiceWithNeitherDtNorDtTm) {
  const InputError error = parse_error(document(
      statement("<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                "<BookgDt></BookgDt></Ntry>")));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/BookgDt");
}

// --------------------------------------------------------- bank references

TEST(CamtParserTest, EntryReferencePrefersAccountServicerReference) {
  const BankRecord record = only_record(entry(
      "1.00", "CRDT",
      "<NtryRef>NREF</NtryRef><AcctSvcrRef>ASR-1</AcctSvcrRef>" +
          details("<TxDtls><Refs><AcctSvcrRef>TX-ASR</AcctSvcrRef><EndToEndId>E2E</EndToEndId>"
                  "</Refs></TxDtls>")));
  EXPECT_EQ(record.bank_ref, "ASR-1");
}

TEST(CamtParserTest, EntryReferenceFallsBackToSingleDetailAccountServicerReference) {
  const BankRecord record = only_record(
      entry("1.00", "CRDT",
            "<NtryRef>NREF</NtryRef>" +
                details("<TxDtls><Refs><AcctSvcrRef>TX-ASR</AcctSvcrRef></Refs></TxDtls>")));
  EXPECT_EQ(record.bank_ref, "TX-ASR");
}

TEST(CamtParserTest, EntryReferenceFallsBackToNtryRef) {
  const BankRecord record = only_record(
      entry("1.00", "CRDT",
            "<NtryRef>NREF</NtryRef>" + details("<TxDtls><Refs><EndToEndId>E2E</EndToEndId></Refs>"
                                                "</TxDtls>")));
  EXPECT_EQ(record.bank_ref, "NREF");
}

TEST(CamtParserTest, EntryReferenceFallsBackToEndToEndId) {
  const BankRecord record = only_record(entry(
      "1.00", "CRDT", details("<TxDtls><Refs><EndToEndId>E2E-9</EndToEndId></Refs></TxDtls>")));
  EXPECT_EQ(record.bank_ref, "E2E-9");
}

TEST(CamtParserTest, NotProvidedEndToEndIdLeavesReferenceToTheNormaliser) {
  const BankRecord record = only_record(
      entry("1.00", "CRDT",
            details("<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls>")));
  EXPECT_EQ(record.bank_ref, "");
  EXPECT_FALSE(record.ref_is_hash);
}

TEST(CamtParserTest, DuplicateReferenceInOneFileIsReleasedWithWarning) {
  const BankFile file = parse(document(statement(entry("1.00", "CRDT", "<NtryRef>R</NtryRef>") +
                                                 entry("2.00", "CRDT", "<NtryRef>R</NtryRef>"))));
  const std::vector<BankRecord>& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bank_ref, "R");
  EXPECT_EQ(records[1].bank_ref, "");
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[2]", "already used by Stmt[1]/Ntry[1]"));
}

TEST(CamtParserTest, PendingAndBookedEntriesMayShareAReference) {
  const BankFile file = parse(document(
      statement("<Ntry><Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>"
                "<AcctSvcrRef>R</AcctSvcrRef></Ntry>" +
                entry("1.00", "CRDT", "<AcctSvcrRef>R</AcctSvcrRef>"))));
  const std::vector<BankRecord>& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bank_ref, "R");
  EXPECT_EQ(records[1].bank_ref, "R");
  EXPECT_TRUE(file.warnings.empty());
}

// ------------------------------------------------------------ batch entries

const std::string kBatchOfThree = details(
    "<TxDtls><Refs><AcctSvcrRef>TX-A</AcctSvcrRef><EndToEndId>E-A</EndToEndId></Refs>"
    "<Amt Ccy=\"CNY\">50.00</Amt></TxDtls>"
    "<TxDtls><Refs><EndToEndId>E-B</EndToEndId></Refs><Amt Ccy=\"CNY\">30.00</Amt></TxDtls>"
    "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
    "<AmtDtls><TxAmt><Amt Ccy=\"CNY\">20.00</Amt></TxAmt></AmtDtls></TxDtls>");

TEST(CamtParserTest, SplitsBatchWhoseDetailAmountsAddUp) {
  const BankFile file = parse(document(
      statement(entry("100.00", "DBIT", "<AcctSvcrRef>B-1</AcctSvcrRef>" + kBatchOfThree))));
  const std::vector<BankRecord>& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].amount_fen, -5000);
  EXPECT_EQ(records[1].amount_fen, -3000);
  EXPECT_EQ(records[2].amount_fen, -2000);
  EXPECT_EQ(records[0].bank_ref, "TX-A");
  EXPECT_EQ(records[1].bank_ref, "E-B");
  EXPECT_EQ(records[2].bank_ref, "B-1#3");
  EXPECT_EQ(records[0].source.position, "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]");
  EXPECT_EQ(records[2].source.position, "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[3]");
  EXPECT_EQ(records[2].source.file, kFile);
  for (const BankRecord& record : records) {
    EXPECT_EQ(record.booked_at, instant_from_date(Date{2024, 9, 2}, kShanghai));
    EXPECT_EQ(record.status, EntryStatus::Booked);
    EXPECT_EQ(record.account, kIban);
  }
  EXPECT_TRUE(file.warnings.empty());
}

TEST(CamtParserTest, BatchDetailWithoutAnyReferenceLeavesItToTheNormaliser) {
  const std::vector<BankRecord> records = records_of(entry(
      "3.00", "CRDT",
      details("<TxDtls><Amt Ccy=\"CNY\">1.00</Amt></TxDtls><TxDtls><Amt Ccy=\"CNY\">2.00</Amt>"
              "</TxDtls>")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bank_ref, "");
  EXPECT_EQ(records[1].bank_ref, "");
}

TEST(CamtParserTest, BatchDetailFallsBackToNtryRefWithPosition) {
  const std::vector<BankRecord> records = records_of(entry(
      "3.00", "CRDT",
      "<NtryRef>N7</NtryRef>" +
          details("<TxDtls><Amt Ccy=\"CNY\">1.00</Amt></TxDtls><TxDtls><Amt Ccy=\"CNY\">2.00</Amt>"
                  "</TxDtls>")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bank_ref, "N7#1");
  EXPECT_EQ(records[1].bank_ref, "N7#2");
}

TEST(CamtParserTest, BatchPositionsCountAcrossSeveralNtryDtls) {
  const std::vector<BankRecord> records = records_of(entry(
      "3.00", "CRDT",
      "<AcctSvcrRef>B</AcctSvcrRef>" + details("<TxDtls><Amt Ccy=\"CNY\">1.00</Amt></TxDtls>") +
          details("<TxDtls><Amt Ccy=\"CNY\">2.00</Amt></TxDtls>")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].source.position, "Stmt[1]/Ntry[1]/NtryDtls[2]/TxDtls[1]");
  EXPECT_EQ(records[1].bank_ref, "B#2");
}

TEST(CamtParserTest, BatchDetailsMayCarryTheirOwnSign) {
  const std::vector<BankRecord> records = records_of(
      entry("7.00", "CRDT",
            details("<TxDtls><Amt Ccy=\"CNY\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>"
                    "<TxDtls><Amt Ccy=\"CNY\">3.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls>")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].amount_fen, 1000);
  EXPECT_EQ(records[1].amount_fen, -300);
}

TEST(CamtParserTest, BatchWithoutDetailAmountsStaysOneRecordSilently) {
  const BankFile file = parse(document(
      statement(entry("100.00", "DBIT",
                      "<AcctSvcrRef>B-1</AcctSvcrRef>" +
                          details("<TxDtls><Refs><EndToEndId>A</EndToEndId></Refs></TxDtls>"
                                  "<TxDtls><Refs><EndToEndId>B</EndToEndId></Refs></TxDtls>")))));
  const std::vector<BankRecord>& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].amount_fen, -10000);
  EXPECT_EQ(records[0].bank_ref, "B-1");
  EXPECT_EQ(records[0].source.position, "Stmt[1]/Ntry[1]");
  EXPECT_TRUE(file.warnings.empty());
}

TEST(CamtParserTest, BatchWhoseAmountsDoNotAddUpStaysOneRecordWithWarning) {
  const BankFile file =
      parse(document(statement(entry("100.00", "DBIT",
                                     details("<TxDtls><Amt Ccy=\"CNY\">60.00</Amt></TxDtls>"
                                             "<TxDtls><Amt Ccy=\"CNY\">30.00</Amt></TxDtls>")))));
  const std::vector<BankRecord>& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].amount_fen, -10000);
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[1]", "add up to -90.00"));
}

TEST(CamtParserTest, BatchWithSomeAmountsMissingStaysOneRecordWithWarning) {
  const BankFile file = parse(document(
      statement(entry("100.00", "CRDT",
                      details("<TxDtls><Amt Ccy=\"CNY\">60.00</Amt></TxDtls><TxDtls></TxDtls>")))));
  ASSERT_EQ(file.statements.at(0).records.size(), 1u);
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[1]", "only 1 of 2 TxDtls"));
}

TEST(CamtParserTest, BatchInAnotherCurrencyStaysOneRecordWithWarning) {
  const BankFile file =
      parse(document(statement(entry("100.00", "CRDT",
                                     details("<TxDtls><Amt Ccy=\"USD\">60.00</Amt></TxDtls>"
                                             "<TxDtls><Amt Ccy=\"USD\">40.00</Amt></TxDtls>")))));
  ASSERT_EQ(file.statements.at(0).records.size(), 1u);
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]", "USD"));
}

TEST(CamtParserTest, SingleDetailWithDifferentAmountDoesNotReplaceTheEntryAmount) {
  // A lone TxDtls often carries the instructed amount (fees, exchange):
  // the entry amount is what moved on the account.
  const BankRecord record = only_record(
      entry("4500.00", "CRDT", details("<TxDtls><Amt Ccy=\"CNY\">0.04</Amt></TxDtls>")));
  EXPECT_EQ(record.amount_fen, 450000);
  EXPECT_EQ(record.source.position, "Stmt[1]/Ntry[1]");
}

TEST(CamtParserTest, RejectsBadAmountInsideDetailsWithItsPath) {
  const InputError error = parse_error(
      document(statement(entry("3.00", "CRDT",
                               details("<TxDtls><Amt Ccy=\"CNY\">1.00</Amt></TxDtls>"
                                       "<TxDtls><Amt Ccy=\"CNY\">2.001</Amt></TxDtls>")))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[2]/Amt");
  EXPECT_EQ(error.value(), "2.001");
}

// ---------------------------------------------------------------- reversals

TEST(CamtParserTest, ReversalIsStoredWithItsSignAndReversedReference) {
  const BankRecord record = only_record(entry(
      "6.00", "DBIT",
      "<RvslInd>true</RvslInd>" +
          details("<TxDtls><Refs><EndToEndId>E2E-ORIG</EndToEndId></Refs><RltdPties>"
                  "<Dbtr><Nm>Payer Ltd</Nm></Dbtr><DbtrAcct><Id><IBAN>P1</IBAN></Id></DbtrAcct>"
                  "<Cdtr><Nm>Our School</Nm></Cdtr></RltdPties></TxDtls>")));
  EXPECT_TRUE(record.reversal);
  EXPECT_EQ(record.amount_fen, -600);
  EXPECT_EQ(record.reversal_of, "E2E-ORIG");
  // The shared end-to-end id names the reversed payment, not this record.
  EXPECT_EQ(record.bank_ref, "");
  // Reversing a credit: the other party is the original debtor.
  EXPECT_EQ(record.counterparty.name, "Payer Ltd");
  EXPECT_EQ(record.counterparty.account, "P1");
}

TEST(CamtParserTest, ReversalFalseIsAnOrdinaryEntry) {
  const BankRecord record = only_record(entry("6.00", "DBIT", "<RvslInd>false</RvslInd>"));
  EXPECT_FALSE(record.reversal);
  EXPECT_EQ(record.reversal_of, "");
}

TEST(CamtParserTest, ReversalOfBatchDetailsUsesTransactionIds) {
  const std::vector<BankRecord> records = records_of(entry(
      "3.00", "CRDT",
      "<RvslInd>1</RvslInd><AcctSvcrRef>RV</AcctSvcrRef>" +
          details("<TxDtls><Refs><TxId>T1</TxId></Refs><Amt Ccy=\"CNY\">1.00</Amt></TxDtls>"
                  "<TxDtls><Refs><EndToEndId>E2</EndToEndId></Refs><Amt Ccy=\"CNY\">2.00</Amt>"
                  "</TxDtls>")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].reversal);
  EXPECT_EQ(records[0].reversal_of, "T1");
  EXPECT_EQ(records[1].reversal_of, "E2");
  EXPECT_EQ(records[0].bank_ref, "RV#1");
  EXPECT_EQ(records[1].bank_ref, "RV#2");
}

TEST(CamtParserTest, RejectsMalformedReversalIndicator) {
  const InputError error =
      parse_error(document(statement(entry("1.00", "DBIT", "<RvslInd>yes</RvslInd>"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/RvslInd");
  EXPECT_EQ(error.value(), "yes");
}

// ------------------------------------------------------------- counterparty

const std::string kParties = details(
    "<TxDtls><RltdPties>"
    "<Dbtr><Nm>张三</Nm><Id><PrvtId><Othr><Id>ID1</Id></Othr></PrvtId></Id></Dbtr>"
    "<DbtrAcct><Id><Othr><Id>6222020000000001</Id></Othr></Id></DbtrAcct>"
    "<Cdtr><Nm>湖南某某教育投资有限公司</Nm><Id><OrgId><Othr><Id>91430000</Id></Othr></OrgId></Id>"
    "</Cdtr><CdtrAcct><Id><IBAN>CN0043001234567890</IBAN></Id></CdtrAcct></RltdPties>"
    "<RltdAgts><DbtrAgt><FinInstnId><BIC>ICBKCNBJ</BIC></FinInstnId></DbtrAgt>"
    "<CdtrAgt><FinInstnId><BICFI>PCBCCNBJ</BICFI><Nm>建设银行长沙分行</Nm></FinInstnId></CdtrAgt>"
    "</RltdAgts></TxDtls>");

TEST(CamtParserTest, DebitCounterpartyIsTheCreditor) {
  const BankRecord record = only_record(entry("1.00", "DBIT", kParties));
  EXPECT_EQ(record.counterparty.name, "湖南某某教育投资有限公司");
  EXPECT_EQ(record.counterparty.account, "CN0043001234567890");
  EXPECT_EQ(record.counterparty.bank, "建设银行长沙分行");
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Organisation);
  EXPECT_EQ(record.counterparty.basis, ClassBasis::Source);
}

TEST(CamtParserTest, CreditCounterpartyIsTheDebtor) {
  const BankRecord record = only_record(entry("1.00", "CRDT", kParties));
  EXPECT_EQ(record.counterparty.name, "张三");
  EXPECT_EQ(record.counterparty.account, "6222020000000001");
  EXPECT_EQ(record.counterparty.bank, "ICBKCNBJ");
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Person);
  EXPECT_EQ(record.counterparty.basis, ClassBasis::Source);
}

TEST(CamtParserTest, ReadsPartyInsidePtyOfNewerVersions) {
  const BankRecord record = only_record(entry(
      "1.00", "DBIT",
      details("<TxDtls><RltdPties><Cdtr><Pty><Nm>Finanz AG</Nm><Id><OrgId><AnyBIC>FINAG</AnyBIC>"
              "</OrgId></Id></Pty></Cdtr></RltdPties></TxDtls>")));
  EXPECT_EQ(record.counterparty.name, "Finanz AG");
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Organisation);
}

TEST(CamtParserTest, CounterpartyWithoutIdStaysUnclassified) {
  const BankRecord record = only_record(
      entry("1.00", "CRDT",
            details("<TxDtls><RltdPties><Dbtr><Nm>李四</Nm></Dbtr></RltdPties></TxDtls>")));
  EXPECT_EQ(record.counterparty.name, "李四");
  EXPECT_EQ(record.counterparty.cls, CounterpartyClass::Unknown);
  EXPECT_EQ(record.counterparty.basis, ClassBasis::None);
}

TEST(CamtParserTest, EntryWithoutDetailsHasNoCounterparty) {
  const BankRecord record = only_record(entry("1.00", "DBIT"));
  EXPECT_EQ(record.counterparty.name, "");
  EXPECT_EQ(record.counterparty.account, "");
}

TEST(CamtParserTest, UnsplitBatchKeepsCounterpartyOnlyWhenAllDetailsAgree) {
  const std::string same =
      "<TxDtls><RltdPties><Cdtr><Nm>A</Nm></Cdtr></RltdPties></TxDtls>"
      "<TxDtls><RltdPties><Cdtr><Nm>A</Nm></Cdtr></RltdPties></TxDtls>";
  const std::string different =
      "<TxDtls><RltdPties><Cdtr><Nm>A</Nm></Cdtr></RltdPties></TxDtls>"
      "<TxDtls><RltdPties><Cdtr><Nm>B</Nm></Cdtr></RltdPties></TxDtls>";
  const std::vector<BankRecord> records =
      records_of(entry("1.00", "DBIT", details(same)) + entry("1.00", "DBIT", details(different)));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].counterparty.name, "A");
  EXPECT_EQ(records[1].counterparty.name, "");
}

// ------------------------------------------------------ purpose and tx code

TEST(CamtParserTest, PurposeJoinsRemittanceAndAdditionalInformation) {
  const BankRecord record =
      only_record(entry("1.00", "DBIT",
                        details("<TxDtls><RmtInf><Ustrd>九月</Ustrd><Ustrd>工资</Ustrd></RmtInf>"
                                "<AddtlTxInf>批量代发</AddtlTxInf></TxDtls>") +
                            "<AddtlNtryInf>网银转账</AddtlNtryInf>"));
  EXPECT_EQ(record.purpose, "九月 工资 批量代发 网银转账");
}

TEST(CamtParserTest, PurposeLeavesOutRepeatedText) {
  const BankRecord record =
      only_record(entry("1.00", "DBIT",
                        details("<TxDtls><RmtInf><Ustrd>RENT</Ustrd></RmtInf></TxDtls>") +
                            "<AddtlNtryInf>RENT</AddtlNtryInf>"));
  EXPECT_EQ(record.purpose, "RENT");
}

TEST(CamtParserTest, PurposeFromAdditionalEntryInformationAlone) {
  const BankRecord record = only_record(entry("1.00", "DBIT", "<AddtlNtryInf>取现</AddtlNtryInf>"));
  EXPECT_EQ(record.purpose, "取现");
}

TEST(CamtParserTest, TransactionCodeFromDomainFamilyAndSubFamily) {
  const BankRecord record = only_record(entry(
      "1.00", "CRDT",
      "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
      "<Prtry><Cd>NTRF+166</Cd></Prtry></BkTxCd>"));
  EXPECT_EQ(record.tx_code, "PMNT/RCDT/ESCT");
}

TEST(CamtParserTest, TransactionCodeFromProprietaryCode) {
  const BankRecord record =
      only_record(entry("1.00", "CRDT", "<BkTxCd><Prtry><Cd>NTRF+166</Cd></Prtry></BkTxCd>"));
  EXPECT_EQ(record.tx_code, "NTRF+166");
}

TEST(CamtParserTest, SplitDetailsUseTheirOwnTransactionCode) {
  const std::vector<BankRecord> records = records_of(
      entry("3.00", "CRDT",
            "<BkTxCd><Prtry><Cd>BATCH</Cd></Prtry></BkTxCd>" +
                details("<TxDtls><Amt Ccy=\"CNY\">1.00</Amt><BkTxCd><Prtry><Cd>ONE</Cd></Prtry>"
                        "</BkTxCd></TxDtls><TxDtls><Amt Ccy=\"CNY\">2.00</Amt></TxDtls>")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].tx_code, "ONE");
  EXPECT_EQ(records[1].tx_code, "BATCH");
}

// ----------------------------------------------------------------- balances

std::string balance(const std::string& code, const std::string& amount,
                    const std::string& credit_debit, const std::string& date) {
  return "<Bal><Tp><CdOrPrtry><Cd>" + code + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">" + amount +
         "</Amt><CdtDbtInd>" + credit_debit + "</CdtDbtInd><Dt>" + date + "</Dt></Bal>";
}

TEST(CamtParserTest, ReadsOpeningAndClosingBookedBalances) {
  const BankFile file = parse(document(
      statement(balance("OPBD", "1000.00", "CRDT", "<Dt>2024-09-01</Dt>") +
                balance("CLAV", "5.00", "CRDT", "<Dt>2024-09-02</Dt>") +
                balance("CLBD", "20.50", "DBIT", "<DtTm>2024-09-02T23:59:59+08:00</DtTm>"))));
  const BankStatement& statement_read = file.statements.at(0);
  ASSERT_TRUE(statement_read.opening.has_value());
  EXPECT_EQ(statement_read.opening->type, BalanceType::Opening);
  EXPECT_EQ(statement_read.opening->amount_fen, 100000);
  EXPECT_EQ(statement_read.opening->date, (Date{2024, 9, 1}));
  EXPECT_EQ(statement_read.opening->currency, "CNY");
  ASSERT_TRUE(statement_read.closing.has_value());
  EXPECT_EQ(statement_read.closing->type, BalanceType::Closing);
  EXPECT_EQ(statement_read.closing->amount_fen, -2050);
  EXPECT_EQ(statement_read.closing->date, (Date{2024, 9, 2}));
}

TEST(CamtParserTest, PreviouslyClosedBalanceOpensWhenThereIsNoOpbd) {
  const BankFile file =
      parse(document(statement(balance("PRCD", "8.50", "CRDT", "<Dt>2024-08-31</Dt>"))));
  ASSERT_TRUE(file.statements.at(0).opening.has_value());
  EXPECT_EQ(file.statements[0].opening->amount_fen, 850);
  EXPECT_FALSE(file.statements[0].closing.has_value());
}

TEST(CamtParserTest, OpeningBookedBalanceWinsOverPreviouslyClosed) {
  const BankFile file =
      parse(document(statement(balance("PRCD", "1.00", "CRDT", "<Dt>2024-08-31</Dt>") +
                               balance("OPBD", "2.00", "CRDT", "<Dt>2024-09-01</Dt>") +
                               balance("PRCD", "3.00", "CRDT", "<Dt>2024-08-31</Dt>"))));
  EXPECT_EQ(file.statements.at(0).opening->amount_fen, 200);
  EXPECT_TRUE(file.warnings.empty());
}

TEST(CamtParserTest, SecondClosingBalanceIsIgnoredWithWarning) {
  const BankFile file =
      parse(document(statement(balance("CLBD", "1.00", "CRDT", "<Dt>2024-09-01</Dt>") +
                               balance("CLBD", "2.00", "CRDT", "<Dt>2024-09-02</Dt>"))));
  EXPECT_EQ(file.statements.at(0).closing->amount_fen, 100);
  EXPECT_TRUE(has_warning(file, "Stmt[1]/Bal[2]", "second CLBD"));
}

TEST(CamtParserTest, RejectsBalanceWithBadAmount) {
  const InputError error =
      parse_error(document(statement(balance("CLBD", "1.001", "CRDT", "<Dt>2024-09-01</Dt>"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Bal[1]/Amt");
  EXPECT_EQ(error.value(), "1.001");
}

TEST(CamtParserTest, RejectsBalanceWithBadDate) {
  const InputError error =
      parse_error(document(statement(balance("OPBD", "1.00", "CRDT", "<Dt>01.09.2024</Dt>"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Bal[1]/Dt/Dt");
  EXPECT_EQ(error.value(), "01.09.2024");
}

// --------------------------------------------------- document-level errors

TEST(CamtParserTest, RejectsEmptyFile) {
  for (const std::string content : {"", "  \n\t", "\xEF\xBB\xBF"}) {
    const InputError error = parse_error(content);
    EXPECT_EQ(error.file(), kFile);
    EXPECT_NE(error.message().find("empty"), std::string::npos) << error.what();
  }
}

TEST(CamtParserTest, RejectsTruncatedXmlWithLineAndColumn) {
  const std::string full = document(statement(entry("1.00", "CRDT") + entry("2.00", "CRDT")));
  const std::string truncated = full.substr(0, full.find("<CdtDbtInd>", full.find("2.00")) + 5);
  const InputError error = parse_error(truncated);
  EXPECT_EQ(error.location().substr(0, 2), "5:") << error.what();
  EXPECT_NE(error.message().find("malformed XML"), std::string::npos) << error.what();
  EXPECT_NE(error.message().find("Stmt[1]/Ntry[2]"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsMismatchedTags) {
  const InputError error = parse_error("<Document xmlns=\"" + std::string(kCamt053v2) +
                                       "\">\n<BkToCstmrStmt></Stmt></Document>");
  EXPECT_EQ(error.location(), "2:18");  // expat points at the end tag's name
  EXPECT_NE(error.message().find("mismatch"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsUnknownRoot) {
  const InputError error = parse_error("<?xml version=\"1.0\"?>\n<Statement xmlns=\"" +
                                       std::string(kCamt053v2) + "\"/>");
  EXPECT_EQ(error.location(), "2:1");
  EXPECT_EQ(error.value(), "Statement");
  EXPECT_NE(error.message().find("unknown root"), std::string::npos);
}

TEST(CamtParserTest, RejectsUnknownNamespace) {
  for (const std::string ns : {"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
                               "urn:iso:std:iso:20022:tech:xsd:camt.053.002.02",
                               "urn:iso:std:iso:20022:tech:xsd:camt.053.001.x", ""}) {
    const InputError error = parse_error(document(statement(entry("1.00", "CRDT")), ns));
    EXPECT_EQ(error.location(), "Document") << ns;
    EXPECT_EQ(error.value(), ns);
    EXPECT_NE(error.message().find("unknown namespace"), std::string::npos) << error.what();
  }
}

TEST(CamtParserTest, RejectsCamtMessagesThatCarryNoEntries) {
  const InputError error = parse_error(
      document(statement(""), "urn:iso:std:iso:20022:tech:xsd:camt.056.001.08", "FIToFIPmtCxlReq"));
  EXPECT_EQ(error.location(), "Document");
  EXPECT_NE(error.message().find("camt.052, .053 or .054"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsMessageThatDoesNotMatchTheNamespace) {
  const InputError error = parse_error(
      document(statement(entry("1.00", "CRDT")), "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"));
  EXPECT_EQ(error.location(), "Document");
  EXPECT_NE(error.message().find("BkToCstmrAcctRpt"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsMessageWithoutStatements) {
  const InputError error = parse_error(document(""));
  EXPECT_EQ(error.location(), "Document/BkToCstmrStmt");
  EXPECT_NE(error.message().find("no Stmt"), std::string::npos);
}

TEST(CamtParserTest, RejectsStatementWithoutAccount) {
  const InputError error = parse_error(document("<Stmt><Id>S</Id></Stmt>"));
  EXPECT_EQ(error.location(), "Stmt[1]/Acct");
}

TEST(CamtParserTest, RejectsStatementWithoutId) {
  const InputError error = parse_error(document("<Stmt>" + kAccount + "</Stmt>"));
  EXPECT_EQ(error.location(), "Stmt[1]/Id");
}

TEST(CamtParserTest, RejectsNonXml) {
  const InputError error = parse_error(":20:STARTUMS\n:25:123/456\n");
  EXPECT_EQ(error.location(), "1:1");
  EXPECT_NE(error.message().find("malformed XML"), std::string::npos);
}

// ----------------------------------------------------------------- security

TEST(CamtParserTest, RejectsBillionLaughsQuickly) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [\n<!ENTITY l0 \"ha\">\n";
  for (int level = 1; level <= 10; ++level) {
    bomb += "<!ENTITY l" + std::to_string(level) + " \"";
    for (int i = 0; i < 10; ++i) bomb += "&l" + std::to_string(level - 1) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<Document xmlns=\"" + std::string(kCamt053v2) + "\">&l10;</Document>";
  const auto start = std::chrono::steady_clock::now();
  const InputError error = parse_error(bomb);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  EXPECT_NE(error.message().find("DOCTYPE"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsExternalEntities) {
  const std::string content =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM "
      "\"file:///etc/passwd\">]>\n<Document xmlns=\"" +
      std::string(kCamt053v2) + "\">&x;</Document>";
  const InputError error = parse_error(content);
  EXPECT_EQ(error.location().substr(0, 2), "2:") << error.what();
  EXPECT_NE(error.message().find("DOCTYPE"), std::string::npos) << error.what();
}

TEST(CamtParserTest, RejectsUndeclaredEntityReference) {
  const InputError error = parse_error(
      document(statement(entry("1.00", "CRDT", "<AddtlNtryInf>&secret;</AddtlNtryInf>"))));
  EXPECT_NE(error.message().find("malformed XML"), std::string::npos) << error.what();
}

TEST(CamtParserTest, DecodesPredefinedAndCharacterEntities) {
  const BankRecord record =
      only_record(entry("1.00", "CRDT", "<AddtlNtryInf>A&amp;B &#x5B66;&lt;</AddtlNtryInf>"));
  EXPECT_EQ(record.purpose, "A&B 学<");
}

TEST(CamtParserTest, RejectsExcessiveNesting) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  const InputError error = parse_error(document(statement(deep)));
  EXPECT_NE(error.message().find("nested deeper"), std::string::npos) << error.what();
}

TEST(CamtParserTest, KeepsHugeTextFieldWhole) {
  const std::string huge(4 * 1024 * 1024, 'x');
  const BankRecord record =
      only_record(entry("1.00", "CRDT", "<AddtlNtryInf>" + huge + "</AddtlNtryInf>"));
  EXPECT_EQ(record.purpose.size(), huge.size());
}

TEST(CamtParserTest, HugeBadAmountIsReportedWithBoundedValue) {
  const std::string huge(1024 * 1024, '9');
  const InputError error = parse_error(document(statement(entry(huge + ".001", "CRDT"))));
  EXPECT_EQ(error.location(), "Stmt[1]/Ntry[1]/Amt");
  EXPECT_LE(error.value().size(), 200u);
  EXPECT_LT(std::string(error.what()).size(), 400u);
}

}  // namespace
}  // namespace sfmon::camt_parser_test
