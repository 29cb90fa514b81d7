#include "sfmon/monitor/notice_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <sstream>

namespace sfmon {

std::string notice_json(const alerts::NoticeInput& input, const alerts::Notice& notice,
                        const std::string& type) {
  const auto iso = [&](std::int64_t utc) { return local_time_text(utc, input.zone); };
  std::map<std::int64_t, const alerts::NoticeItem*> by_id;
  for (const alerts::NoticeItem& item : input.items) by_id[item.alert.id] = &item;

  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("type", type);
  Poco::JSON::Object school(Poco::JSON_PRESERVE_KEY_ORDER);
  school.set("id", input.school.id);
  school.set("name", input.school.name);
  school.set("district", input.school.district);
  root.set("school", school);
  root.set("day", input.day.to_string());
  root.set("subject", notice.subject);
  root.set("text", notice.text);
  Poco::JSON::Array list;
  for (const std::int64_t id : notice.alert_ids) {
    const alerts::NoticeItem& item = *by_id.at(id);
    const alerts::Alert& alert = item.alert;
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("id", alert.id);
    entry.set("rule_id", alert.rule_id);
    entry.set("rule_title", item.rule_title);
    entry.set("level", std::string(rules::to_string(alert.level)));
    entry.set("status", std::string(alerts::to_string(alert.status)));
    entry.set("message", alert.message);
    entry.set("first_seen", iso(alert.first_seen));
    entry.set("last_seen", iso(alert.last_seen));
    entry.set("count", alert.count);
    Poco::JSON::Array evidence;
    for (const rules::EvidenceRef& ref : alert.evidence) {
      Poco::JSON::Object pair(Poco::JSON_PRESERVE_KEY_ORDER);
      pair.set("kind", ref.kind);
      pair.set("id", ref.id);
      evidence.add(pair);
    }
    entry.set("evidence", evidence);
    list.add(entry);
  }
  root.set("alerts", list);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

std::string with_ids(const std::string& json, std::int64_t notice_id, std::int64_t delivery_id) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep the key order
  auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  if (notice_id != 0) object->set("notice_id", notice_id);
  object->set("delivery_id", delivery_id);
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace sfmon
