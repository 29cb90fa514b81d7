#pragma once
// A migrated in-memory store with a hand-set clock and a helper that raises
// live alerts the way evaluation does (AlertStore::replace_firings), for the
// alert manager's tests.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon::testing {

// 2024-10-10T09:00:00+08:00
constexpr std::int64_t kT0 = 1'728'522'000;
constexpr std::int64_t kHour = 3600;

struct AlertFixtureDb {
  SqliteDb db{":memory:"};
  std::int64_t now = kT0;
  UtcClock clock = [this] { return now; };

  AlertFixtureDb() { migrate(db); }

  // Raises (or adds a firing to) the live alert of `school`, `rule` and
  // `dedup_key` at event time `time`; returns the alert's id.
  std::int64_t fire(const std::string& school, const std::string& rule, rules::Level level,
                    const std::string& dedup_key = "k", std::int64_t time = kT0 - 86400,
                    std::vector<rules::EvidenceRef> evidence = {{"bank", "T1"}}) {
    rules::Firing firing;
    firing.rule_id = rule;
    firing.school_id = school;
    firing.level = level;
    firing.dedup_key = dedup_key;
    firing.time = time;
    firing.message = rule + " fired for " + school;
    firing.evidence = std::move(evidence);
    // Evaluation hands over every firing of a school at a time: keep them.
    std::vector<rules::Firing>& at_time = firings_[{school, time}];
    std::erase_if(at_time, [&](const rules::Firing& other) {
      return other.rule_id == rule && other.dedup_key == dedup_key;
    });
    at_time.push_back(firing);
    AlertStore(db, clock).replace_firings(school, time, time, at_time);
    Statement& query = db.prepare(
        "SELECT id FROM alerts WHERE school_id = ?1 AND rule_id = ?2 AND dedup_key = ?3 "
        "AND withdrawn = 0 ORDER BY id DESC LIMIT 1");
    ResetGuard done(query);
    query.bind_text(1, school).bind_text(2, rule).bind_text(3, dedup_key);
    query.step();
    return query.column_int64(0);
  }

  std::string text(const std::string& sql, std::int64_t id) {
    Statement query = db.prepare_uncached(sql);
    query.bind_int64(1, id);
    return query.step() ? query.column_text(0) : "";
  }
  std::int64_t count(const std::string& sql) {
    Statement query = db.prepare_uncached(sql);
    query.step();
    return query.column_int64(0);
  }
  std::string level_of(std::int64_t alert_id) {
    return text("SELECT level FROM alerts WHERE id = ?1", alert_id);
  }
  std::string status_of(std::int64_t alert_id) {
    return text("SELECT status FROM alerts WHERE id = ?1", alert_id);
  }

 private:
  std::map<std::pair<std::string, std::int64_t>, std::vector<rules::Firing>> firings_;
};

}  // namespace sfmon::testing
