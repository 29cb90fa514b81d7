// The conformance corpus through the real binary (shared/conformance/README.md):
// camt/ and mt940/ ingest with exit 0 and their booked records add up to the
// booked entries derived independently (tests/tools/derive_conformance_expected.py);
// invalid/ files are rejected whole with a one-line reason; lenient/ never crashes.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "sfmon/model/money.h"
#include "sfmon_process.h"

namespace sfmon::e2e::conformance_e2e_test {
namespace {

namespace fs = std::filesystem;

const std::string kConformance = SFMON_CONFORMANCE_DIR;

std::vector<std::string> corpus(const std::string& folder) {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(kConformance + "/" + folder)) {
    paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

struct Totals {
  int count = 0;
  Fen sum = 0;
  friend bool operator==(const Totals&, const Totals&) = default;
};
using TotalsByCurrency = std::map<std::string, Totals>;  // currency → totals

// "camt/x.xml" → currency → (entries, sum)
std::map<std::string, TotalsByCurrency> expected_totals() {
  std::map<std::string, TotalsByCurrency> expected;
  std::istringstream csv(read_text(std::string(SFMON_TEST_DATA_DIR) + "/conformance_expected.csv"));
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::stringstream cells_in(line);
    for (std::string cell; std::getline(cells_in, cell, ',');) cells.push_back(cell);
    expected[cells[0]][cells[1]] = Totals{std::stoi(cells[2]), std::stoll(cells[3])};
  }
  return expected;
}

Poco::JSON::Array::Ptr records_json(const std::string& config) {
  const RunResult listed = run_sfmon({"records", "list", "--config", config, "--format", "json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  return Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
}

std::string write_config(const TempDir& dir) {
  const std::string config = dir / "sfmon.yaml";
  write_text(config, "database: sfmon.db\n");
  return config;
}

class ConformanceE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string config_ = write_config(dir_);
};

TEST_F(ConformanceE2E, BookedRecordsAddUpToBookedEntriesPerFileAndCurrency) {
  // Each file into a database of its own: several files of the corpus repeat
  // the same account and bank reference, which the store rightly keeps once.
  std::map<std::string, TotalsByCurrency> stored;
  std::map<std::string, int> pending;
  for (const std::string folder : {"camt", "mt940"}) {
    for (const auto& path : corpus(folder)) {
      TempDir own;
      const std::string config = write_config(own);
      const RunResult ingest = run_sfmon({"ingest", "--config", config, "--kind", "bank", path});
      ASSERT_EQ(ingest.exit_code, 0) << path << "\n" << ingest.err;
      const std::string key = folder + "/" + fs::path(path).filename().string();
      const auto records = records_json(config);
      for (std::size_t i = 0; i < records->size(); ++i) {
        const auto record = records->getObject(static_cast<unsigned>(i));
        EXPECT_EQ(record->getObject("source")->getValue<std::string>("file"), path);
        if (record->getValue<std::string>("status") != "booked") {
          ++pending[key];
          continue;
        }
        const auto fen = parse_amount(record->getValue<std::string>("amount"), AmountSyntax{});
        ASSERT_TRUE(fen) << record->getValue<std::string>("amount");
        Totals& totals = stored[key][record->getValue<std::string>("currency")];
        totals.count += 1;
        totals.sum += *fen;
      }
    }
  }

  const auto expected = expected_totals();
  for (const std::string folder : {"camt", "mt940"}) {
    for (const auto& path : corpus(folder)) {
      const std::string key = folder + "/" + fs::path(path).filename().string();
      const auto want = expected.count(key) ? expected.at(key) : TotalsByCurrency{};
      const auto got = stored.count(key) ? stored.at(key) : TotalsByCurrency{};
      ASSERT_EQ(got.size(), want.size()) << key;
      for (const auto& [currency, totals] : want) {
        ASSERT_TRUE(got.count(currency)) << key << " " << currency;
        EXPECT_EQ(got.at(currency).sum, totals.sum) << key << " " << currency;
        if (folder == "mt940") {
          EXPECT_EQ(got.at(currency).count, totals.count) << key << ": one record per :61:";
        } else {
          // A batch entry may be split into its transaction details.
          EXPECT_GE(got.at(currency).count, totals.count) << key;
        }
      }
    }
  }
  // The two camt.052 reports of a pending entry keep it, as pending.
  EXPECT_EQ(pending["camt/genkgo-camt052.v4.xml"], 1);
  EXPECT_EQ(pending["camt/genkgo-camt052.v6.xml"], 1);
}

TEST_F(ConformanceE2E, IngestingTwiceChangesNothing) {
  std::vector<std::string> args = {"ingest", "--config", config_, "--kind", "bank"};
  for (const auto& path : corpus("camt")) args.push_back(path);
  for (const auto& path : corpus("mt940")) args.push_back(path);
  ASSERT_EQ(run_sfmon(args).exit_code, 0);
  const RunResult first = run_sfmon({"records", "list", "--config", config_, "--format", "json"});
  const RunResult again = run_sfmon(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already ingested"), std::string::npos);
  const RunResult second = run_sfmon({"records", "list", "--config", config_, "--format", "json"});
  EXPECT_EQ(first.out, second.out);
  EXPECT_GT(first.out.size(), 1000u);
}

TEST_F(ConformanceE2E, InvalidFilesAreRejectedWholeWithOneLineReason) {
  for (const auto& path : corpus("invalid")) {
    const RunResult ingest = run_sfmon({"ingest", "--config", config_, "--kind", "bank", path});
    EXPECT_EQ(ingest.exit_code, 1) << path << "\n" << ingest.err;
    std::istringstream lines(ingest.err);
    int rejected_lines = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("rejected: ", 0) == 0) {
        ++rejected_lines;
        EXPECT_NE(line.find(path), std::string::npos) << line;
      }
    }
    EXPECT_EQ(rejected_lines, 1) << ingest.err;
  }
  const auto records = records_json(config_);
  EXPECT_EQ(records->size(), 0u) << "nothing of a rejected file may be stored";
}

TEST_F(ConformanceE2E, LenientFilesNeverCrash) {
  for (const auto& path : corpus("lenient")) {
    const RunResult ingest = run_sfmon({"ingest", "--config", config_, "--kind", "bank", path});
    EXPECT_TRUE(ingest.exit_code == 0 || ingest.exit_code == 1)
        << path << " exit " << ingest.exit_code;
    if (ingest.exit_code == 1) {
      EXPECT_NE(ingest.err.find("rejected: " + path), std::string::npos) << ingest.err;
    }
  }
}

}  // namespace
}  // namespace sfmon::e2e::conformance_e2e_test
