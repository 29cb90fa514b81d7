#include "sfmon/monitor/delivery_store.h"

#include <algorithm>
#include <stdexcept>

namespace sfmon {
namespace {

constexpr const char* kColumns =
    "SELECT id, notice_id, alert_id, channel, recipient, status, attempts, next_attempt_at, "
    "last_error, created_at, updated_at FROM deliveries ";

Delivery read_delivery(const Statement& row) {
  Delivery delivery;
  delivery.id = row.column_int64(0);
  delivery.notice_id = row.column_int64_or_null(1);
  delivery.alert_id = row.column_int64_or_null(2);
  delivery.channel = row.column_text(3);
  delivery.recipient = row.column_text(4);
  delivery.status = row.column_text(5);
  delivery.attempts = static_cast<int>(row.column_int64(6));
  delivery.next_attempt_at = row.column_int64_or_null(7);
  delivery.last_error = row.column_text(8);
  delivery.created_at = row.column_int64(9);
  delivery.updated_at = row.column_int64(10);
  return delivery;
}

}  // namespace

std::int64_t retry_delay(const RetryConfig& retry, int attempts) {
  std::int64_t delay = retry.backoff_seconds;
  for (int i = 1; i < attempts && delay < retry.max_backoff_seconds; ++i) delay *= 2;
  return std::min(delay, retry.max_backoff_seconds);
}

DeliveryStore::DeliveryStore(SqliteDb& db, UtcClock clock) : db_(db), clock_(std::move(clock)) {}

Delivery DeliveryStore::enqueue(std::optional<std::int64_t> notice_id,
                                std::optional<std::int64_t> alert_id, const std::string& channel,
                                const std::string& recipient) {
  const std::int64_t now = utc_now(clock_);
  Statement& insert = db_.prepare(
      "INSERT INTO deliveries(notice_id, alert_id, channel, recipient, status, attempts, "
      "next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5, ?5)");
  insert.bind_int64_or_null(1, notice_id).bind_int64_or_null(2, alert_id);
  insert.bind_text(3, channel).bind_text(4, recipient).bind_int64(5, now).run();
  Delivery delivery;
  delivery.id = db_.last_insert_rowid();
  delivery.notice_id = notice_id;
  delivery.alert_id = alert_id;
  delivery.channel = channel;
  delivery.recipient = recipient;
  delivery.status = "pending";
  delivery.next_attempt_at = now;
  delivery.created_at = now;
  delivery.updated_at = now;
  return delivery;
}

std::vector<Delivery> DeliveryStore::due() {
  Statement& query = db_.prepare(std::string(kColumns) +
                                 "WHERE status IN ('pending', 'failed') AND next_attempt_at <= ?1 "
                                 "ORDER BY next_attempt_at, id");
  query.bind_int64(1, utc_now(clock_));
  std::vector<Delivery> found;
  while (query.step()) found.push_back(read_delivery(query));
  return found;
}

std::optional<Delivery> DeliveryStore::find(std::int64_t delivery_id) {
  Statement& query = db_.prepare(std::string(kColumns) + "WHERE id = ?1");
  ResetGuard done(query);
  query.bind_int64(1, delivery_id);
  if (!query.step()) return std::nullopt;
  return read_delivery(query);
}

bool DeliveryStore::claim(std::int64_t delivery_id, std::int64_t lease_seconds) {
  const std::int64_t now = utc_now(clock_);
  Statement& update = db_.prepare(
      "UPDATE deliveries SET next_attempt_at = ?3 WHERE id = ?1 AND "
      "status IN ('pending', 'failed') AND next_attempt_at <= ?2");
  update.bind_int64(1, delivery_id).bind_int64(2, now).bind_int64(3, now + lease_seconds).run();
  return db_.changes() == 1;
}

Delivery DeliveryStore::mark_sent(std::int64_t delivery_id) {
  Transaction transaction(db_);
  Statement& update = db_.prepare(
      "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, next_attempt_at = NULL, "
      "last_error = '', updated_at = ?2 WHERE id = ?1");
  update.bind_int64(1, delivery_id).bind_int64(2, utc_now(clock_)).run();
  auto delivery = find(delivery_id);
  if (!delivery)
    throw std::invalid_argument("delivery " + std::to_string(delivery_id) + " does not exist");
  transaction.commit();
  return *delivery;
}

Delivery DeliveryStore::record_failure(std::int64_t delivery_id, const std::string& error,
                                       bool retryable, const RetryConfig& retry,
                                       const std::string& payload) {
  Transaction transaction(db_);
  auto delivery = find(delivery_id);
  if (!delivery)
    throw std::invalid_argument("delivery " + std::to_string(delivery_id) + " does not exist");
  const std::int64_t now = utc_now(clock_);
  delivery->attempts += 1;
  delivery->last_error = error;
  delivery->updated_at = now;
  if (retryable && delivery->attempts < retry.max_attempts) {
    delivery->status = "failed";
    delivery->next_attempt_at = now + retry_delay(retry, delivery->attempts);
  } else {
    delivery->status = "dead";
    delivery->next_attempt_at.reset();
    Statement& dead = db_.prepare(
        "INSERT INTO dead_letters(delivery_id, channel, recipient, payload, error, attempts, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    dead.bind_int64(1, delivery_id).bind_text(2, delivery->channel);
    dead.bind_text(3, delivery->recipient).bind_text(4, payload).bind_text(5, error);
    dead.bind_int64(6, delivery->attempts).bind_int64(7, now).run();
  }
  Statement& update = db_.prepare(
      "UPDATE deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5, "
      "updated_at = ?6 WHERE id = ?1");
  update.bind_int64(1, delivery_id).bind_text(2, delivery->status);
  update.bind_int64(3, delivery->attempts).bind_int64_or_null(4, delivery->next_attempt_at);
  update.bind_text(5, error).bind_int64(6, now).run();
  transaction.commit();
  return *delivery;
}

std::vector<Delivery> DeliveryStore::list(const std::optional<std::string>& status, int limit) {
  Statement& query = db_.prepare(std::string(kColumns) +
                                 "WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC LIMIT ?2");
  query.bind_text_or_null(1, status).bind_int64(2, limit);
  std::vector<Delivery> found;
  while (query.step()) found.push_back(read_delivery(query));
  return found;
}

std::vector<DeadLetter> DeliveryStore::dead_letters(int limit) {
  Statement& query = db_.prepare(
      "SELECT id, delivery_id, channel, recipient, payload, error, attempts, created_at "
      "FROM dead_letters ORDER BY id DESC LIMIT ?1");
  query.bind_int64(1, limit);
  std::vector<DeadLetter> found;
  while (query.step()) {
    DeadLetter letter;
    letter.id = query.column_int64(0);
    letter.delivery_id = query.column_int64(1);
    letter.channel = query.column_text(2);
    letter.recipient = query.column_text(3);
    letter.payload = query.column_text(4);
    letter.error = query.column_text(5);
    letter.attempts = static_cast<int>(query.column_int64(6));
    letter.created_at = query.column_int64(7);
    found.push_back(std::move(letter));
  }
  return found;
}

}  // namespace sfmon
