#include "sfmon/monitor/app_context.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../monitor/src/registry_snapshot.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/model/time.h"
#include "sfmon/monitor/rule_runner.h"

namespace sfmon::app_context_test {
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

// ---------------------------------------------------------- the snapshot

// A registry using every field the loader reads, with a watchlist.
constexpr const char* kRichRegistry = R"(schools:
  - id: CS-0001
    name: 长沙市某某实验学校
    kind: nine_year
    nonprofit: false
    inclusive: false
    district: 岳麓区
    enrollment: 1200
    min_balance: "2000000.00"
    accounts:
      - {number: "4305 0180-1234 0001", bank: 建设银行长沙分行, role: supervised}
      - {number: "43050180123400000002", bank: 建设银行长沙分行, role: basic}
    related_parties:
      - {name: 湖南某某教育投资有限公司, account: "43001234567890", relation: sponsor}
      - {name: 张三, relation: director}
    fee_catalogue:
      - {fee_type: tuition, grade: all, cap: "500.00", per: semester}
      - {fee_type: boarding, grade: G7, cap: "1200.00", per: year}
    academic_calendar:
      - {term: 2024-autumn, start: 2024-09-01, end: 2025-01-31}
      - {term: 2025-spring, start: 2025-02-17, end: 2025-07-04}
  - id: CS-0002
    name: 某某幼儿园
    kind: kindergarten
    inclusive: true
    accounts:
      - {number: "6222-0200-0001", bank: 农商行, role: supervised}
)";
constexpr const char* kWatchlist =
    "name,account,reason\n某某借贷公司,,非法集资\n,6217 0000 01,失信\n";

class RegistrySnapshotAppTest : public AppContextTest {
 protected:
  RegistrySnapshotAppTest() {
    write("sfmon.yaml", "database: sfmon.db\nregistry: schools.yaml\nwatchlist: watch.csv\n");
    write("schools.yaml", kRichRegistry);
    write("watch.csv", kWatchlist);
  }

  // open_app, with what it warns about kept in warnings_.
  AppContext open() {
    warnings_.str("");
    return open_app(config(), RegistryUse::Load, warnings_);
  }
  static void set_snapshot_body(AppContext& app, const std::string& body) {
    app.db->prepare("UPDATE registry_snapshot SET body = ?1").bind_blob(1, body).run();
    ASSERT_EQ(app.db->changes(), 1);
  }
  static std::int64_t snapshot_rows(AppContext& app) {
    return app.db->pragma_int("SELECT COUNT(*) FROM registry_snapshot");
  }
  // Both lists in one comparable string: the encoding holds every field.
  static std::string lists_of(const AppContext& app) {
    return encode_registry_snapshot(app.registry, app.watchlist);
  }

  std::ostringstream warnings_;
};

TEST_F(RegistrySnapshotAppTest, ASecondOpenOfUnchangedTextsTakesTheSnapshotOfTheFirst) {
  std::string parsed;
  {
    AppContext first = open();
    EXPECT_FALSE(first.registry_from_snapshot) << "a new database: parsed before it is created";
    EXPECT_EQ(snapshot_rows(first), 1);
    parsed = lists_of(first);
  }
  AppContext again = open();
  EXPECT_TRUE(again.registry_loaded);
  EXPECT_TRUE(again.registry_from_snapshot);
  EXPECT_EQ(lists_of(again), parsed);
  EXPECT_TRUE(again.registry.index.built);
  EXPECT_EQ(again.registry.schools.at(0).accounts.at(0).number, "4305 0180-1234 0001");
  ASSERT_EQ(again.listed.size(), 2u);
  EXPECT_EQ(again.listed[1].account, "6217 0000 01");
  EXPECT_EQ(again.listed[1].reason, "失信");
  EXPECT_EQ(warnings_.str(), "");
}

TEST_F(RegistrySnapshotAppTest, TheSnapshotIsWhatAnUnchangedOpenUsesNotTheYaml) {
  {
    AppContext first = open();
    Registry other;
    other.schools.resize(1);
    other.schools[0].id = "CS-0001";
    other.schools[0].name = "只在快照里";
    set_snapshot_body(first, encode_registry_snapshot(other, {}));
  }
  AppContext again = open();
  ASSERT_EQ(again.registry.schools.size(), 1u);
  EXPECT_EQ(again.registry.schools[0].name, "只在快照里");
  EXPECT_TRUE(again.listed.empty());
}

TEST_F(RegistrySnapshotAppTest, AStoreOnlyOpenReadsNoSnapshot) {
  { AppContext first = open(); }
  AppContext app = open_app(config(), RegistryUse::StoreOnly);
  EXPECT_FALSE(app.registry_loaded);
  EXPECT_FALSE(app.registry_from_snapshot);
  EXPECT_TRUE(app.registry.schools.empty());
}

TEST_F(RegistrySnapshotAppTest, AChangedRegistryIsParsedSyncedAndSnapshotAgain) {
  { AppContext first = open(); }
  write("schools.yaml", registry_yaml("乙学校"));
  std::string parsed;
  {
    AppContext changed = open();
    EXPECT_FALSE(changed.registry_from_snapshot);
    EXPECT_EQ(changed.registry.schools.at(0).name, "乙学校");
    EXPECT_EQ(stored_name(changed), "乙学校");
    EXPECT_EQ(snapshot_rows(changed), 1);
    parsed = lists_of(changed);
  }
  AppContext again = open();
  EXPECT_TRUE(again.registry_from_snapshot);
  EXPECT_EQ(lists_of(again), parsed);
}

TEST_F(RegistrySnapshotAppTest, AChangedWatchlistIsParsedNotTakenFromTheSnapshot) {
  { AppContext first = open(); }
  write("watch.csv", "name,account,reason\n另一家公司,,失信\n");
  AppContext app = open();
  EXPECT_FALSE(app.registry_from_snapshot);
  ASSERT_EQ(app.listed.size(), 1u);
  EXPECT_EQ(app.listed[0].name, "另一家公司");
}

TEST_F(RegistrySnapshotAppTest, ADamagedSnapshotIsReportedReplacedAndNotUsed) {
  std::string parsed;
  {
    AppContext first = open();
    parsed = lists_of(first);
    set_snapshot_body(first, encode_registry_snapshot(first.registry, first.watchlist) + "junk");
  }
  {
    AppContext app = open();
    EXPECT_FALSE(app.registry_from_snapshot);
    EXPECT_EQ(lists_of(app), parsed);
    EXPECT_EQ(warnings_.str(),
              "warning: " + (dir_ / "sfmon.db").string() +
                  ": registry snapshot: 4 bytes after the end of the snapshot at byte " +
                  std::to_string(parsed.size()) + " of " + std::to_string(parsed.size() + 4) +
                  "; the registry is parsed and the snapshot replaced\n");
  }
  AppContext again = open();
  EXPECT_TRUE(again.registry_from_snapshot) << "replaced by the open that reported it";
  EXPECT_EQ(lists_of(again), parsed);
  EXPECT_EQ(warnings_.str(), "");
}

TEST_F(RegistrySnapshotAppTest, AStoreSyncedBeforeSnapshotsGetsOneAtItsNextOpen) {
  {
    AppContext first = open();
    first.db->exec("DELETE FROM registry_snapshot");  // as a store of schema version 8 left it
  }
  {
    AppContext app = open();
    EXPECT_FALSE(app.registry_from_snapshot);
    EXPECT_EQ(snapshot_rows(app), 1);
    EXPECT_EQ(warnings_.str(), "") << "a missing snapshot is no problem";
  }
  AppContext again = open();
  EXPECT_TRUE(again.registry_from_snapshot);
}

TEST_F(RegistrySnapshotAppTest, ABrokenRegistryIsRejectedByAnExistingStoreToo) {
  { AppContext first = open(); }
  write("schools.yaml", "schools: [\n");
  EXPECT_THROW(open(), RegistryError);
}

TEST_F(RegistrySnapshotAppTest, AnEmptyWatchlistFileIsRejectedThoughItFingerprintsAsNone) {
  write("sfmon.yaml", "database: sfmon.db\nregistry: schools.yaml\n");
  { AppContext first = open(); }
  write("sfmon.yaml", "database: sfmon.db\nregistry: schools.yaml\nwatchlist: watch.csv\n");
  write("watch.csv", "");
  EXPECT_THROW(open(), RegistryError);
}

// The rules' results over the same records, with the registry parsed in one
// store and taken from the snapshot in another.
std::string alerts_after_judging_two_fees(AppContext& app) {
  store_two_fees(app);
  EvaluationQueue(*app.db).mark("CS-0001", ChangedSpan{0, 4'000'000'000});
  load_rules(app);
  std::ostringstream out;
  evaluate_pending(app, out);
  std::string alerts;
  Statement& query = app.db->prepare(
      "SELECT rule_id || '|' || school_id || '|' || level || '|' || dedup_key || '|' || "
      "first_seen || '|' || last_seen || '|' || count || '|' || message || '|' || values_json "
      "FROM alerts ORDER BY rule_id, dedup_key");
  ResetGuard done(query);
  while (query.step()) alerts += query.column_text(0) + "\n";
  return alerts;
}

TEST_F(RegistrySnapshotAppTest, TheRulesJudgeTheSameWithTheSnapshotAsWithTheParse) {
  write("sfmon.yaml", "database: sfmon.db\nregistry: schools.yaml\nwatchlist: watch.csv\nrules: " +
                          std::string(SFMON_SOURCE_DIR) + "/rules/default\n");
  std::string parsed;
  {
    AppContext app = open();
    ASSERT_FALSE(app.registry_from_snapshot);
    parsed = alerts_after_judging_two_fees(app);
  }
  fs::remove(dir_ / "sfmon.db");
  fs::remove(dir_ / "sfmon.db-wal");
  fs::remove(dir_ / "sfmon.db-shm");
  { AppContext first = open(); }
  AppContext app = open();
  ASSERT_TRUE(app.registry_from_snapshot);
  EXPECT_EQ(alerts_after_judging_two_fees(app), parsed);
  EXPECT_NE(parsed, "") << "a tuition of 1000.00 over a cap of 500.00 fires";
}

TEST(RegistryFingerprintTest, DependsOnEveryByteOfTheText) {
  EXPECT_EQ(registry_fingerprint("schools: []\n"), registry_fingerprint("schools: []\n"));
  EXPECT_NE(registry_fingerprint("schools: []\n"), registry_fingerprint("schools: [] \n"));
  EXPECT_EQ(registry_fingerprint("").size(), 64u);
  EXPECT_NE(registry_fingerprint("a", "b"), registry_fingerprint("ab", ""))
      << "where the registry ends and the watchlist starts matters";
}

}  // namespace
}  // namespace sfmon::app_context_test
