#pragma once
// Early-warning notices in the store. Each run builds, per school, the notice
// of its unresolved live alerts for the local day (alerts/notice_builder.h)
// and stores it only when its fingerprint — the alerts with their statuses,
// levels and counts — differs from the school's latest notice: a notice is
// re-sent only when something changed. Alerts a silence covers are left out
// (silences mute notifications, never alerts); a school whose alerts are all
// muted gets no notice.
//
// Not thread-safe: borrows one SqliteDb (one per thread).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/alerts/notice_builder.h"
#include "sfmon/model/registry.h"
#include "sfmon/monitor/silence_store.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon {

struct StoredNotice {
  std::int64_t id = 0;
  std::string school_id;
  std::string day;          // YYYY-MM-DD, local
  std::string fingerprint;  // SHA-256 hex of the notice's state
  std::string subject;
  std::string text;
  std::string html;
  std::string json;  // the webhook body (see notice_json.h)
  std::vector<std::int64_t> alert_ids;
  std::int64_t created_at = 0;  // UTC seconds
};

// What a notice shows beyond the alerts themselves.
struct NoticeSources {
  const Registry* registry = nullptr;              // school names and districts; may be null
  std::map<std::string, std::string> rule_titles;  // rule id → title
  std::vector<Silence> silences;
  Zone zone;
};

struct NoticeRun {
  std::vector<StoredNotice> created;  // new notices, by school id
  int unchanged = 0;                  // schools whose latest notice still holds
  int muted_alerts = 0;               // alerts left out by a silence
};

// SHA-256 (hex) of alerts::Notice::state.
std::string notice_fingerprint(const alerts::Notice& notice);

class NoticeStore {
 public:
  // Called inside the transaction that stores a new notice, with the alerts
  // it lists, so that its deliveries commit with it.
  using OnCreated =
      std::function<void(const StoredNotice& notice, const std::vector<alerts::Alert>& alerts)>;

  explicit NoticeStore(SqliteDb& db, UtcClock clock = {});

  // Builds today's (local day of now) notice of every school with unresolved
  // alerts and stores those that changed.
  NoticeRun build_notices(const NoticeSources& sources, const OnCreated& on_created = {});

  std::optional<StoredNotice> find(std::int64_t id);
  std::optional<StoredNotice> latest(const std::string& school_id);
  // Newest first; at most `limit`.
  std::vector<StoredNotice> list(const std::optional<std::string>& school_id, int limit = 100);

 private:
  std::optional<StoredNotice> store_if_changed(const std::string& school_id, const Date& day,
                                               const alerts::Notice& notice,
                                               const std::string& json);

  SqliteDb& db_;
  UtcClock clock_;
};

}  // namespace sfmon
