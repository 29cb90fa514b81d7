// NoticeStore: one notice per school with unresolved alerts, stored again
// only when the fingerprint (alerts, statuses, levels, counts) changed;
// silences leave alerts out; the JSON form carries the alerts.
#include "sfmon/monitor/notice_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "alert_fixture.h"
#include "sfmon/monitor/alert_lifecycle_store.h"

namespace sfmon::notice_store_test {
namespace {

using testing::AlertFixtureDb;
using testing::kT0;

class NoticeStoreTest : public ::testing::Test {
 protected:
  AlertFixtureDb fixture;
  Registry registry;
  NoticeSources sources;
  NoticeStore store{fixture.db, fixture.clock};

  NoticeStoreTest() {
    School school;
    school.id = "CS-0101";
    school.name = "长沙明德实验学校";
    school.district = "岳麓区";
    registry.schools.push_back(school);
    sources.registry = &registry;
    sources.rule_titles["FUND-LARGE"] = "大额资金转出";
  }

  Silence silence(const std::string& school, const std::string& rule) {
    Silence s;
    s.school_id = school;
    s.rule_id = rule;
    s.starts_at = kT0 - 10;
    s.ends_at = kT0 + 3600;
    return s;
  }
};

TEST_F(NoticeStoreTest, OneNoticePerSchoolWithItsAlerts) {
  const std::int64_t a = fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  const std::int64_t b = fixture.fire("CS-0101", "FEE-OVER-CAP", rules::Level::Yellow);
  fixture.fire("CS-0102", "FUND-LARGE", rules::Level::Orange);
  const NoticeRun run = store.build_notices(sources);
  ASSERT_EQ(run.created.size(), 2u);
  const StoredNotice& first = run.created[0];
  EXPECT_EQ(first.school_id, "CS-0101");
  EXPECT_EQ(first.day, "2024-10-10");
  EXPECT_EQ(first.alert_ids, (std::vector<std::int64_t>{a, b}));
  EXPECT_NE(first.subject.find("长沙明德实验学校（CS-0101）"), std::string::npos);
  EXPECT_NE(first.text.find("FUND-LARGE 大额资金转出"), std::string::npos);
  EXPECT_EQ(first.fingerprint.size(), 64u);
  EXPECT_EQ(run.created[1].school_id, "CS-0102");
  EXPECT_EQ(store.latest("CS-0101")->id, first.id);
}

TEST_F(NoticeStoreTest, UnchangedAlertsAreNotStoredAgain) {
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  ASSERT_EQ(store.build_notices(sources).created.size(), 1u);
  fixture.now += 86400;  // a new day changes nothing by itself
  const NoticeRun again = store.build_notices(sources);
  EXPECT_TRUE(again.created.empty());
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(fixture.count("SELECT count(*) FROM notices"), 1);
}

TEST_F(NoticeStoreTest, NewFiringStatusChangeAndNewAlertEachMakeANewNotice) {
  const std::int64_t alert = fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  store.build_notices(sources);
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red, "k", kT0 - 3600);  // count 2
  EXPECT_EQ(store.build_notices(sources).created.size(), 1u);
  AlertLifecycleStore(fixture.db, fixture.clock).acknowledge(alert, "张三");
  const NoticeRun acknowledged = store.build_notices(sources);
  ASSERT_EQ(acknowledged.created.size(), 1u);
  EXPECT_NE(acknowledged.created[0].text.find("已确认 (acknowledged)"), std::string::npos);
  fixture.fire("CS-0101", "FEE-OVER-CAP", rules::Level::Yellow);
  EXPECT_EQ(store.build_notices(sources).created.size(), 1u);
  EXPECT_EQ(fixture.count("SELECT count(*) FROM notices"), 4);
}

TEST_F(NoticeStoreTest, ClosedAlertsLeaveTheNoticeAndNoneIsBuiltWhenAllAreClosed) {
  const std::int64_t a = fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  const std::int64_t b = fixture.fire("CS-0101", "FEE-OVER-CAP", rules::Level::Yellow);
  store.build_notices(sources);
  AlertLifecycleStore lifecycle(fixture.db, fixture.clock);
  lifecycle.resolve(a, "张三", "refunded");
  const NoticeRun run = store.build_notices(sources);
  ASSERT_EQ(run.created.size(), 1u);
  EXPECT_EQ(run.created[0].alert_ids, (std::vector<std::int64_t>{b}));
  lifecycle.dismiss(b, "张三", "approved");
  EXPECT_TRUE(store.build_notices(sources).created.empty());
}

TEST_F(NoticeStoreTest, SilencedAlertsAreLeftOut) {
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  const std::int64_t kept = fixture.fire("CS-0101", "FEE-OVER-CAP", rules::Level::Yellow);
  fixture.fire("CS-0102", "FUND-LARGE", rules::Level::Orange);
  sources.silences = {silence("*", "FUND-LARGE")};
  const NoticeRun run = store.build_notices(sources);
  EXPECT_EQ(run.muted_alerts, 2);
  ASSERT_EQ(run.created.size(), 1u);
  EXPECT_EQ(run.created[0].alert_ids, (std::vector<std::int64_t>{kept}));
}

TEST_F(NoticeStoreTest, EndedSilenceMutesNothing) {
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  Silence ended = silence("CS-0101", "*");
  ended.ends_at = kT0;  // the end is exclusive
  sources.silences = {ended};
  EXPECT_EQ(store.build_notices(sources).created.size(), 1u);
}

TEST_F(NoticeStoreTest, NewNoticeCallbackSeesItsAlerts) {
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  std::vector<std::string> seen;
  store.build_notices(sources,
                      [&](const StoredNotice& notice, const std::vector<alerts::Alert>& alerts) {
                        seen.push_back(notice.school_id + ":" + std::to_string(alerts.size()));
                      });
  EXPECT_EQ(seen, (std::vector<std::string>{"CS-0101:1"}));
}

TEST_F(NoticeStoreTest, JsonFormListsTheAlertsWithEvidence) {
  const std::int64_t alert = fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red, "k",
                                          kT0 - 86400, {{"bank", "T1"}, {"fee", "F9"}});
  const StoredNotice notice = store.build_notices(sources).created.at(0);
  const auto root = Poco::JSON::Parser().parse(notice.json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("type"), "notice");
  EXPECT_EQ(root->getObject("school")->getValue<std::string>("district"), "岳麓区");
  const auto alerts = root->getArray("alerts");
  ASSERT_EQ(alerts->size(), 1u);
  const auto entry = alerts->getObject(0);
  EXPECT_EQ(entry->getValue<std::int64_t>("id"), alert);
  EXPECT_EQ(entry->getValue<std::string>("rule_title"), "大额资金转出");
  EXPECT_EQ(entry->getValue<std::string>("level"), "red");
  EXPECT_EQ(entry->getArray("evidence")->size(), 2u);
  EXPECT_EQ(entry->getArray("evidence")->getObject(1)->getValue<std::string>("id"), "F9");
}

TEST_F(NoticeStoreTest, FindAndListReadStoredNotices) {
  fixture.fire("CS-0101", "FUND-LARGE", rules::Level::Red);
  fixture.fire("CS-0102", "FUND-LARGE", rules::Level::Red);
  const NoticeRun run = store.build_notices(sources);
  ASSERT_EQ(run.created.size(), 2u);
  const auto found = store.find(run.created[1].id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->html, run.created[1].html);
  EXPECT_EQ(found->alert_ids, run.created[1].alert_ids);
  EXPECT_EQ(store.list(std::nullopt).size(), 2u);
  EXPECT_EQ(store.list(std::string("CS-0102")).size(), 1u);
  EXPECT_FALSE(store.find(999));
}

}  // namespace
}  // namespace sfmon::notice_store_test
