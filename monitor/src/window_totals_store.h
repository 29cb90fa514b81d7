#pragma once
// Keeps the daily totals of windowed rules (sfmon/rules/window_totals.h)
// between runs, in table window_day_totals, per school, local day and rule.
//
// Validity: a day's totals are the totals of the facts of that day as the
// pack, the registry and the zone named by `basis` derive them. When
// RuleRunner::run_pending judges a school's marked changes it forgets the
// local days of the marked span in the transaction that clears the marks
// (evaluation never reads totals of the span it judges, so none are read
// stale before), and stores the totals the evaluation worked out;
// a pack, registry, watchlist or zone change changes the basis, so every
// older row reads as missing until evaluation writes it again.
//
// Retention: in the same transaction run_pending prunes the school's rows
// that no later evaluation can read (first_totals_day_to_keep() in
// change_evaluator.h): those of another basis and those of days before the
// longest seedable window of its latest change. A school that leaves the
// registry is judged no more, so RecordStore::sync_registry drops all of its
// rows then. Rows missing for any reason only mean "no seed": that
// evaluation is judged from the records.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/time.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/rule_pack.h"
#include "sfmon/rules/window_totals.h"

namespace sfmon {

// The local day (days since 1970-01-01 in `zone`) of `utc_seconds`, for
// any int64 input (Instant::local_date would go through a civil date).
std::int64_t local_day_of(std::int64_t utc_seconds, const Zone& zone);

// The basis of totals computed under `pack`, the registry and watchlist of
// `registry_fingerprint` and `zone`; empty (no totals kept) when the pack has
// no source digest or no registry was synced.
std::string window_totals_basis(const rules::CompiledPack& pack,
                                const std::string& registry_fingerprint, const Zone& zone);

// The blob of one day's totals: per key its text and per aggregate count,
// sum and sum of squares. decode_day() returns false for a blob that is not
// one for `aggregates` aggregates (a row of some other pack).
std::string encode_day(const rules::DayTotals& day);
bool decode_day(std::string_view blob, std::size_t aggregates, rules::DayTotals& day);

class WindowTotalsStore {
 public:
  explicit WindowTotalsStore(SqliteDb& db) : db_(db) {}

  // Adds the totals of `rule_id` for the school's local days [first_day,
  // last_day] to `sums` (sorted by key). False, with `sums` unspecified,
  // when any day is missing, of another basis or unreadable, or the sums
  // overflow.
  bool sum_days(const std::string& school_id, const std::string& rule_id, std::size_t aggregates,
                const std::string& basis, std::int64_t first_day, std::int64_t last_day,
                std::vector<rules::KeyTotals>& sums);

  // Stores `update` for the school under `basis` (rows of the same school,
  // day and rule are replaced). Call inside the transaction that stores the
  // evaluation's alerts.
  void write(const std::string& school_id, const std::string& basis,
             const WindowTotalsUpdate& update);

  // Drops the school's totals of the local days (in `zone`) of [from, to]
  // (UTC seconds): a day's totals depend on that day's records alone.
  void forget(const std::string& school_id, std::int64_t from, std::int64_t to, const Zone& zone);

  // Drops the school's rows whose basis is not `basis`, and those of local
  // days before `first_day_kept` (days since 1970-01-01). Other schools'
  // rows stay. Call inside the transaction that writes the school's totals.
  void prune(const std::string& school_id, const std::string& basis, std::int64_t first_day_kept);

  // Drops every row of the school.
  void forget_school(const std::string& school_id);

 private:
  SqliteDb& db_;
};

}  // namespace sfmon
