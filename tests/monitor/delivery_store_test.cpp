// DeliveryStore: due deliveries, exponential backoff with an injected clock,
// and dead letters when attempts run out or a failure is permanent.
#include "sfmon/monitor/delivery_store.h"

#include <gtest/gtest.h>

#include "alert_fixture.h"

namespace sfmon::delivery_store_test {
namespace {

using testing::AlertFixtureDb;
using testing::kT0;

class DeliveryStoreTest : public ::testing::Test {
 protected:
  AlertFixtureDb fixture;
  DeliveryStore store{fixture.db, fixture.clock};
  RetryConfig retry{3, 60, 3600};
  std::int64_t alert = fixture.fire("CS-0101", "R1", rules::Level::Red);
};

TEST(RetryDelayTest, DoublesFromTheBackoffUpToTheMaximum) {
  const RetryConfig retry{10, 30, 200};
  EXPECT_EQ(retry_delay(retry, 1), 30);
  EXPECT_EQ(retry_delay(retry, 2), 60);
  EXPECT_EQ(retry_delay(retry, 3), 120);
  EXPECT_EQ(retry_delay(retry, 4), 200);
  EXPECT_EQ(retry_delay(retry, 60), 200);  // no overflow however many attempts
}

TEST_F(DeliveryStoreTest, NewDeliveryIsDueAtOnce) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "mail", "a@example.org");
  EXPECT_EQ(queued.status, "pending");
  const auto due = store.due();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, queued.id);
  EXPECT_EQ(due[0].alert_id, alert);
  EXPECT_FALSE(due[0].notice_id);
  EXPECT_EQ(due[0].recipient, "a@example.org");
}

TEST_F(DeliveryStoreTest, SentDeliveryIsNoLongerDue) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "mail", "a@example.org");
  const Delivery sent = store.mark_sent(queued.id);
  EXPECT_EQ(sent.status, "sent");
  EXPECT_EQ(sent.attempts, 1);
  EXPECT_FALSE(sent.next_attempt_at);
  EXPECT_TRUE(store.due().empty());
}

TEST_F(DeliveryStoreTest, FailureWaitsForTheBackoffExactly) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "hook", "http://x/");
  const Delivery failed = store.record_failure(queued.id, "HTTP 500", true, retry, "{}");
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.next_attempt_at, kT0 + 60);
  EXPECT_EQ(failed.last_error, "HTTP 500");
  fixture.now = kT0 + 59;
  EXPECT_TRUE(store.due().empty());
  fixture.now = kT0 + 60;
  EXPECT_EQ(store.due().size(), 1u);
  const Delivery twice = store.record_failure(queued.id, "HTTP 502", true, retry, "{}");
  EXPECT_EQ(twice.next_attempt_at, kT0 + 60 + 120);
}

TEST_F(DeliveryStoreTest, LastAttemptFailingMakesADeadLetter) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "hook", "http://x/");
  store.record_failure(queued.id, "HTTP 500", true, retry, "{\"a\":1}");
  store.record_failure(queued.id, "HTTP 500", true, retry, "{\"a\":1}");
  const Delivery dead = store.record_failure(queued.id, "timeout", true, retry, "{\"a\":1}");
  EXPECT_EQ(dead.status, "dead");
  EXPECT_EQ(dead.attempts, 3);
  EXPECT_FALSE(dead.next_attempt_at);
  fixture.now += 100000;
  EXPECT_TRUE(store.due().empty());
  const auto letters = store.dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].delivery_id, queued.id);
  EXPECT_EQ(letters[0].channel, "hook");
  EXPECT_EQ(letters[0].recipient, "http://x/");
  EXPECT_EQ(letters[0].payload, "{\"a\":1}");
  EXPECT_EQ(letters[0].error, "timeout");
  EXPECT_EQ(letters[0].attempts, 3);
}

TEST_F(DeliveryStoreTest, PermanentFailureIsDeadAtOnce) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "hook", "http://x/");
  const Delivery dead = store.record_failure(queued.id, "HTTP 400", false, retry, "{}");
  EXPECT_EQ(dead.status, "dead");
  EXPECT_EQ(dead.attempts, 1);
  EXPECT_EQ(store.dead_letters().size(), 1u);
}

TEST_F(DeliveryStoreTest, ListFiltersByStatus) {
  const Delivery a = store.enqueue(std::nullopt, alert, "mail", "a@example.org");
  store.enqueue(std::nullopt, alert, "mail", "b@example.org");
  store.mark_sent(a.id);
  EXPECT_EQ(store.list().size(), 2u);
  EXPECT_EQ(store.list(std::string("sent")).size(), 1u);
  EXPECT_EQ(store.list(std::string("pending")).size(), 1u);
}

TEST_F(DeliveryStoreTest, ClaimedDeliveryIsNotDueUntilTheLeaseEnds) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "mail", "a@example.org");
  EXPECT_TRUE(store.claim(queued.id, 300));
  EXPECT_FALSE(store.claim(queued.id, 300)) << "a second sender must not take it";
  EXPECT_TRUE(store.due().empty());
  fixture.now += 300;
  EXPECT_EQ(store.due().size(), 1u) << "a sender that died leaves it to be retried";
}

TEST_F(DeliveryStoreTest, SentDeliveryCannotBeClaimed) {
  const Delivery queued = store.enqueue(std::nullopt, alert, "mail", "a@example.org");
  store.mark_sent(queued.id);
  EXPECT_FALSE(store.claim(queued.id, 300));
}

TEST_F(DeliveryStoreTest, UnknownDeliveryIsAnError) {
  EXPECT_THROW(store.mark_sent(4242), std::invalid_argument);
  EXPECT_THROW(store.record_failure(4242, "x", true, retry, ""), std::invalid_argument);
}

}  // namespace
}  // namespace sfmon::delivery_store_test
