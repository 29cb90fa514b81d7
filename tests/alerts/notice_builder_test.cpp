// build_notice(): the early-warning notice a supervisor acts on — subject,
// text and HTML with every alert's level, rule, message, times, count and
// evidence ids; hostile text is escaped in HTML; the state changes exactly
// when what a reader sees changes.
#include "sfmon/alerts/notice_builder.h"

#include <gtest/gtest.h>

namespace sfmon::alerts::notice_builder_test {
namespace {

const Zone kShanghai{};

std::int64_t at(const std::string& text) {
  return parse_iso_instant(text, kShanghai)->utc_seconds;
}

Alert make_alert(std::int64_t id, rules::Level level, const std::string& rule,
                 const std::string& message) {
  Alert alert;
  alert.id = id;
  alert.rule_id = rule;
  alert.school_id = "CS-0101";
  alert.level = level;
  alert.status = AlertStatus::Open;
  alert.first_seen = at("2024-10-08T10:00:00+08:00");
  alert.last_seen = at("2024-10-09T16:30:00+08:00");
  alert.count = 3;
  alert.message = message;
  alert.evidence = {{"bank", "T1"}, {"fee", "F2"}};
  return alert;
}

NoticeInput sample_input() {
  NoticeInput input;
  input.school = {"CS-0101", "长沙明德实验学校", "岳麓区"};
  input.day = *parse_iso_date("2024-10-10");
  input.zone = kShanghai;
  input.items.push_back(
      {make_alert(7, rules::Level::Yellow, "FEE-OVER-CAP", "收费超标"), "超标准收费"});
  input.items.push_back(
      {make_alert(9, rules::Level::Red, "FUND-LARGE", "大额转出 2000000.00"), "大额资金转出"});
  return input;
}

TEST(NoticeBuilderTest, SubjectNamesSchoolDayCountAndHighestLevel) {
  const Notice notice = build_notice(sample_input());
  EXPECT_EQ(notice.subject,
            "【预警通知】长沙明德实验学校（CS-0101） 2024-10-10：2 条未处理预警（最高级别：红色）");
}

TEST(NoticeBuilderTest, AlertsAreListedHighestLevelFirst) {
  const Notice notice = build_notice(sample_input());
  EXPECT_EQ(notice.alert_ids, (std::vector<std::int64_t>{9, 7}));
  EXPECT_LT(notice.text.find("FUND-LARGE"), notice.text.find("FEE-OVER-CAP"));
}

TEST(NoticeBuilderTest, TextCarriesEverythingASupervisorNeeds) {
  const Notice notice = build_notice(sample_input());
  const std::string& text = notice.text;
  EXPECT_NE(text.find("学校：长沙明德实验学校（CS-0101）"), std::string::npos) << text;
  EXPECT_NE(text.find("区县：岳麓区"), std::string::npos);
  EXPECT_NE(text.find("未处理预警：2 条（红色 1 条，黄色 1 条）"), std::string::npos) << text;
  EXPECT_NE(text.find("【红色 red】FUND-LARGE 大额资金转出"), std::string::npos) << text;
  EXPECT_NE(text.find("预警编号：9    状态：待处理 (open)"), std::string::npos) << text;
  EXPECT_NE(text.find("说明：大额转出 2000000.00"), std::string::npos);
  EXPECT_NE(text.find("首次发现：2024-10-08T10:00:00+08:00"), std::string::npos);
  EXPECT_NE(text.find("最近发现：2024-10-09T16:30:00+08:00"), std::string::npos);
  EXPECT_NE(text.find("次数：3"), std::string::npos);
  EXPECT_NE(text.find("证据：bank:T1, fee:F2"), std::string::npos);
}

TEST(NoticeBuilderTest, UnknownSchoolIsNamedByItsId) {
  NoticeInput input = sample_input();
  input.school = {"CS-9999", "", ""};
  const Notice notice = build_notice(input);
  EXPECT_NE(notice.subject.find("【预警通知】CS-9999 2024-10-10"), std::string::npos);
  EXPECT_EQ(notice.text.find("区县"), std::string::npos);
}

TEST(NoticeBuilderTest, HtmlEscapesEveryInterpolatedValue) {
  NoticeInput input = sample_input();
  input.school.name = "<script>alert('x')</script>";
  input.items[0].alert.message = "A & B <b>\"quoted\"</b>";
  input.items[0].rule_title = "<i>title</i>";
  input.items[0].alert.evidence = {{"bank", "<ref>"}};
  const Notice notice = build_notice(input);
  EXPECT_EQ(notice.html.find("<script>"), std::string::npos);
  EXPECT_EQ(notice.html.find("<b>"), std::string::npos);
  EXPECT_EQ(notice.html.find("<i>"), std::string::npos);
  EXPECT_EQ(notice.html.find("<ref>"), std::string::npos);
  EXPECT_NE(notice.html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(notice.html.find("A &amp; B &lt;b&gt;&quot;quoted&quot;&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(notice.html.find("bank:&lt;ref&gt;"), std::string::npos);
  // Plain text stays as written.
  EXPECT_NE(notice.text.find("A & B <b>\"quoted\"</b>"), std::string::npos);
}

TEST(NoticeBuilderTest, HtmlIsACompleteUtf8DocumentWithOneRowPerAlert) {
  const Notice notice = build_notice(sample_input());
  EXPECT_EQ(notice.html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(notice.html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(notice.html.find("<tr class=\"level-red\">"), std::string::npos);
  EXPECT_NE(notice.html.find("<tr class=\"level-yellow\">"), std::string::npos);
  EXPECT_NE(notice.html.find("</html>"), std::string::npos);
}

TEST(NoticeBuilderTest, HtmlEscapeCoversTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
  EXPECT_EQ(html_escape("学校 ok"), "学校 ok");
}

TEST(NoticeBuilderTest, StateIgnoresOrderButSeesStatusLevelAndCountChanges) {
  const NoticeInput input = sample_input();
  std::vector<Alert> alerts = {input.items[0].alert, input.items[1].alert};
  const std::string base = notice_state(alerts);
  EXPECT_EQ(notice_state({alerts[1], alerts[0]}), base);
  EXPECT_EQ(build_notice(input).state, base);

  std::vector<Alert> acknowledged = alerts;
  acknowledged[0].status = AlertStatus::Acknowledged;
  EXPECT_NE(notice_state(acknowledged), base);
  std::vector<Alert> counted = alerts;
  counted[1].count += 1;
  EXPECT_NE(notice_state(counted), base);
  std::vector<Alert> raised = alerts;
  raised[0].level = rules::Level::Orange;
  EXPECT_NE(notice_state(raised), base);
  EXPECT_NE(notice_state({alerts[0]}), base);
}

TEST(NoticeBuilderTest, EscalationNoticeLeadsWithTheReason) {
  NoticeInput input = sample_input();
  input.items.erase(input.items.begin());
  const Notice notice = build_escalation_notice(input, "预警 9 超过 2h 仍未确认");
  EXPECT_EQ(notice.subject,
            "【预警升级】长沙明德实验学校（CS-0101） 2024-10-10：预警 9 未按时确认");
  EXPECT_EQ(notice.text.rfind("【预警升级】预警 9 超过 2h 仍未确认\n\n预警通知", 0), 0u);
  EXPECT_NE(notice.html.find("<strong>【预警升级】预警 9 超过 2h 仍未确认</strong>"),
            std::string::npos);
}

}  // namespace
}  // namespace sfmon::alerts::notice_builder_test
