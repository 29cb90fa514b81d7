#pragma once
// Early-warning notices (预警通知): a school's unresolved alerts on one local
// day as one document a finance supervisor can act on — a subject, a plain
// text body and an HTML body (every interpolated value escaped). Chinese
// prose; ids (school, rule, alert, evidence) stay as the system and the
// sources spell them. Pure: persistence and the "re-send only on change"
// decision are monitor/notice_store.h.

#include <cstdint>
#include <string>
#include <vector>

#include "sfmon/alerts/alert.h"
#include "sfmon/model/time.h"

namespace sfmon::alerts {

struct NoticeSchool {
  std::string id;
  std::string name;      // empty: unknown to the registry (the id is shown)
  std::string district;  // empty: unknown
};

struct NoticeItem {
  Alert alert;
  std::string rule_title;  // from the rule pack; empty when the rule is gone
};

struct NoticeInput {
  NoticeSchool school;
  Date day;                       // the local day the notice is for
  Zone zone;                      // times print in this zone
  std::vector<NoticeItem> items;  // any order; the notice orders them
};

struct Notice {
  std::string subject;
  std::string text;
  std::string html;  // a complete UTF-8 HTML document
  // Canonical text of what a reader would see change: every alert's id,
  // status, level, count and last seen. Equal states give equal text.
  std::string state;
  std::vector<std::int64_t> alert_ids;  // in the order the notice lists them
};

// Items are listed highest level first, then by first seen and id.
Notice build_notice(const NoticeInput& input);

// The notice sent to the next recipient when a red alert is still not
// acknowledged: `input` holds that one alert; `reason` (one line) says how
// long it waited, and heads both bodies. The subject starts 【预警升级】.
Notice build_escalation_notice(const NoticeInput& input, const std::string& reason);

// The `state` of build_notice for these alerts, in any order.
std::string notice_state(const std::vector<Alert>& alerts);

// Chinese names: 蓝色 / 黄色 / 橙色 / 红色 and 待处理 / 已确认 / 已解决 / 已驳回.
const char* level_name_zh(rules::Level level);
const char* status_name_zh(AlertStatus status);

// & < > " ' as entities; everything else (UTF-8 included) unchanged.
std::string html_escape(const std::string& text);

}  // namespace sfmon::alerts
