#include "sfmon/alerts/notice_builder.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace sfmon::alerts {
namespace {

std::vector<std::string> evidence_ids(const Alert& alert) {
  std::vector<std::string> ids;
  for (const rules::EvidenceRef& ref : alert.evidence) ids.push_back(ref.kind + ":" + ref.id);
  return ids;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& part : parts) {
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

std::string school_label(const NoticeSchool& school) {
  return school.name.empty() ? school.id : school.name + "（" + school.id + "）";
}

std::vector<const NoticeItem*> ordered(const std::vector<NoticeItem>& items) {
  std::vector<const NoticeItem*> sorted;
  sorted.reserve(items.size());
  for (const NoticeItem& item : items) sorted.push_back(&item);
  std::sort(sorted.begin(), sorted.end(), [](const NoticeItem* a, const NoticeItem* b) {
    return std::make_tuple(-static_cast<int>(a->alert.level), a->alert.first_seen, a->alert.id) <
           std::make_tuple(-static_cast<int>(b->alert.level), b->alert.first_seen, b->alert.id);
  });
  return sorted;
}

// "红色 1 条，橙色 2 条"
std::string level_counts(const std::vector<const NoticeItem*>& items) {
  std::vector<std::string> parts;
  for (int level = 3; level >= 0; --level) {
    const auto count = std::count_if(items.begin(), items.end(), [&](const NoticeItem* item) {
      return static_cast<int>(item->alert.level) == level;
    });
    if (count == 0) continue;
    parts.push_back(std::string(level_name_zh(static_cast<rules::Level>(level))) + " " +
                    std::to_string(count) + " 条");
  }
  return joined(parts, "，");
}

std::string rule_label(const NoticeItem& item) {
  return item.rule_title.empty() ? item.alert.rule_id : item.alert.rule_id + " " + item.rule_title;
}

constexpr const char* kActionHint =
    "请核查上述预警：确认（sfmon alerts ack 预警编号 --by 用户名），核查后填写意见予以解决或驳回"
    "（sfmon alerts resolve|dismiss 预警编号 --by 用户名 --comment 意见）。";

std::string subject_of(const NoticeInput& input, const std::vector<const NoticeItem*>& items) {
  std::string subject = "【预警通知】" + school_label(input.school) + " " + input.day.to_string() +
                        "：" + std::to_string(items.size()) + " 条未处理预警";
  if (!items.empty()) {
    subject += "（最高级别：" + std::string(level_name_zh(items.front()->alert.level)) + "）";
  }
  return subject;
}

std::string text_body(const NoticeInput& input, const std::vector<const NoticeItem*>& items) {
  std::ostringstream out;
  out << "预警通知 / Early-warning notice\n\n";
  out << "学校：" << school_label(input.school) << "\n";
  if (!input.school.district.empty()) out << "区县：" << input.school.district << "\n";
  out << "日期：" << input.day.to_string() << "（" << input.zone.name << "）\n";
  out << "未处理预警：" << items.size() << " 条（" << level_counts(items) << "）\n";
  int number = 0;
  for (const NoticeItem* item : items) {
    const Alert& alert = item->alert;
    const auto evidence = evidence_ids(alert);
    out << "\n"
        << ++number << ". 【" << level_name_zh(alert.level) << " " << rules::to_string(alert.level)
        << "】" << rule_label(*item) << "\n";
    out << "   预警编号：" << alert.id << "    状态：" << status_name_zh(alert.status) << " ("
        << to_string(alert.status) << ")\n";
    out << "   说明：" << alert.message << "\n";
    out << "   首次发现：" << local_time_text(alert.first_seen, input.zone) << "    最近发现："
        << local_time_text(alert.last_seen, input.zone) << "    次数：" << alert.count << "\n";
    out << "   证据：" << (evidence.empty() ? "（无）" : joined(evidence, ", ")) << "\n";
  }
  out << "\n" << kActionHint << "\n";
  return out.str();
}

std::string html_body(const NoticeInput& input, const std::vector<const NoticeItem*>& items,
                      const std::string& subject, const std::string& lead = "") {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>" << html_escape(subject) << "</title>\n</head>\n<body>\n"
      << "<h1>预警通知 <small>Early-warning notice</small></h1>\n";
  if (!lead.empty()) out << "<p><strong>" << html_escape(lead) << "</strong></p>\n";
  out << "<table>\n"
      << "<tr><th>学校</th><td>" << html_escape(school_label(input.school)) << "</td></tr>\n";
  if (!input.school.district.empty()) {
    out << "<tr><th>区县</th><td>" << html_escape(input.school.district) << "</td></tr>\n";
  }
  out << "<tr><th>日期</th><td>" << input.day.to_string() << "（" << html_escape(input.zone.name)
      << "）</td></tr>\n"
      << "<tr><th>未处理预警</th><td>" << items.size() << " 条（" << level_counts(items)
      << "）</td></tr>\n</table>\n";
  out << "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\n<thead><tr>"
      << "<th>级别</th><th>规则</th><th>预警编号</th><th>状态</th><th>说明</th>"
      << "<th>首次发现</th><th>最近发现</th><th>次数</th><th>证据</th></tr></thead>\n<tbody>\n";
  for (const NoticeItem* item : items) {
    const Alert& alert = item->alert;
    std::vector<std::string> evidence;
    for (const std::string& id : evidence_ids(alert)) evidence.push_back(html_escape(id));
    out << "<tr class=\"level-" << rules::to_string(alert.level) << "\">"
        << "<td>" << level_name_zh(alert.level) << " " << rules::to_string(alert.level) << "</td>"
        << "<td>" << html_escape(rule_label(*item)) << "</td>"
        << "<td>" << alert.id << "</td>"
        << "<td>" << status_name_zh(alert.status) << " (" << to_string(alert.status) << ")</td>"
        << "<td>" << html_escape(alert.message) << "</td>"
        << "<td>" << local_time_text(alert.first_seen, input.zone) << "</td>"
        << "<td>" << local_time_text(alert.last_seen, input.zone) << "</td>"
        << "<td>" << alert.count << "</td>"
        << "<td>" << (evidence.empty() ? "（无）" : joined(evidence, "<br>")) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n<p>" << html_escape(kActionHint) << "</p>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace

const char* level_name_zh(rules::Level level) {
  switch (level) {
    case rules::Level::Blue:
      return "蓝色";
    case rules::Level::Yellow:
      return "黄色";
    case rules::Level::Orange:
      return "橙色";
    case rules::Level::Red:
      break;
  }
  return "红色";
}

const char* status_name_zh(AlertStatus status) {
  switch (status) {
    case AlertStatus::Open:
      return "待处理";
    case AlertStatus::Acknowledged:
      return "已确认";
    case AlertStatus::Resolved:
      return "已解决";
    case AlertStatus::Dismissed:
      break;
  }
  return "已驳回";
}

std::string html_escape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string notice_state(const std::vector<Alert>& alerts) {
  std::vector<const Alert*> sorted;
  sorted.reserve(alerts.size());
  for (const Alert& alert : alerts) sorted.push_back(&alert);
  std::sort(sorted.begin(), sorted.end(),
            [](const Alert* a, const Alert* b) { return a->id < b->id; });
  std::string state;
  for (const Alert* alert : sorted) {
    state += std::to_string(alert->id) + "|" + to_string(alert->status) + "|" +
             rules::to_string(alert->level) + "|" + std::to_string(alert->count) + "|" +
             std::to_string(alert->last_seen) + "\n";
  }
  return state;
}

Notice build_notice(const NoticeInput& input) {
  const std::vector<const NoticeItem*> items = ordered(input.items);
  Notice notice;
  notice.subject = subject_of(input, items);
  notice.text = text_body(input, items);
  notice.html = html_body(input, items, notice.subject);
  std::vector<Alert> alerts;
  for (const NoticeItem* item : items) {
    alerts.push_back(item->alert);
    notice.alert_ids.push_back(item->alert.id);
  }
  notice.state = notice_state(alerts);
  return notice;
}

Notice build_escalation_notice(const NoticeInput& input, const std::string& reason) {
  const std::vector<const NoticeItem*> items = ordered(input.items);
  Notice notice = build_notice(input);
  const std::string ids = joined(
      [&] {
        std::vector<std::string> parts;
        for (const std::int64_t id : notice.alert_ids) parts.push_back(std::to_string(id));
        return parts;
      }(),
      ", ");
  notice.subject = "【预警升级】" + school_label(input.school) + " " + input.day.to_string() +
                   "：预警 " + ids + " 未按时确认";
  notice.text = "【预警升级】" + reason + "\n\n" + notice.text;
  notice.html = html_body(input, items, notice.subject, "【预警升级】" + reason);
  return notice;
}

}  // namespace sfmon::alerts
