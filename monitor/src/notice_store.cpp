#include "sfmon/monitor/notice_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "sfmon/model/sha256.h"
#include "sfmon/monitor/alert_lookup.h"
#include "sfmon/monitor/notice_json.h"

namespace sfmon {
namespace {

constexpr const char* kColumns =
    "SELECT id, school_id, day, fingerprint, subject, text_body, html_body, json_body, alert_ids, "
    "created_at FROM notices ";

std::string ids_to_json(const std::vector<std::int64_t>& ids) {
  Poco::JSON::Array array;
  for (const std::int64_t id : ids) array.add(id);
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

std::vector<std::int64_t> ids_from_json(const std::string& text) {
  std::vector<std::int64_t> ids;
  const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
  for (unsigned i = 0; i < array->size(); ++i) ids.push_back(array->getElement<std::int64_t>(i));
  return ids;
}

StoredNotice read_notice(const Statement& row) {
  StoredNotice notice;
  notice.id = row.column_int64(0);
  notice.school_id = row.column_text(1);
  notice.day = row.column_text(2);
  notice.fingerprint = row.column_text(3);
  notice.subject = row.column_text(4);
  notice.text = row.column_text(5);
  notice.html = row.column_text(6);
  notice.json = row.column_text(7);
  notice.alert_ids = ids_from_json(row.column_text(8));
  notice.created_at = row.column_int64(9);
  return notice;
}

alerts::NoticeSchool school_of(const std::string& school_id, const Registry* registry) {
  alerts::NoticeSchool school{school_id, "", ""};
  if (const School* known = registry ? registry->find_school(school_id) : nullptr) {
    school.name = known->name;
    school.district = known->district;
  }
  return school;
}

}  // namespace

std::string notice_fingerprint(const alerts::Notice& notice) {
  return sha256_hex(notice.state);
}

NoticeStore::NoticeStore(SqliteDb& db, UtcClock clock) : db_(db), clock_(std::move(clock)) {}

NoticeRun NoticeStore::build_notices(const NoticeSources& sources, const OnCreated& on_created) {
  const std::int64_t now = utc_now(clock_);
  const Date day = Instant{now, sources.zone.offset_minutes, false}.local_date(sources.zone);
  std::map<std::string, std::vector<alerts::Alert>> by_school;
  NoticeRun run;
  for (StoredAlert& stored : unresolved_alerts(db_)) {
    const alerts::Alert& alert = stored.alert;
    if (is_muted(sources.silences, alert.school_id, alert.rule_id, now)) {
      ++run.muted_alerts;
      continue;
    }
    by_school[alert.school_id].push_back(std::move(stored.alert));
  }
  for (const auto& [school_id, school_alerts] : by_school) {
    alerts::NoticeInput input;
    input.school = school_of(school_id, sources.registry);
    input.day = day;
    input.zone = sources.zone;
    for (const alerts::Alert& alert : school_alerts) {
      const auto title = sources.rule_titles.find(alert.rule_id);
      input.items.push_back(
          {alert, title == sources.rule_titles.end() ? std::string() : title->second});
    }
    const alerts::Notice notice = alerts::build_notice(input);
    Transaction transaction(db_);
    auto stored = store_if_changed(school_id, day, notice, notice_json(input, notice, "notice"));
    if (!stored) {
      ++run.unchanged;
      continue;
    }
    if (on_created) on_created(*stored, school_alerts);
    transaction.commit();
    run.created.push_back(std::move(*stored));
  }
  return run;
}

std::optional<StoredNotice> NoticeStore::store_if_changed(const std::string& school_id,
                                                          const Date& day,
                                                          const alerts::Notice& notice,
                                                          const std::string& json) {
  const std::string fingerprint = notice_fingerprint(notice);
  if (const auto previous = latest(school_id); previous && previous->fingerprint == fingerprint) {
    return std::nullopt;
  }
  StoredNotice stored;
  stored.school_id = school_id;
  stored.day = day.to_string();
  stored.fingerprint = fingerprint;
  stored.subject = notice.subject;
  stored.text = notice.text;
  stored.html = notice.html;
  stored.json = json;
  stored.alert_ids = notice.alert_ids;
  stored.created_at = utc_now(clock_);
  // The same state twice on one day (A, B, then A again) is stored once.
  Statement& insert = db_.prepare(
      "INSERT INTO notices(school_id, day, fingerprint, subject, text_body, html_body, json_body, "
      "alert_ids, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
      "ON CONFLICT(school_id, day, fingerprint) DO NOTHING");
  insert.bind_text(1, school_id).bind_text(2, stored.day).bind_text(3, fingerprint);
  insert.bind_text(4, stored.subject).bind_text(5, stored.text).bind_text(6, stored.html);
  insert.bind_text(7, json).bind_text(8, ids_to_json(stored.alert_ids));
  insert.bind_int64(9, stored.created_at).run();
  if (db_.changes() == 0) return std::nullopt;
  stored.id = db_.last_insert_rowid();
  return stored;
}

std::optional<StoredNotice> NoticeStore::find(std::int64_t id) {
  Statement& query = db_.prepare(std::string(kColumns) + "WHERE id = ?1");
  ResetGuard done(query);
  query.bind_int64(1, id);
  if (!query.step()) return std::nullopt;
  return read_notice(query);
}

std::optional<StoredNotice> NoticeStore::latest(const std::string& school_id) {
  Statement& query =
      db_.prepare(std::string(kColumns) + "WHERE school_id = ?1 ORDER BY id DESC LIMIT 1");
  ResetGuard done(query);
  query.bind_text(1, school_id);
  if (!query.step()) return std::nullopt;
  return read_notice(query);
}

std::vector<StoredNotice> NoticeStore::list(const std::optional<std::string>& school_id,
                                            int limit) {
  Statement& query = db_.prepare(std::string(kColumns) +
                                 "WHERE ?1 IS NULL OR school_id = ?1 ORDER BY id DESC LIMIT ?2");
  query.bind_text_or_null(1, school_id).bind_int64(2, limit);
  std::vector<StoredNotice> notices;
  while (query.step()) notices.push_back(read_notice(query));
  return notices;
}

}  // namespace sfmon
