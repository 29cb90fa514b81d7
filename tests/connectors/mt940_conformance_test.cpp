// The MT940 parser against the real bank files in the conformance corpus
// (see $SFMON_CONFORMANCE_DIR/README.md). Expected record counts and signed
// sums were derived from the files themselves, independently of the parser:
// one record per ":61:" line, C and RD positive, D and RC negative, the amount
// with its decimal comma, the currency of the statement's :60F:/:60M:.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "sfmon/connectors/mt940_parser.h"
#include "sfmon/model/input_error.h"

namespace sfmon::mt940_conformance_test {
namespace {

namespace fs = std::filesystem;

struct Expected {
  std::size_t records = 0;
  std::map<std::string, Fen> sum_by_currency;
};

const fs::path kCorpus = SFMON_CONFORMANCE_DIR;

// mt940/: every file must parse.
const std::map<std::string, Expected> kMt940Files = {
    {"jejik-commerzbank.txt", {1, {{"EUR", -1235}}}},
    {"jejik-deutschebank.txt", {1, {{"EUR", -1235}}}},
    {"jejik-lbbw.txt", {2, {{"EUR", 0}}}},
    {"jejik-sparkasse2.txt", {1, {{"EUR", 102725}}}},   // RD: reversed debit, positive
    {"jejik-sparkasse3.txt", {1, {{"EUR", -102725}}}},  // RC: reversed credit, negative
    {"jejik-volksbankenraiffeisenbanken.txt", {12, {{"EUR", 74500}}}},
    {"mt940rs-MT940_DK_Example.sta", {89, {{"DKK", 137245277}}}},
    {"mt940rs-MT940_FI_Example.sta", {6, {{"EUR", -135710}}}},
    {"mt940rs-buxtehude.sta", {3, {{"EUR", -14104}}}},
    {"wolph-ASNB-mt940.txt", {8, {{"EUR", 5694}}}},
    {"wolph-betterplace-sepa_mt9401.sta", {97, {{"EUR", -926913590}}}},
    {"wolph-jejik-abnamro.sta", {10, {{"EUR", -34593}}}},
    {"wolph-jejik-ing.sta", {7, {{"EUR", -4559}}}},
    {"wolph-jejik-rabobank-iban.sta", {4, {{"EUR", -7000}}}},
    {"wolph-jejik-triodos.sta", {2, {{"EUR", -71570}}}},
    {"wolph-mBank-mt940.sta", {3, {{"PLN", 3}}}},
    {"wolph-sberbank-171011_01234945.sta", {3, {{"HUF", -943700}}}},
    {"wolph-self-provided-gv_codes.sta", {2, {{"EUR", -25745}}}},
    // The second :61: follows the last message's "-" line; it stays with that account.
    {"wolph-self-provided-multiline.sta", {2, {{"EUR", 11400}}}},
};

// lenient/: parse with a warning or throw InputError; when they parse these
// are the correct figures.
const std::map<std::string, Expected> kLenientFiles = {
    {"jejik-K4262927_20200905-080000-952.txt", {1, {{"EUR", 23000}}}},
    {"mt940rs-incomplete_tag_61.sta", {1, {{"EUR", -23315}}}},
    {"mt940rs-unexpected_tag.sta", {1, {{"EUR", -600}}}},
    {"wolph-self-provided-february_30.sta", {1, {{"EUR", -600}}}},
    {"wolph-self-provided-raiffeisen-cmi.sta", {7, {{"HUF", -101221350}}}},
    {"wolph-self-provided-sparkassen.sta", {1, {{"EUR", 3000}}}},
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::set<std::string> files_in(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
}

template <typename Map>
std::set<std::string> keys(const Map& map) {
  std::set<std::string> names;
  for (const auto& [name, value] : map) names.insert(name);
  return names;
}

Expected figures_of(const BankFile& file) {
  Expected figures;
  for (const auto& statement : file.statements) {
    for (const auto& record : statement.records) {
      ++figures.records;
      figures.sum_by_currency[record.currency] += record.amount_fen;
    }
  }
  return figures;
}

void expect_well_formed_records(const BankFile& file, const std::string& name) {
  for (const auto& statement : file.statements) {
    for (const auto& record : statement.records) {
      EXPECT_FALSE(record.account.empty()) << name << " " << record.source.position;
      EXPECT_EQ(record.currency.size(), 3u) << name << " " << record.source.position;
      EXPECT_EQ(record.status, EntryStatus::Booked) << name << " " << record.source.position;
      EXPECT_EQ(record.source.file, name);
      EXPECT_EQ(record.source.position.rfind("line ", 0), 0u) << name;
    }
  }
}

TEST(Mt940ConformanceTest, EveryMt940FileHasExpectedFigures) {
  EXPECT_EQ(files_in(kCorpus / "mt940"), keys(kMt940Files))
      << "a corpus file was added or removed: derive its figures and list it here";
  for (const auto& [name, expected] : kMt940Files) {
    SCOPED_TRACE(name);
    try {
      const BankFile file = parse_mt940(read_file(kCorpus / "mt940" / name), name, Zone{});
      const Expected actual = figures_of(file);
      EXPECT_EQ(actual.records, expected.records);
      EXPECT_EQ(actual.sum_by_currency, expected.sum_by_currency);
      expect_well_formed_records(file, name);
    } catch (const InputError& error) {
      ADD_FAILURE() << error.what();
    }
  }
}

TEST(Mt940ConformanceTest, SparkasseReversalsAreMarked) {
  for (const char* name : {"jejik-sparkasse2.txt", "jejik-sparkasse3.txt"}) {
    const BankFile file = parse_mt940(read_file(kCorpus / "mt940" / name), name, Zone{});
    EXPECT_TRUE(file.statements.at(0).records.at(0).reversal) << name;
  }
}

TEST(Mt940ConformanceTest, CommerzbankEntryHasStructuredCounterparty) {
  const std::string name = "jejik-commerzbank.txt";
  const BankFile file = parse_mt940(read_file(kCorpus / "mt940" / name), name, Zone{});
  const BankRecord& record = file.statements.at(0).records.at(0);
  EXPECT_EQ(record.account, "25040066/0123456789");
  EXPECT_EQ(record.bank_ref, "2016021783252833");
  EXPECT_EQ(record.counterparty.name, "TESTEREL");
  EXPECT_EQ(record.counterparty.account, "DE50712345600200691329");
  EXPECT_EQ(record.counterparty.bank, "CSDBDE71XXX");
  EXPECT_EQ(record.booked_at, instant_from_date(Date{2020, 6, 8}, Zone{}));
}

TEST(Mt940ConformanceTest, MalformedStatementInInvalidFolderIsRejected) {
  const std::string name = "wolph-self-provided-invalid_statement.sta";
  try {
    parse_mt940(read_file(kCorpus / "invalid" / name), name, Zone{});
    ADD_FAILURE() << name << " was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), name);
    EXPECT_FALSE(error.location().empty());
  }
}

TEST(Mt940ConformanceTest, LenientFilesParseWithWarningOrFailWithInputError) {
  int accepted = 0;
  for (const auto& [name, expected] : kLenientFiles) {
    SCOPED_TRACE(name);
    const std::string content = read_file(kCorpus / "lenient" / name);
    ASSERT_FALSE(content.empty());
    try {
      const BankFile file = parse_mt940(content, name, Zone{});
      ++accepted;
      EXPECT_FALSE(file.warnings.empty()) << "damage accepted without a recorded warning";
      const Expected actual = figures_of(file);
      EXPECT_EQ(actual.records, expected.records);
      EXPECT_EQ(actual.sum_by_currency, expected.sum_by_currency);
      expect_well_formed_records(file, name);
    } catch (const InputError& error) {
      EXPECT_EQ(error.file(), name);
      EXPECT_EQ(error.location().rfind("line ", 0), 0u) << error.what();
    }
  }
  // Not a figure the README demands, but a guard against rejecting everything.
  EXPECT_GE(accepted, 1);
}

TEST(Mt940ConformanceTest, February30IsRejectedNamingLineAndValue) {
  const std::string name = "wolph-self-provided-february_30.sta";
  try {
    parse_mt940(read_file(kCorpus / "lenient" / name), name, Zone{});
    ADD_FAILURE() << name << " was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.location(), "line 6");
    EXPECT_EQ(error.value(), "160230");
  }
}

}  // namespace
}  // namespace sfmon::mt940_conformance_test
