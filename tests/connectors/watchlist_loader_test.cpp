#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sfmon/connectors/registry_loader.h"

namespace sfmon::watchlist_loader_test {
namespace {

constexpr char kFile[] = "watchlist.csv";

std::vector<std::string> problems_of(std::string_view csv) {
  try {
    load_watchlist(csv, kFile);
  } catch (const RegistryError& error) {
    return error.problems();
  }
  ADD_FAILURE() << "watchlist was accepted:\n" << csv;
  return {};
}

TEST(WatchlistLoaderTest, ReadsEntriesWithNameOrAccountOrBoth) {
  const std::vector<WatchlistEntry> entries = load_watchlist(
      "name,account,reason\n"
      "长沙某某小额贷款有限公司,43001111222233334444,高利放贷\n"
      ",6222020000000009,涉嫌洗钱\n"
      "\"Shell Holdings, Ltd.\",,blacklisted elsewhere\n",
      kFile);

  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "长沙某某小额贷款有限公司");
  EXPECT_EQ(entries[0].account, "43001111222233334444");
  EXPECT_EQ(entries[0].reason, "高利放贷");
  EXPECT_EQ(entries[1].name, "");
  EXPECT_EQ(entries[1].account, "6222020000000009");
  EXPECT_EQ(entries[2].name, "Shell Holdings, Ltd.");
  EXPECT_EQ(entries[2].account, "");
}

TEST(WatchlistLoaderTest, LoadsTheDemoCityWatchlist) {
  const std::filesystem::path path =
      std::filesystem::path(SFMON_SOURCE_DIR) / "examples/demo-city/watchlist.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no demo city at " << path;
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_FALSE(load_watchlist(content.str(), path.string()).empty());
}

TEST(WatchlistLoaderTest, ReadsColumnsByNameInAnyOrderAndTrimsCells) {
  const std::vector<WatchlistEntry> entries =
      load_watchlist("reason,Account,name,added_by\n 借贷 , 6222 0200 ,  王五 ,li\n", kFile);

  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "王五");
  EXPECT_EQ(entries[0].account, "6222 0200");
  EXPECT_EQ(entries[0].reason, "借贷");
}

TEST(WatchlistLoaderTest, AcceptsAByteOrderMarkAndCrLf) {
  const std::vector<WatchlistEntry> entries =
      load_watchlist("\xEF\xBB\xBFname,account,reason\r\n王五,,借贷\r\n", kFile);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "王五");
}

TEST(WatchlistLoaderTest, AHeaderAloneIsAnEmptyWatchlist) {
  EXPECT_TRUE(load_watchlist("name,account,reason\n", kFile).empty());
}

TEST(WatchlistLoaderTest, RejectsAnEmptyFile) {
  EXPECT_EQ(problems_of(""),
            std::vector<std::string>{"watchlist.csv:line 1: the watchlist has no header row "
                                     "name,account,reason"});
}

TEST(WatchlistLoaderTest, RejectsAHeaderWithoutAReasonColumn) {
  EXPECT_EQ(problems_of("name,account\n王五,\n"),
            std::vector<std::string>{
                "watchlist.csv:line 1: missing required column 'reason' in the header row"});
}

TEST(WatchlistLoaderTest, RejectsAnEntryWithNeitherNameNorAccount) {
  EXPECT_EQ(problems_of("name,account,reason\n王五,,借贷\n , ,no one\n"),
            std::vector<std::string>{"watchlist.csv:line 3: an entry needs a name or an account"});
}

TEST(WatchlistLoaderTest, RejectsAnAccountWithOtherCharacters) {
  EXPECT_EQ(problems_of("name,account,reason\n王五,6222/0200,借贷\n"),
            std::vector<std::string>{
                "watchlist.csv:line 2: account may hold only digits, Latin letters, spaces and "
                "dashes (value '6222/0200')"});
}

TEST(WatchlistLoaderTest, CollectsTheProblemsOfEveryRow) {
  EXPECT_EQ(problems_of("name,account,reason\n"
                        ",,\n"
                        "王五,1,借贷,extra\n"
                        "赵六,1-2,ok\n"
                        "\"孙七\",x/1,bad\n"),
            (std::vector<std::string>{
                "watchlist.csv:line 2: an entry needs a name or an account",
                "watchlist.csv:line 3: row has 4 cells but the header has 3",
                "watchlist.csv:line 5: account may hold only digits, Latin letters, spaces and "
                "dashes (value 'x/1')"}));
}

TEST(WatchlistLoaderTest, ReportsACsvSyntaxErrorWithItsLine) {
  const std::vector<std::string> problems =
      problems_of("name,account,reason\n王五,1,借贷\n\"unterminated,1,x\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("watchlist.csv:line 3: unterminated quoted field 1", 0), 0u)
      << problems[0];
}

TEST(WatchlistLoaderTest, RejectsTextThatIsNotUtf8) {
  const std::vector<std::string> problems = problems_of("name,account,reason\n\xCD\xF5,1,x\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("watchlist.csv:line 2: invalid UTF-8", 0), 0u) << problems[0];
}

}  // namespace
}  // namespace sfmon::watchlist_loader_test
