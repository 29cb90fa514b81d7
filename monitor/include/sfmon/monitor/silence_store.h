#pragma once
// Silences mute notifications — never alerts — about a school and a rule
// ('*' for every school or every rule) from when they are added until they
// end. Each has a reason and an author; nothing is deleted, an ended silence
// stays listed as history.
//
// Not thread-safe: borrows one SqliteDb (one per thread).

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon {

struct Silence {
  std::int64_t id = 0;
  std::string school_id;  // "*": every school
  std::string rule_id;    // "*": every rule
  std::string reason;
  std::string author;
  std::int64_t starts_at = 0;  // UTC seconds, inclusive
  std::int64_t ends_at = 0;    // UTC seconds, exclusive
  std::int64_t created_at = 0;

  bool active_at(std::int64_t utc_seconds) const {
    return starts_at <= utc_seconds && utc_seconds < ends_at;
  }
  bool covers(const std::string& school, const std::string& rule) const {
    return (school_id == "*" || school_id == school) && (rule_id == "*" || rule_id == rule);
  }
};

// True when one of `silences` is active at `at` and covers the school and rule.
bool is_muted(const std::vector<Silence>& silences, const std::string& school_id,
              const std::string& rule_id, std::int64_t at);

// A silence that cannot be added; what() names the field and the value.
class SilenceError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class SilenceStore {
 public:
  explicit SilenceStore(SqliteDb& db, UtcClock clock = {});

  // Starts now and ends at `ends_at`. Throws SilenceError when a field is
  // empty or the end is not after now.
  Silence add(const std::string& school_id, const std::string& rule_id, std::int64_t ends_at,
              const std::string& reason, const std::string& author);

  // Every silence, newest first; with `active_only`, those active now.
  std::vector<Silence> list(bool active_only = false);

 private:
  SqliteDb& db_;
  UtcClock clock_;
};

}  // namespace sfmon
