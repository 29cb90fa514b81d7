#include "sfmon/connectors/bank_file_parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sfmon/model/input_error.h"

namespace sfmon::bank_file_parser_test {
namespace {

namespace fs = std::filesystem;

const Zone kShanghai{};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> conformance_files(const std::string& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SFMON_CONFORMANCE_DIR) / folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

InputError detect_error(std::string_view content) {
  try {
    detect_bank_format(content, "in.dat");
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError for: " << content;
  return InputError("", "", "");
}

// ---- detection ---------------------------------------------------------------

TEST(DetectBankFormatTest, XmlIsCamt) {
  EXPECT_EQ(detect_bank_format("<?xml version=\"1.0\"?><Document/>", "f"), BankFormat::Camt);
  EXPECT_EQ(detect_bank_format("\n  <Document/>", "f"), BankFormat::Camt);
  EXPECT_EQ(detect_bank_format("\xEF\xBB\xBF<?xml version=\"1.0\"?>", "f"), BankFormat::Camt);
}

TEST(DetectBankFormatTest, CsvHeaderIsCsv) {
  EXPECT_EQ(detect_bank_format("txn_id,account,booked_at,amount,currency\n", "f"), BankFormat::Csv);
  EXPECT_EQ(detect_bank_format("\xEF\xBB\xBF\r\n\"Amount\", \"TXN_ID\",account\r\n", "f"),
            BankFormat::Csv);
}

TEST(DetectBankFormatTest, CsvWithoutRequiredColumnsIsUnrecognised) {
  const InputError error = detect_error("id,account,value\n1,2,3\n");
  EXPECT_EQ(error.file(), "in.dat");
  EXPECT_NE(error.message().find("unrecognised bank file format"), std::string::npos);
  EXPECT_EQ(error.value(), "id,account,value");
}

TEST(DetectBankFormatTest, BareMt940IsMt940) {
  EXPECT_EQ(detect_bank_format(":20:REF\n:25:ACC\n:28C:1/1\n:60F:C240101CNY0,00\n", "f"),
            BankFormat::Mt940);
}

TEST(DetectBankFormatTest, EnvelopedMt940IsMt940) {
  EXPECT_EQ(detect_bank_format(
                "{1:F01BANKXXXX0000000000}{2:O940BANKXXXX}{4::20:REF\r\n:25:ACC\r\n-}", "f"),
            BankFormat::Mt940);
}

TEST(DetectBankFormatTest, EntryLineAloneIsMt940) {
  EXPECT_EQ(detect_bank_format(":61:1811261126CR\n30,00N062NONREF\n", "f"), BankFormat::Mt940);
}

TEST(DetectBankFormatTest, LoneReferenceTagIsUnrecognised) {
  EXPECT_NE(detect_error(":20:REF\nsome text\n").message().find("unrecognised"), std::string::npos);
}

TEST(DetectBankFormatTest, TagsInsideLinesDoNotCount) {
  detect_error("note: see :20: and :25: here\n");
}

TEST(DetectBankFormatTest, EmptyFileIsUnrecognised) {
  detect_error("");
  detect_error("\xEF\xBB\xBF  \n");
}

TEST(DetectBankFormatTest, ConformanceCamtFilesAreCamt) {
  for (const auto& path : conformance_files("camt")) {
    EXPECT_EQ(detect_bank_format(read_file(path), path.filename()), BankFormat::Camt) << path;
  }
}

TEST(DetectBankFormatTest, ConformanceMt940FilesAreMt940) {
  const auto files = conformance_files("mt940");
  ASSERT_FALSE(files.empty());
  for (const auto& path : files) {
    EXPECT_EQ(detect_bank_format(read_file(path), path.filename()), BankFormat::Mt940) << path;
  }
}

TEST(DetectBankFormatTest, DamagedMt940FilesStillReachTheMt940Parser) {
  for (const auto& path : conformance_files("lenient")) {
    EXPECT_EQ(detect_bank_format(read_file(path), path.filename()), BankFormat::Mt940) << path;
  }
}

TEST(DetectBankFormatTest, NumberListIsUnrecognised) {
  const fs::path path =
      fs::path(SFMON_CONFORMANCE_DIR) / "invalid" / "wolph-self-provided-invalid_statement.sta";
  EXPECT_THROW(detect_bank_format(read_file(path), path.filename()), InputError);
}

// ---- parse_bank_file ---------------------------------------------------------

TEST(ParseBankFileTest, DispatchesCsv) {
  const BankFile file = parse_bank_file(
      "\xEF\xBB\xBFtxn_id,account,booked_at,amount,currency\r\nT1,A,2024-09-02,1.50,CNY\r\n",
      "bank.csv", kShanghai);
  EXPECT_EQ(file.format, BankFormat::Csv);
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.statements[0].records.at(0).amount_fen, 150);
  EXPECT_TRUE(file.warnings.empty());
}

TEST(ParseBankFileTest, RejectsInvalidUtf8InCsvNamingTheLine) {
  try {
    parse_bank_file(
        "txn_id,account,booked_at,amount,currency\nT1,A,2024-09-02,1,CNY\n"
        "T2,A,2024-09-02,1,C\xFFY\n",
        "bank.csv", kShanghai);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), "bank.csv");
    EXPECT_EQ(error.location(), "line 3");
    EXPECT_NE(error.message().find("UTF-8"), std::string::npos);
  }
}

TEST(ParseBankFileTest, RejectsUnrecognisedContent) {
  EXPECT_THROW(parse_bank_file("hello\nworld\n", "x.txt", kShanghai), InputError);
}

TEST(ParseBankFileTest, DispatchesMt940AndReconciles) {
  const BankFile file = parse_bank_file(
      ":20:STMT1\n:25:4305001\n:28C:1/1\n:60F:C240102CNY100,00\n"
      ":61:2401020102C50,00NTRFNONREF//B1\n:86:test\n:62F:C240102CNY160,00\n",
      "s.sta", kShanghai);
  EXPECT_EQ(file.format, BankFormat::Mt940);
  ASSERT_EQ(file.statements.size(), 1u);
  ASSERT_EQ(file.statements[0].records.size(), 1u);
  bool found = false;
  for (const Warning& warning : file.warnings) {
    found = found || warning.message.find("opening 100.00 + entries 50.00 != closing 160.00") !=
                         std::string::npos;
  }
  EXPECT_TRUE(found) << "no reconciliation warning among " << file.warnings.size();
}

TEST(ParseBankFileTest, BalancedMt940HasNoReconciliationWarning) {
  const BankFile file = parse_bank_file(
      ":20:STMT1\n:25:4305001\n:28C:1/1\n:60F:C240102CNY100,00\n"
      ":61:2401020102D50,00NTRFNONREF//B1\n:86:test\n:62F:C240102CNY50,00\n",
      "s.sta", kShanghai);
  for (const Warning& warning : file.warnings) {
    EXPECT_EQ(warning.message.find("!= closing"), std::string::npos) << warning.to_string();
  }
}

TEST(ParseBankFileTest, DispatchesCamt) {
  const fs::path path =
      fs::path(SFMON_CONFORMANCE_DIR) / "camt" / "viafintech-053-valid_example.xml";
  const BankFile file = parse_bank_file(read_file(path), path.filename(), kShanghai);
  EXPECT_EQ(file.format, BankFormat::Camt);
  EXPECT_FALSE(file.statements.empty());
}

TEST(ParseBankFileTest, CamtWithBomIsParsed) {
  const fs::path path =
      fs::path(SFMON_CONFORMANCE_DIR) / "camt" / "viafintech-053-valid_example.xml";
  const BankFile file = parse_bank_file("\xEF\xBB\xBF" + read_file(path), "bom.xml", kShanghai);
  EXPECT_EQ(file.format, BankFormat::Camt);
}

TEST(ParseBankFileTest, EveryConformanceFileIsParsedOrRejectedCleanly) {
  for (const std::string folder : {"camt", "mt940", "lenient"}) {
    for (const auto& path : conformance_files(folder)) {
      try {
        const BankFile file = parse_bank_file(read_file(path), path.filename(), kShanghai);
        if (folder != "lenient") {
          EXPECT_FALSE(file.statements.empty()) << path;
        }
      } catch (const InputError& error) {
        EXPECT_EQ(folder, "lenient") << path << ": " << error.what();
      }
    }
  }
  for (const auto& path : conformance_files("invalid")) {
    EXPECT_THROW(parse_bank_file(read_file(path), path.filename(), kShanghai), InputError) << path;
  }
}

}  // namespace
}  // namespace sfmon::bank_file_parser_test
