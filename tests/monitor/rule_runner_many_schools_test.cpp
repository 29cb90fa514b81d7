// RuleRunner over many schools: run_pending and replays commit schools in
// batches and must still store every school's alerts and clear every mark.
// With a file store both run_pending and replays judge schools on two threads
// and must write in school order; a replay must give exactly what the live
// run gave.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "scratch_db_file.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::rule_runner_many_schools_test {
namespace {

constexpr int kSchools = 40;  // more than one commit batch
constexpr std::int64_t kNow = 1'740'000'000;
const Zone kZone{};

std::string school_id(int i) {
  return "CS-" + std::to_string(1000 + i);
}
std::string account(int i, int which) {
  return "4305018012340" + std::to_string(10000 + i) + std::to_string(which);
}

Registry make_registry() {
  Registry registry;
  for (int i = 0; i < kSchools; ++i) {
    School school;
    school.id = school_id(i);
    school.name = "学校" + std::to_string(i);
    school.kind = SchoolKind::High;
    school.accounts = {{account(i, 1), "BANK", AccountRole::Supervised},
                       {account(i, 2), "BANK", AccountRole::Basic}};
    registry.schools.push_back(school);
  }
  registry.build_index();
  return registry;
}

// School i pays 2.5M yuan out of its basic account on day i (FUND-LARGE and
// FUND-SPLIT-free), and an ordinary 100 yuan the day after.
BankFile file_of(int i) {
  const std::int64_t day0 = instant_from_date(*parse_iso_date("2024-10-01"), kZone).utc_seconds;
  BankStatement statement;
  statement.statement_id = "S" + std::to_string(i);
  statement.account = account(i, 2);
  statement.currency = "CNY";
  for (const auto& [ref, offset, amount] :
       {std::tuple{"BIG", 0, Fen{-250'000'000}}, std::tuple{"SMALL", 1, Fen{-10'000}}}) {
    BankRecord record;
    record.account = statement.account;
    record.bank_ref = std::string(ref) + std::to_string(i);
    record.booked_at = Instant{day0 + (i + offset) * 86400 + 36000, kZone.offset_minutes, false};
    record.amount_fen = amount;
    record.currency = "CNY";
    record.counterparty.name = "长沙某某建筑有限公司";
    record.counterparty.account = "4300555566667777";
    record.counterparty.cls = CounterpartyClass::Organisation;
    record.purpose = "工程款";
    record.source = {"test", record.bank_ref};
    statement.records.push_back(record);
  }
  BankFile file;
  file.statements.push_back(statement);
  return file;
}

using FiringKey = std::tuple<std::string, std::string, std::string, std::int64_t, std::string>;

std::set<FiringKey> firings_of(SqliteDb& db, const std::string& result_set) {
  std::set<FiringKey> keys;
  Statement query = db.prepare_uncached(
      "SELECT school_id, rule_id, dedup_key, event_time, message FROM firings "
      "WHERE result_set = ?1");
  query.bind_text(1, result_set);
  while (query.step()) {
    keys.emplace(query.column_text(0), query.column_text(1), query.column_text(2),
                 query.column_int64(3), query.column_text(4));
  }
  return keys;
}

int count_commit(void* commits) {
  ++*static_cast<int*>(commits);
  return 0;  // let the commit go ahead
}

class RuleRunnerManySchoolsTest : public ::testing::Test {
 protected:
  RuleRunnerManySchoolsTest() {
    db_ = std::make_unique<SqliteDb>(file_.path());
    migrate(*db_);
    RecordStore records(*db_, [] { return kNow; });
    records.sync_registry(registry_);
    EvaluationQueue queue(*db_);
    for (int i = 0; i < kSchools; ++i) {
      const BankFile file = file_of(i);
      const std::string name = "file-" + std::to_string(i);
      records.store_bank_file(file, {"bank-inbox", name, name, "bank", ""});
      queue.mark(file, registry_, kZone);
    }
  }
  RuleRunner runner() { return RuleRunner(*db_, *pack_, registry_, listed_, kZone); }

  ScratchDbFile file_{"sfmon-many-schools"};
  Registry registry_ = make_registry();
  std::vector<rules::ListedParty> listed_;
  std::unique_ptr<rules::CompiledPack> pack_ =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(RuleRunnerManySchoolsTest, EverySchoolOfEveryBatchIsStoredAndUnmarked) {
  const RunSummary summary = runner().run_pending();
  EXPECT_EQ(summary.schools, kSchools);
  EXPECT_EQ(summary.firings_per_rule.at("FUND-LARGE"), kSchools);
  Statement marks = db_->prepare_uncached("SELECT count(*) FROM evaluation_queue");
  ASSERT_TRUE(marks.step());
  EXPECT_EQ(marks.column_int64(0), 0);
  marks.reset();
  std::set<std::string> schools;
  for (const FiringKey& key : firings_of(*db_, "live")) {
    if (std::get<1>(key) == "FUND-LARGE") schools.insert(std::get<0>(key));
  }
  EXPECT_EQ(schools.size(), static_cast<std::size_t>(kSchools));
  // Nothing left to do: a second run evaluates nobody.
  EXPECT_EQ(runner().run_pending().schools, 0);
}

TEST_F(RuleRunnerManySchoolsTest, LiveRunOnTwoThreadsWritesInSchoolOrderAndDropsUnknownMarks) {
  // A mark of a school the registry does not hold (yet) is cleared without
  // judging, wherever it falls among the schools the two threads take.
  EvaluationQueue(*db_).mark("CS-1019X", ChangedSpan{kNow, kNow});
  const RunSummary summary = runner().run_pending();
  EXPECT_EQ(summary.schools, kSchools);
  Statement marks = db_->prepare_uncached("SELECT count(*) FROM evaluation_queue");
  ASSERT_TRUE(marks.step());
  EXPECT_EQ(marks.column_int64(0), 0);
  std::vector<std::string> written;
  Statement order = db_->prepare_uncached(
      "SELECT school_id FROM alerts WHERE result_set = 'live' AND rule_id = 'FUND-LARGE' "
      "ORDER BY id");
  while (order.step()) written.push_back(order.column_text(0));
  std::vector<std::string> expected;
  expected.reserve(kSchools);
  for (int i = 0; i < kSchools; ++i) expected.push_back(school_id(i));
  EXPECT_EQ(written, expected);
}

TEST_F(RuleRunnerManySchoolsTest, ReplayOnTwoThreadsGivesWhatTheLiveRunGave) {
  runner().run_pending();
  const std::set<FiringKey> live = firings_of(*db_, "live");
  ASSERT_FALSE(live.empty());
  const std::int64_t from = instant_from_date(*parse_iso_date("2024-09-01"), kZone).utc_seconds;
  const std::int64_t to = instant_from_date(*parse_iso_date("2025-08-31"), kZone).utc_seconds;
  const RunSummary first = runner().run_range({}, from, to, "replay:1");
  const RunSummary second = runner().run_range({}, from, to, "replay:2");
  EXPECT_EQ(first.schools, kSchools);
  EXPECT_EQ(firings_of(*db_, "replay:1"), live);
  EXPECT_EQ(firings_of(*db_, "replay:2"), live);
  EXPECT_EQ(first.firings_per_rule, second.firings_per_rule);
  // Alerts are written in school order whatever the threads' timing.
  Statement order = db_->prepare_uncached(
      "SELECT group_concat(school_id || rule_id, ',') FROM "
      "(SELECT school_id, rule_id FROM alerts WHERE result_set = ?1 ORDER BY id)");
  std::vector<std::string> orders;
  for (const char* set : {"replay:1", "replay:2"}) {
    order.bind_text(1, set);
    ASSERT_TRUE(order.step());
    orders.push_back(order.column_text(0));
    order.reset();
  }
  EXPECT_EQ(orders[0], orders[1]);
}

TEST_F(RuleRunnerManySchoolsTest, ReplayCommitsItsSchoolsInBatches) {
  runner().run_pending();
  const std::int64_t from = instant_from_date(*parse_iso_date("2024-09-01"), kZone).utc_seconds;
  const std::int64_t to = instant_from_date(*parse_iso_date("2025-08-31"), kZone).utc_seconds;
  RuleRunner replay = runner();
  int commits = 0;
  sqlite3_commit_hook(db_->handle(), count_commit, &commits);
  const RunSummary summary = replay.run_range({}, from, to, "replay:1");
  sqlite3_commit_hook(db_->handle(), nullptr, nullptr);
  EXPECT_EQ(summary.schools, kSchools);
  EXPECT_EQ(commits, 2);  // 32 schools, then the last 8; not one per school
  EXPECT_EQ(firings_of(*db_, "replay:1"), firings_of(*db_, "live"));
}

TEST_F(RuleRunnerManySchoolsTest, ReplayOfSomeSchoolsJudgesThoseAndWritesThemInTheOrderGiven) {
  const std::int64_t from = instant_from_date(*parse_iso_date("2024-09-01"), kZone).utc_seconds;
  const std::int64_t to = instant_from_date(*parse_iso_date("2025-08-31"), kZone).utc_seconds;
  const std::vector<std::string> chosen = {school_id(7), school_id(3), "CS-UNKNOWN", school_id(5)};
  const RunSummary summary = runner().run_range(chosen, from, to, "replay:1");
  EXPECT_EQ(summary.schools, 3);
  EXPECT_EQ(summary.firings_per_rule.at("FUND-LARGE"), 3);
  std::vector<std::string> written;
  Statement order = db_->prepare_uncached(
      "SELECT school_id FROM alerts WHERE result_set = 'replay:1' AND rule_id = 'FUND-LARGE' "
      "ORDER BY id");
  while (order.step()) written.push_back(order.column_text(0));
  EXPECT_EQ(written, (std::vector<std::string>{school_id(7), school_id(3), school_id(5)}));
}

}  // namespace
}  // namespace sfmon::rule_runner_many_schools_test
