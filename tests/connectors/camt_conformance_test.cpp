#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "sfmon/connectors/camt_parser.h"
#include "sfmon/model/input_error.h"

namespace sfmon::camt_conformance_test {
namespace {

namespace fs = std::filesystem;

const Zone kShanghai{};

struct Expected {
  std::size_t statements;
  std::size_t booked_records;
  std::size_t pending_records;
  std::map<std::string, Fen> booked_sum_fen;  // per currency, signed
};

// Real camt files from other parsers' test suites (shared/conformance). The
// expected figures below were worked out from the XML itself, not from this
// parser: booked entries (Sts BOOK) summed with their CdtDbtInd per Amt@Ccy,
// and the record count is one per booked entry except batches whose TxDtls
// (two or more) all give amounts that add up to the entry amount, which count
// one per TxDtls. E.g. viafintech-053-valid_example_v4.xml: six debits
// (−1251.42), five credits (1810.56, four of them batches of 10+8+3+2 details
// plus one single), two reversal debits (−21.53) = 537.61 CHF in 32 records,
// which also equals its CLBD − OPBD (322689.77 − 322152.16).
const std::map<std::string, Expected>& expectations() {
  static const std::map<std::string, Expected> kExpected = {
      {"genkgo-camt052.v4.xml", {1, 0, 1, {}}},
      {"genkgo-camt052.v6.xml", {1, 0, 1, {}}},
      {"genkgo-camt052.v8.xml", {1, 1, 0, {{"SEK", -20000000}}}},
      {"genkgo-camt053.v2.all-balance-types.xml", {1, 1, 0, {{"EUR", 885}}}},
      {"genkgo-camt053.v2.five.decimals.xml", {1, 1, 0, {{"EUR", 885}}}},
      {"genkgo-camt053.v2.multi.statement.xml", {2, 2, 0, {{"EUR", 185}}}},
      {"genkgo-camt053.v2.with-party-ids.xml", {1, 1, 0, {{"EUR", 885}}}},
      {"genkgo-camt053.v3.xml", {1, 1, 0, {{"EUR", 885}}}},
      {"genkgo-camt053.v4.xml", {1, 1, 0, {{"EUR", 885}}}},
      {"genkgo-camt053.v8.xml", {1, 1, 0, {{"EUR", 885}}}},
      // Three TxDtls without amounts: the entry stays whole.
      {"genkgo-camt054.v2.xml", {1, 1, 0, {{"SEK", -20000000}}}},
      {"genkgo-camt054.v8-with-UETR.xml", {1, 1, 0, {{"SEK", -20000000}}}},
      {"genkgo-camt53.only-Dt-with-DtTm.xml", {1, 0, 0, {}}},
      {"viafintech-052-valid_example.xml", {1, 2, 0, {{"EUR", 500}}}},
      // Ntry[4] is a batch of 3.50 + 2.50 = 6.00.
      {"viafintech-053-valid_example.xml", {1, 5, 0, {{"EUR", -1000}}}},
      {"viafintech-053-valid_example_v4.xml", {1, 32, 0, {{"CHF", 53761}}}},
      {"viafintech-053-valid_example_v8.xml", {1, 3, 0, {{"CHF", 56325}, {"EUR", -2097}}}},
      {"viafintech-053-valid_example_with_batch.xml", {1, 3, 0, {{"EUR", 293426}}}},
      {"viafintech-053-valid_example_with_datetime.xml", {1, 1, 0, {{"USD", 19586}}}},
      {"viafintech-053-valid_example_with_debit.xml", {1, 5, 0, {{"EUR", -1000}}}},
      // One TxDtls of 0.04 inside a 4500.00 entry: not a batch, the entry counts.
      {"viafintech-053-valid_example_with_instdamt.xml", {1, 1, 0, {{"CHF", 450000}}}},
      {"viafintech-053-valid_example_with_other_id.xml", {1, 0, 0, {}}},
      {"viafintech-054-valid_example.xml", {1, 5, 0, {{"CHF", 5903}}}},
  };
  return kExpected;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> files_in(const std::string& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SFMON_CONFORMANCE_DIR) / folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

BankFile parse_conformance(const std::string& folder, const std::string& name) {
  const fs::path path = fs::path(SFMON_CONFORMANCE_DIR) / folder / name;
  return parse_camt(read_file(path), name, kShanghai);
}

InputError invalid_file_error(const std::string& name) {
  try {
    parse_conformance("invalid", name);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << name << " was accepted";
  return InputError("", "", "");
}

bool looks_like_xml(const std::string& content) {
  const std::size_t first = content.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string::npos && content[first] == '<';
}

TEST(CamtConformanceTest, EveryCamtFileHasExpectations) {
  const std::vector<fs::path> files = files_in("camt");
  ASSERT_FALSE(files.empty());
  for (const fs::path& path : files) {
    EXPECT_EQ(expectations().count(path.filename().string()), 1u)
        << path.filename() << " has no hand-derived expectation in this test";
  }
}

TEST(CamtConformanceTest, BookedRecordsMatchHandDerivedCountsAndSums) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    BankFile file;
    try {
      file = parse_conformance("camt", name);
    } catch (const InputError& error) {
      ADD_FAILURE() << error.what();
      continue;
    }
    EXPECT_EQ(file.format, BankFormat::Camt);
    EXPECT_EQ(file.statements.size(), expected.statements);
    std::size_t booked = 0;
    std::size_t pending = 0;
    std::map<std::string, Fen> sums;
    for (const BankStatement& statement : file.statements) {
      EXPECT_FALSE(statement.account.empty());
      EXPECT_FALSE(statement.statement_id.empty());
      for (const BankRecord& record : statement.records) {
        EXPECT_EQ(record.source.file, name);
        EXPECT_FALSE(record.source.position.empty());
        if (record.status == EntryStatus::Pending) {
          ++pending;
          continue;
        }
        ++booked;
        sums[record.currency] += record.amount_fen;
      }
    }
    EXPECT_EQ(booked, expected.booked_records);
    EXPECT_EQ(pending, expected.pending_records);
    EXPECT_EQ(sums, expected.booked_sum_fen);
  }
}

TEST(CamtConformanceTest, FormatDetailNamesTheMessageVersion) {
  EXPECT_EQ(parse_conformance("camt", "genkgo-camt052.v8.xml").format_detail, "camt.052.001.08");
  EXPECT_EQ(
      parse_conformance("camt", "viafintech-053-valid_example_with_datetime.xml").format_detail,
      "camt.053.001.10");
  EXPECT_EQ(parse_conformance("camt", "viafintech-054-valid_example.xml").format_detail,
            "camt.054.001.04");
}

TEST(CamtConformanceTest, ReversalsAreKeptAndMarked) {
  const BankFile file = parse_conformance("camt", "viafintech-053-valid_example_v4.xml");
  const std::vector<BankRecord>& records = file.statements.at(0).records;
  ASSERT_EQ(records.size(), 32u);
  const BankRecord& reversal = records[30];
  EXPECT_EQ(reversal.source.position, "Stmt[1]/Ntry[12]");
  EXPECT_TRUE(reversal.reversal);
  EXPECT_EQ(reversal.amount_fen, -600);
  EXPECT_EQ(reversal.bank_ref, "20160410375244000000000000000082");
  EXPECT_EQ(reversal.reversal_of, "EndToEnd-2B6C-CHDDBB5");
  EXPECT_EQ(reversal.counterparty.name, "Bernasconi Maria");
}

TEST(CamtConformanceTest, FiveDecimalBalancesAreExact) {
  const BankFile file = parse_conformance("camt", "genkgo-camt053.v2.five.decimals.xml");
  const BankStatement& statement = file.statements.at(0);
  ASSERT_TRUE(statement.opening && statement.closing);
  EXPECT_EQ(statement.opening->amount_fen, 1815);
  EXPECT_EQ(statement.closing->amount_fen, 2705);
  EXPECT_EQ(statement.opening->date, (Date{2014, 12, 30}));
}

TEST(CamtConformanceTest, DateTimeOnlyBalanceKeepsTheBanksDay) {
  const BankFile file = parse_conformance("camt", "genkgo-camt53.only-Dt-with-DtTm.xml");
  const BankStatement& statement = file.statements.at(0);
  ASSERT_TRUE(statement.opening.has_value());
  EXPECT_EQ(statement.opening->amount_fen, 544209);
  EXPECT_EQ(statement.opening->currency, "RON");
  EXPECT_EQ(statement.opening->date, (Date{2025, 7, 23}));
}

TEST(CamtConformanceTest, EveryInvalidXmlFileIsRejectedWithAUsefulMessage) {
  int xml_files = 0;
  for (const fs::path& path : files_in("invalid")) {
    if (!looks_like_xml(read_file(path))) continue;
    ++xml_files;
    const std::string name = path.filename().string();
    const InputError error = invalid_file_error(name);
    EXPECT_EQ(error.file(), name);
    EXPECT_FALSE(error.location().empty()) << error.what();
    EXPECT_FALSE(error.message().empty());
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << "one line";
  }
  EXPECT_GE(xml_files, 2);
}

TEST(CamtConformanceTest, StatementMessageWithoutStatementIsRejected) {
  const InputError error = invalid_file_error("genkgo-camt053.v2.wrong.xml");
  EXPECT_EQ(error.location(), "Document/BkToCstmrStmt");
  EXPECT_NE(error.message().find("no Stmt"), std::string::npos) << error.what();
}

TEST(CamtConformanceTest, DocumentWithoutCamtMessageIsRejected) {
  const InputError error = invalid_file_error("viafintech-invalid_namespace.xml");
  EXPECT_EQ(error.location(), "Document");
  EXPECT_NE(error.message().find("BkToCstmrStmt"), std::string::npos) << error.what();
}

}  // namespace
}  // namespace sfmon::camt_conformance_test
