#pragma once
// The delivery queue: one row per (notice or escalated alert, channel,
// recipient). A delivery is pending until a channel sends it; a failure
// counts an attempt and, while attempts remain and the failure is worth
// retrying, waits with exponential backoff (status "failed", retried when
// next_attempt_at has come); otherwise it is "dead" and its payload, error
// and attempts are kept in dead_letters.
//
// Not thread-safe: borrows one SqliteDb (one per thread).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/monitor/notification_config.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/monitor/utc_clock.h"

namespace sfmon {

struct Delivery {
  std::int64_t id = 0;
  std::optional<std::int64_t> notice_id;  // a notice ...
  std::optional<std::int64_t> alert_id;   // ... or an escalated alert
  std::string channel;
  std::string recipient;
  std::string status;  // pending | sent | failed | dead
  int attempts = 0;
  std::optional<std::int64_t> next_attempt_at;  // UTC seconds; none once sent or dead
  std::string last_error;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct DeadLetter {
  std::int64_t id = 0;
  std::int64_t delivery_id = 0;
  std::string channel;
  std::string recipient;
  std::string payload;  // what would have been sent (JSON for webhooks, text for email)
  std::string error;    // the last failure
  int attempts = 0;
  std::int64_t created_at = 0;
};

// The wait after the `attempts`-th failed attempt (1, 2, ...): backoff,
// doubling each time, never more than max_backoff.
std::int64_t retry_delay(const RetryConfig& retry, int attempts);

class DeliveryStore {
 public:
  explicit DeliveryStore(SqliteDb& db, UtcClock clock = {});

  // A pending delivery, due now. Runs in the caller's transaction if any.
  Delivery enqueue(std::optional<std::int64_t> notice_id, std::optional<std::int64_t> alert_id,
                   const std::string& channel, const std::string& recipient);

  // Pending and failed deliveries whose time has come, oldest first.
  std::vector<Delivery> due();

  // Takes a due delivery for sending: pushes its next attempt `lease_seconds`
  // ahead so that another process (the daemon beside a CLI run) does not send
  // it too; a sender that dies mid-way leaves it to be retried after the
  // lease. False when it is no longer due (someone else took it).
  bool claim(std::int64_t delivery_id, std::int64_t lease_seconds);

  Delivery mark_sent(std::int64_t delivery_id);
  // Counts the attempt; schedules a retry or, when attempts are used up or
  // `retryable` is false, marks the delivery dead and writes the dead
  // letter with `payload` — one transaction.
  Delivery record_failure(std::int64_t delivery_id, const std::string& error, bool retryable,
                          const RetryConfig& retry, const std::string& payload);

  std::optional<Delivery> find(std::int64_t delivery_id);
  // Newest first; `status` filters when given.
  std::vector<Delivery> list(const std::optional<std::string>& status = {}, int limit = 1000);
  std::vector<DeadLetter> dead_letters(int limit = 1000);  // newest first

 private:
  SqliteDb& db_;
  UtcClock clock_;
};

}  // namespace sfmon
