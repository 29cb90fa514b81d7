#include "sfmon/alerts/notice_builder.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace sfmon::alerts {
namespace {

std::string local_time(std::int64_t utc_seconds, const Zone& zone) {
  return Instant{utc_seconds, zone.offset_minutes, false}.to_string();
}

std::string evidence_list(const Alert& alert) {
  std::string text;
  for (const rules::EvidenceRef& ref : alert.evidence) {
    if (!text.empty()) text += ", ";
    text += ref.kind + ":" + ref.id;
  }
  return text.empty() ? "（无）" : text;
}

std::string school_label(const NoticeSchool& school) {
  return school.name.empty() ? school.id : school.name + "（" + school.id + "）";
}

std::vector<const NoticeItem*> ordered(const std::vector<NoticeItem>& items) {
  std::vector<const NoticeItem*> sorted;
  for (const NoticeItem& item : items) sorted.push_back(&item);
  std::sort(sorted.begin(), sorted.end(), [](const NoticeItem* a, const NoticeItem* b) {
    return std::make_tuple(-static_cast<int>(a->alert.level), a->alert.first_seen, a->alert.id) <
           std::make_tuple(-static_cast<int>(b->alert.level), b->alert.first_seen, b->alert.id);
  });
  return sorted;
}

// "红色 1 条，橙色 2 条"
std::string level_counts(const std::vector<const NoticeItem*>& items) {
  std::string text;
  for (int level = 3; level >= 0; --level) {
    const auto count = std::count_if(items.begin(), items.end(), [&](const NoticeItem* item) {
      return static_cast<int>(item->alert.level) == level;
    });
    if (count == 0) continue;
    if (!text.empty()) text += "，";
    text += std::string(level_name_zh(static_cast<rules::Level>(level))) + " " +
            std::to_string(count) + " 条";
  }
  return text;
}

std::string rule_label(const NoticeItem& item) {
  return item.rule_title.empty() ? item.alert.rule_id
                                 : item.alert.rule_id + " " + item.rule_title;
}

constexpr const char* kActionHint =
    "请在系统中确认预警（sfmon alerts ack ID --by 用户名），核查后填写意见予以解决或驳回"
    "（sfmon alerts resolve|dismiss ID --by 用户名 --comment 意见）。";

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
    out << "\n" << ++number << ". 【" << level_name_zh(alert.level) << " "
        << rules::to_string(alert.level) << "】" << rule_label(*item) << "\n";
    out << "   预警编号：" << alert.id << "    状态：" << status_name_zh(alert.status) << " ("
        << to_string(alert.status) << ")\n";
    out << "   说明：" << alert.message << "\n";
    out << "   首次发现：" << local_time(alert.first_seen, input.zone)
        << "    最近发现：" << local_time(alert.last_seen, input.zone)
        << "    次数：" << alert.count << "\n";
    out << "   证据：" << evidence_list(alert) << "\n";
  }
  out << "\n" << kActionHint << "\n";
  return out.str();
}

std::string html_body(const NoticeInput& input, const std::vector<const NoticeItem*>& items) {
  const auto e = html_escape;
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
      << e(build_notice_subject_placeholder) << "</title>\n";
  return out.str();
}

}  // namespace
