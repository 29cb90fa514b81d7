#include "sfmon/monitor/app_context.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sfmon/connectors/registry_loader.h"
#include "sfmon/model/time.h"
#include "sfmon/monitor/rule_runner.h"

namespace sfmon {
namespace {

namespace fs = std::filesystem;

std::string registry_yaml(const std::string& school_name) {
  return "schools:\n"
         "  - id: CS-0001\n"
         "    name: " +
         school_name +
         "\n"
         "    kind: primary\n"
         "    accounts:\n"
         "      - {number: \"4305 0001\", bank: CCB, role: supervised}\n";
}

class AppContextTest : public ::testing::Test {
 protected:
  AppContextTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("sfmon-app-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write("sfmon.yaml", "database: sfmon.db\nregistry: schools.yaml\n");
    write("schools.yaml", registry_yaml("甲学校"));
  }
  ~AppContextTest() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string config() const { return (dir_ / "sfmon.yaml").string(); }

  static std::string stored_name(AppContext& app) {
    Statement& query = app.db->prepare("SELECT name FROM schools WHERE id = 'CS-0001'");
    ResetGuard done(query);
    return query.step() ? query.column_text(0) : "(none)";
  }
  // Marks the stored registry so that a rewrite shows.
  static void tamper(AppContext& app) {
    app.db->exec("UPDATE schools SET name = 'tampered' WHERE id = 'CS-0001'");
  }

  fs::path dir_;
};

TEST_F(AppContextTest, TheFirstOpenSyncsTheRegistryAndStoresItsFingerprint) {
  AppContext app = open_app(config());
  EXPECT_TRUE(app.registry_loaded);
  ASSERT_EQ(app.registry.schools.size(), 1u);
  EXPECT_TRUE(app.registry.index.built);
  EXPECT_EQ(stored_name(app), "甲学校");
  EXPECT_EQ(app.store->registry_fingerprint(), registry_fingerprint(registry_yaml("甲学校")));
}

TEST_F(AppContextTest, AnUnchangedRegistryIsNotRewritten) {
  {
    AppContext first = open_app(config());
    tamper(first);
  }
  AppContext again = open_app(config());
  EXPECT_TRUE(again.registry_loaded);  // still parsed: ingest and rules need it
  EXPECT_EQ(stored_name(again), "tampered");
}

TEST_F(AppContextTest, AChangedRegistryIsSyncedByTheNextCommand) {
  { AppContext first = open_app(config()); }
  write("schools.yaml", registry_yaml("乙学校"));
  AppContext app = open_app(config());
  EXPECT_EQ(app.registry.schools.at(0).name, "乙学校");
  EXPECT_EQ(stored_name(app), "乙学校");
  EXPECT_EQ(app.store->registry_fingerprint(), registry_fingerprint(registry_yaml("乙学校")));
}

TEST_F(AppContextTest, AStoreOnlyCommandParsesNothingWhileTheRegistryIsUnchanged) {
  {
    AppContext first = open_app(config());
    tamper(first);
  }
  AppContext app = open_app(config(), RegistryUse::StoreOnly);
  EXPECT_FALSE(app.registry_loaded);
  EXPECT_TRUE(app.registry.schools.empty());
  EXPECT_EQ(stored_name(app), "tampered");
}

TEST_F(AppContextTest, AStoreOnlyCommandSyncsAChangedRegistry) {
  { AppContext first = open_app(config()); }
  write("schools.yaml", registry_yaml("乙学校"));
  AppContext app = open_app(config(), RegistryUse::StoreOnly);
  EXPECT_EQ(stored_name(app), "乙学校");
}

TEST_F(AppContextTest, AStoreOnlyCommandStillRejectsABrokenChangedRegistry) {
  { AppContext first = open_app(config()); }
  write("schools.yaml", "schools: [\n");
  EXPECT_THROW(open_app(config(), RegistryUse::StoreOnly), RegistryError);
}

TEST_F(AppContextTest, ACommandThatNeedsNoRegistryNeitherReadsNorSyncsIt) {
  { AppContext first = open_app(config()); }
  write("schools.yaml", registry_yaml("乙学校"));
  AppContext app = open_app(config(), RegistryUse::None);
  EXPECT_FALSE(app.registry_loaded);
  EXPECT_EQ(stored_name(app), "甲学校");
}

TEST_F(AppContextTest, ABrokenRegistryLeavesNoNewDatabase) {
  write("schools.yaml", "schools: [\n");
  EXPECT_THROW(open_app(config()), RegistryError);
  EXPECT_FALSE(fs::exists(dir_ / "sfmon.db"));
}

TEST_F(AppContextTest, ASyncWithoutFingerprintMakesTheNextOpenSyncAgain) {
  {
    AppContext app = open_app(config());
    app.store->sync_registry(app.registry);  // e.g. a tool that writes the tables itself
    EXPECT_EQ(app.store->registry_fingerprint(), std::nullopt);
    tamper(app);
  }
  AppContext app = open_app(config());
  EXPECT_EQ(stored_name(app), "甲学校");
}

// Two fee records of CS-0001, stored as the fee connector would, with the
// evaluation queue then emptied as if the rules had run.
void store_two_fees(AppContext& app) {
  std::vector<FeeRecord> records;
  for (const auto& [id, when] : {std::pair{"F1", "2024-09-02T10:00:00+08:00"},
                                 std::pair{"F2", "2024-11-20T16:30:00+08:00"}}) {
    FeeRecord record;
    record.fee_id = id;
    record.school_id = "CS-0001";
    record.student_id = std::string("S-") + id;
    record.paid_at = *parse_iso_instant(when, Zone{});
    record.amount_fen = 100'000;
    record.fee_type = "tuition";
    record.grade = "all";
    record.period_start = *parse_iso_date("2024-09-01");
    record.period_end = *parse_iso_date("2025-01-31");
    record.receiving_account = "43050001";
    record.source = {"fees.csv", std::string("line ") + id};
    records.push_back(record);
  }
  app.store->store_fee_records(records, {"fee-inbox", "fees.csv", "sha-fees", "fee", ""});
  EvaluationQueue queue(*app.db);
  for (const auto& [school, span] : queue.pending()) queue.clear(school);
}

TEST_F(AppContextTest, AChangedRegistryMarksEverySchoolWithRecordsForEvaluation) {
  {
    AppContext app = open_app(config());
    store_two_fees(app);
    ASSERT_TRUE(EvaluationQueue(*app.db).pending().empty());
  }
  {
    AppContext app = open_app(config());
    EXPECT_TRUE(EvaluationQueue(*app.db).pending().empty()) << "unchanged: nothing to judge";
  }
  write("schools.yaml", registry_yaml("乙学校"));  // e.g. a changed cap or term
  AppContext app = open_app(config(), RegistryUse::StoreOnly);
  const std::map<std::string, ChangedSpan> pending = EvaluationQueue(*app.db).pending();
  ASSERT_EQ(pending.size(), 1u);
  const ChangedSpan& span = pending.at("CS-0001");
  EXPECT_LE(span.from, parse_iso_instant("2024-09-02T10:00:00+08:00", Zone{})->utc_seconds);
  EXPECT_GE(span.to, parse_iso_instant("2024-11-20T16:30:00+08:00", Zone{})->utc_seconds);
}

TEST_F(AppContextTest, AChangedWatchlistAlsoMarksSchoolsForEvaluation) {
  write("sfmon.yaml", "database: sfmon.db\nregistry: schools.yaml\nwatchlist: watch.csv\n");
  write("watch.csv", "name,account,reason\n某某借贷公司,,非法集资\n");
  {
    AppContext app = open_app(config());
    store_two_fees(app);
  }
  write("watch.csv", "name,account,reason\n某某借贷公司,,非法集资\n另一家公司,,失信\n");
  AppContext app = open_app(config());
  EXPECT_EQ(app.watchlist.size(), 2u);
  EXPECT_EQ(EvaluationQueue(*app.db).pending().count("CS-0001"), 1u);
}

TEST(RegistryFingerprintTest, DependsOnEveryByteOfTheText) {
  EXPECT_EQ(registry_fingerprint("schools: []\n"), registry_fingerprint("schools: []\n"));
  EXPECT_NE(registry_fingerprint("schools: []\n"), registry_fingerprint("schools: [] \n"));
  EXPECT_EQ(registry_fingerprint("").size(), 64u);
  EXPECT_NE(registry_fingerprint("a", "b"), registry_fingerprint("ab", ""))
      << "where the registry ends and the watchlist starts matters";
}

}  // namespace
}  // namespace sfmon
