#include "sfmon/monitor/silence_store.h"

#include <algorithm>

namespace sfmon {
namespace {

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

bool is_muted(const std::vector<Silence>& silences, const std::string& school_id,
              const std::string& rule_id, std::int64_t at) {
  return std::any_of(silences.begin(), silences.end(), [&](const Silence& silence) {
    return silence.active_at(at) && silence.covers(school_id, rule_id);
  });
}

SilenceStore::SilenceStore(SqliteDb& db, UtcClock clock) : db_(db), clock_(std::move(clock)) {}

Silence SilenceStore::add(const std::string& school_id, const std::string& rule_id,
                          std::int64_t ends_at, const std::string& reason,
                          const std::string& author) {
  if (blank(school_id)) throw SilenceError("the school (--school) must be an id or '*'");
  if (blank(rule_id)) throw SilenceError("the rule (--rule) must be an id or '*'");
  if (blank(reason)) throw SilenceError("a silence needs a reason (--reason)");
  if (blank(author)) throw SilenceError("a silence needs an author (--by)");
  Silence silence;
  silence.school_id = school_id;
  silence.rule_id = rule_id;
  silence.reason = reason;
  silence.author = author;
  silence.starts_at = utc_now(clock_);
  silence.created_at = silence.starts_at;
  silence.ends_at = ends_at;
  if (ends_at <= silence.starts_at) {
    throw SilenceError("the end of a silence (--until) must be in the future");
  }
  Statement& insert = db_.prepare(
      "INSERT INTO silences(school_id, rule_id, reason, author, starts_at, ends_at, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind_text(1, school_id).bind_text(2, rule_id).bind_text(3, reason).bind_text(4, author);
  insert.bind_int64(5, silence.starts_at).bind_int64(6, ends_at);
  insert.bind_int64(7, silence.created_at).run();
  silence.id = db_.last_insert_rowid();
  return silence;
}

std::vector<Silence> SilenceStore::list(bool active_only) {
  Statement& query = db_.prepare(
      "SELECT id, school_id, rule_id, reason, author, starts_at, ends_at, created_at "
      "FROM silences WHERE ?1 = 0 OR (starts_at <= ?2 AND ?2 < ends_at) ORDER BY id DESC");
  query.bind_int64(1, active_only ? 1 : 0).bind_int64(2, utc_now(clock_));
  std::vector<Silence> silences;
  while (query.step()) {
    Silence silence;
    silence.id = query.column_int64(0);
    silence.school_id = query.column_text(1);
    silence.rule_id = query.column_text(2);
    silence.reason = query.column_text(3);
    silence.author = query.column_text(4);
    silence.starts_at = query.column_int64(5);
    silence.ends_at = query.column_int64(6);
    silence.created_at = query.column_int64(7);
    silences.push_back(std::move(silence));
  }
  return silences;
}

}  // namespace sfmon
