// Notifier: one pass escalates, builds and routes notices, and sends what is
// due through (here, fake) channels; retries with backoff end in sent or
// dead; silences mute; escalation reaches the next recipient.
#include "sfmon/monitor/notifier.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <deque>

#include "alert_fixture.h"
#include "sfmon/monitor/silence_store.h"

namespace sfmon::notifier_test {
namespace {

using testing::AlertFixtureDb;
using testing::kHour;
using testing::kT0;

struct Sent {
  std::string channel;
  std::string recipient;
  OutgoingMessage message;
};

// Records what it is asked to send; answers from a script (default: ok).
class FakeChannel : public NotificationChannel {
 public:
  FakeChannel(std::string name, std::vector<Sent>& log, std::deque<SendResult>& script)
      : name_(std::move(name)), log_(log), script_(script) {}
  SendResult send(const OutgoingMessage& message, const std::string& recipient) override {
    log_.push_back({name_, recipient, message});
    if (script_.empty()) return SendResult::sent();
    SendResult next = script_.front();
    script_.pop_front();
    return next;
  }

 private:
  std::string name_;
  std::vector<Sent>& log_;
  std::deque<SendResult>& script_;
};

ChannelConfig smtp_channel(const std::string& name, std::vector<std::string> to) {
  ChannelConfig channel;
  channel.name = name;
  channel.type = ChannelType::Smtp;
  channel.smtp.host = "127.0.0.1";
  channel.smtp.from = "sfmon@example.org";
  channel.smtp.to = std::move(to);
  return channel;
}

ChannelConfig webhook_channel(const std::string& name) {
  ChannelConfig channel;
  channel.name = name;
  channel.type = ChannelType::Webhook;
  channel.webhook.url = "http://127.0.0.1:9/" + name;
  return channel;
}

class NotifierTest : public ::testing::Test {
 protected:
  AlertFixtureDb fixture;
  Config config;
  Registry registry;
  rules::CompiledPack pack;
  std::vector<Sent> sent;
  std::deque<SendResult> script;

  NotifierTest() {
    config.notifications.channels = {smtp_channel("mail", {"a@example.org", "b@example.org"}),
                                     webhook_channel("hook"), webhook_channel("director")};
    config.notifications.routes = {RouteConfig{{}, {}, {}, {"mail"}, {"director"}},
                                   RouteConfig{{rules::Level::Red}, {}, {}, {"hook"}, {}}};
    config.notifications.retry = RetryConfig{3, 60, 3600};
    School school;
    school.id = "CS-0101";
    school.name = "长沙明德实验学校";
    school.district = "岳麓区";
    registry.schools.push_back(school);
    add_rule("R-FEES", "收费超标", {"fees"});
    add_rule("R-FUNDS", "大额转出", {"funds"});
  }

  void add_rule(const std::string& id, const std::string& title, std::vector<std::string> tags) {
    rules::CompiledRule rule;
    rule.id = id;
    rule.title = title;
    rule.tags = std::move(tags);
    pack.rules.push_back(std::move(rule));
  }

  NotifySummary run() {
    Notifier notifier(fixture.db, config, registry, &pack, fixture.clock,
                      [this](const ChannelConfig& channel) {
                        return std::make_unique<FakeChannel>(channel.name, sent, script);
                      });
    return notifier.run_once();
  }
};

TEST_F(NotifierTest, NoticeGoesToEveryRecipientOfEveryRoutedChannel) {
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  const NotifySummary summary = run();
  EXPECT_EQ(summary.notices_created, 1);
  EXPECT_EQ(summary.queued, 3);
  EXPECT_EQ(summary.sent, 3);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].recipient, "a@example.org");
  EXPECT_EQ(sent[1].recipient, "b@example.org");
  EXPECT_EQ(sent[2].channel, "hook");
  EXPECT_NE(sent[0].message.subject.find("【预警通知】长沙明德实验学校"), std::string::npos);
  EXPECT_NE(sent[0].message.text.find("R-FUNDS 大额转出"), std::string::npos);
  EXPECT_NE(sent[0].message.html.find("<!DOCTYPE html>"), std::string::npos);
  const auto json =
      Poco::JSON::Parser().parse(sent[2].message.json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(json->getValue<std::string>("type"), "notice");
  EXPECT_EQ(json->getValue<std::int64_t>("delivery_id"), sent[2].message.delivery_id);
  EXPECT_GT(json->getValue<std::int64_t>("notice_id"), 0);
}

TEST_F(NotifierTest, NothingChangedNothingSent) {
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Yellow);
  run();
  sent.clear();
  fixture.now += kHour;
  const NotifySummary again = run();
  EXPECT_EQ(again.notices_created, 0);
  EXPECT_EQ(again.notices_unchanged, 1);
  EXPECT_TRUE(sent.empty());
}

TEST_F(NotifierTest, LevelRouteSkipsLowerLevels) {
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Yellow);
  run();
  ASSERT_EQ(sent.size(), 2u);  // mail only: the hook route wants red
  EXPECT_EQ(sent[0].channel, "mail");
}

TEST_F(NotifierTest, TagRouteUsesTheRulesTags) {
  config.notifications.routes = {RouteConfig{{}, {}, {"fees"}, {"hook"}, {}}};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  run();
  EXPECT_TRUE(sent.empty());
  fixture.fire("CS-0101", "R-FEES", rules::Level::Yellow);
  run();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].channel, "hook");
}

TEST_F(NotifierTest, DistrictRouteUsesTheRegistry) {
  config.notifications.routes = {RouteConfig{{}, {"开福区"}, {}, {"hook"}, {}}};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  run();
  EXPECT_TRUE(sent.empty());
}

TEST_F(NotifierTest, FailedDeliveryIsRetriedAfterBackoffUntilItSucceeds) {
  config.notifications.routes = {RouteConfig{{}, {}, {}, {"hook"}, {}}};
  script = {SendResult::failed("HTTP 500"), SendResult::failed("HTTP 500")};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  NotifySummary first = run();
  EXPECT_EQ(first.retrying, 1);
  ASSERT_EQ(first.failures.size(), 1u);
  EXPECT_NE(first.failures[0].find("attempt 1: HTTP 500"), std::string::npos);
  fixture.now += 59;
  const NotifySummary early = run();
  EXPECT_EQ(early.sent + early.retrying, 0) << "not due yet";
  fixture.now += 1;
  EXPECT_EQ(run().retrying, 1);
  fixture.now += 120;
  EXPECT_EQ(run().sent, 1);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].message.json, sent[2].message.json) << "retries send the same body";
  EXPECT_EQ(fixture.count("SELECT count(*) FROM dead_letters"), 0);
}

TEST_F(NotifierTest, DeliveryThatKeepsFailingEndsInTheDeadLetters) {
  config.notifications.routes = {RouteConfig{{}, {}, {}, {"hook"}, {}}};
  script = {SendResult::failed("HTTP 500"), SendResult::failed("HTTP 503"),
            SendResult::failed("timeout")};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  run();
  fixture.now += 60;
  run();
  fixture.now += 120;
  const NotifySummary last = run();
  EXPECT_EQ(last.dead, 1);
  const auto letters = DeliveryStore(fixture.db).dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].error, "timeout");
  EXPECT_EQ(letters[0].attempts, 3);
  EXPECT_EQ(letters[0].payload, sent[0].message.json);
  fixture.now += 100000;
  run();
  EXPECT_EQ(sent.size(), 3u) << "a dead delivery is not tried again";
}

TEST_F(NotifierTest, EmailDeadLetterKeepsSubjectAndText) {
  config.notifications.routes = {RouteConfig{{}, {}, {}, {"mail"}, {}}};
  config.notifications.channels[0].smtp.to = {"a@example.org"};
  script = {SendResult::failed("550 mailbox unknown", false)};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  EXPECT_EQ(run().dead, 1);
  const auto letters = DeliveryStore(fixture.db).dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].payload, sent[0].message.subject + "\n\n" + sent[0].message.text);
}

TEST_F(NotifierTest, SilenceMutesTheNotificationButNotTheAlert) {
  const std::int64_t alert = fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  SilenceStore(fixture.db, fixture.clock).add("CS-0101", "*", kT0 + kHour, "已约谈", "张三");
  const NotifySummary summary = run();
  EXPECT_EQ(summary.muted_alerts, 1);
  EXPECT_EQ(summary.notices_created, 0);
  EXPECT_TRUE(sent.empty());
  EXPECT_EQ(fixture.status_of(alert), "open");
  fixture.now = kT0 + kHour;  // the silence has ended
  EXPECT_EQ(run().notices_created, 1);
  EXPECT_FALSE(sent.empty());
}

TEST_F(NotifierTest, UnacknowledgedRedAlertNotifiesTheNextRecipient) {
  config.notifications.routes = {RouteConfig{{}, {}, {}, {"mail"}, {"director"}}};
  config.notifications.channels[0].smtp.to = {"a@example.org"};
  const std::int64_t alert = fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  run();
  sent.clear();
  fixture.now = kT0 + 2 * kHour;
  const NotifySummary summary = run();
  ASSERT_EQ(summary.escalations.size(), 1u);
  EXPECT_EQ(summary.escalations[0].notified, "director");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].channel, "director");
  EXPECT_NE(sent[0].message.subject.find("【预警升级】"), std::string::npos);
  EXPECT_NE(sent[0].message.text.find("超过 2h 仍未确认"), std::string::npos);
  const auto json =
      Poco::JSON::Parser().parse(sent[0].message.json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(json->getValue<std::string>("type"), "escalation");
  EXPECT_EQ(json->getArray("alerts")->getObject(0)->getValue<std::int64_t>("id"), alert);
}

TEST_F(NotifierTest, LevelRaiseChangesTheNoticeWhichIsSentAgain) {
  config.notifications.routes = {RouteConfig{{}, {}, {}, {"mail"}, {}}};
  config.notifications.channels[0].smtp.to = {"a@example.org"};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Orange);
  run();
  fixture.now = kT0 + 8 * kHour;
  const NotifySummary summary = run();
  EXPECT_EQ(summary.escalations.size(), 1u);
  EXPECT_EQ(summary.notices_created, 1);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[1].message.subject.find("最高级别：红色"), std::string::npos);
}

TEST_F(NotifierTest, DeliveryForARemovedChannelIsDead) {
  config.notifications.routes = {RouteConfig{{}, {}, {}, {"hook"}, {}}};
  fixture.fire("CS-0101", "R-FUNDS", rules::Level::Red);
  Notifier builder(fixture.db, config, registry, &pack, fixture.clock);
  NotifySummary summary;
  builder.build_notices(summary);
  ASSERT_EQ(summary.queued, 1);
  Config changed = config;
  changed.notifications.channels.clear();
  changed.notifications.routes.clear();
  Notifier sender(fixture.db, changed, registry, &pack, fixture.clock);
  NotifySummary sending;
  sender.deliver_due(sending);
  EXPECT_EQ(sending.dead, 1);
  EXPECT_NE(DeliveryStore(fixture.db).dead_letters().at(0).error.find("no longer configured"),
            std::string::npos);
}

}  // namespace
}  // namespace sfmon::notifier_test
