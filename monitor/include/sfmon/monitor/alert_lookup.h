#pragma once
// Reading single live alerts and the unresolved ones, with what the alert
// manager needs beyond alerts::Alert: when sfmon raised the alert (the
// escalation clock starts there) and whether it is live and still stands.
// Complements AlertStore (monitor/alert_store.h), which owns the writes of
// regrouping.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/alerts/alert.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

struct StoredAlert {
  alerts::Alert alert;          // with its evidence
  std::string result_set;       // "live" or "replay:N"
  bool withdrawn = false;       // its firings are gone (late data undid it)
  std::int64_t created_at = 0;  // when sfmon raised it, UTC seconds
};

// Any alert by id (live, replay, withdrawn); nullopt when there is none.
std::optional<StoredAlert> find_alert(SqliteDb& db, std::int64_t alert_id);

// Live, not withdrawn alerts that are open or acknowledged, ordered by
// school and id. Pass `school_id` to read one school's.
std::vector<StoredAlert> unresolved_alerts(SqliteDb& db,
                                           const std::optional<std::string>& school_id = {});

// How many alerts unresolved_alerts would return, per level ("blue" ..
// "red"; every level present, zero when none), counted by the store.
std::map<std::string, std::int64_t> unresolved_alert_counts(SqliteDb& db);

// A stored record an alert names as evidence, for people reading the alert.
struct EvidenceDetail {
  std::string kind;  // bank | fee
  std::string id;    // bank reference / fee_id, as the source gave it
  std::int64_t time_utc = 0;
  int offset_minutes = 0;       // the source's UTC offset
  std::int64_t amount_fen = 0;  // signed
  std::string currency;
  std::string description;  // bank: counterparty and purpose; fee: fee type and student
  std::string source;       // file:position
};

// The bank and fee records a live alert flags (alert_evidence), by time.
// Balance evidence and records not (yet) stored are only in Alert::evidence.
std::vector<EvidenceDetail> evidence_details(SqliteDb& db, std::int64_t alert_id);

}  // namespace sfmon
