#include "sfmon/monitor/app_context.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sfmon/connectors/registry_loader.h"

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

TEST(RegistryFingerprintTest, DependsOnEveryByteOfTheText) {
  EXPECT_EQ(registry_fingerprint("schools: []\n"), registry_fingerprint("schools: []\n"));
  EXPECT_NE(registry_fingerprint("schools: []\n"), registry_fingerprint("schools: [] \n"));
  EXPECT_EQ(registry_fingerprint("").size(), 64u);
}

}  // namespace
}  // namespace sfmon
