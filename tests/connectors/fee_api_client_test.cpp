#include "sfmon/connectors/fee_api_client.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "http_fakes.h"
#include "sfmon/model/input_error.h"

namespace sfmon::fee_api_client_test {
namespace {

using std::chrono::milliseconds;
using testing::FakeTime;
using testing::http_failure;
using testing::http_ok;
using testing::http_status;
using testing::ScriptedTransport;

const std::string kBase = "http://fees.test/api/fees";

std::string record_json(const std::string& fee_id, const std::string& amount = "\"1200.00\"",
                        const std::string& school = "S001") {
  return R"({"fee_id": ")" + fee_id + R"(", "school_id": ")" + school +
         R"(", "student_id": "st-1", "paid_at": "2024-09-02T10:30:00+08:00", "amount": )" + amount +
         R"(, "fee_type": "tuition"})";
}

std::string page_json(const std::vector<std::string>& records, const std::string& next,
                      bool has_more) {
  std::string text = R"({"records": [)";
  for (std::size_t i = 0; i < records.size(); ++i) text += (i ? ", " : "") + records[i];
  return text + R"(], "next_cursor": ")" + next + R"(", "has_more": )" +
         (has_more ? "true" : "false") + "}";
}

class FeeApiClientTest : public ::testing::Test {
 protected:
  FeeApiClient client(const std::string& token = "", int attempts = 3) {
    FeeApiSettings settings;
    settings.url = kBase;
    settings.bearer_token = token;
    settings.page_limit = 2;
    settings.retry.max_attempts = attempts;
    settings.retry.base_delay = milliseconds{100};
    settings.retry.max_delay = milliseconds{5000};
    return FeeApiClient(settings, transport, time.context(), Zone{},
                        [this](const std::string& message) { retry_log.push_back(message); });
  }

  ScriptedTransport transport;
  FakeTime time;
  std::vector<std::string> retry_log;
};

// --- the request ---------------------------------------------------------

TEST(FeePageUrl, FirstPageHasNoSince) {
  EXPECT_EQ(fee_page_url(kBase, std::nullopt, 100), kBase + "?limit=100");
}

TEST(FeePageUrl, CursorIsPercentEncoded) {
  EXPECT_EQ(fee_page_url(kBase, "a b&c=d/é~_.-", 5),
            kBase + "?since=a%20b%26c%3Dd%2F%C3%A9~_.-&limit=5");
}

TEST(FeePageUrl, BaseQueryIsKept) {
  EXPECT_EQ(fee_page_url(kBase + "?district=430102", "c1", 5),
            kBase + "?district=430102&since=c1&limit=5");
}

TEST_F(FeeApiClientTest, SendsTheBearerTokenAndAsksForJson) {
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  ASSERT_TRUE(client("s3cret").fetch_page("c0", 1).ok());
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& request = transport.requests[0];
  EXPECT_EQ(request.url, kBase + "?since=c0&limit=2");
  const auto has = [&](const std::string& name, const std::string& value) {
    for (const auto& header : request.headers) {
      if (header.first == name) return header.second == value;
    }
    return false;
  };
  EXPECT_TRUE(has("Authorization", "Bearer s3cret"));
  EXPECT_TRUE(has("Accept", "application/json"));
}

TEST_F(FeeApiClientTest, SendsNoAuthorizationWithoutAToken) {
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  ASSERT_TRUE(client().fetch_page(std::nullopt, 1).ok());
  for (const auto& header : transport.requests[0].headers) EXPECT_NE(header.first, "Authorization");
}

TEST_F(FeeApiClientTest, PassesTheConfiguredTimeouts) {
  FeeApiSettings settings;
  settings.url = kBase;
  settings.timeouts = HttpTimeouts{milliseconds{11}, milliseconds{22}, milliseconds{33}};
  FeeApiClient custom(settings, transport, time.context(), Zone{});
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  ASSERT_TRUE(custom.fetch_page(std::nullopt, 1).ok());
  EXPECT_EQ(transport.requests[0].timeouts.connect, milliseconds{11});
  EXPECT_EQ(transport.requests[0].timeouts.send, milliseconds{22});
  EXPECT_EQ(transport.requests[0].timeouts.receive, milliseconds{33});
}

TEST_F(FeeApiClientTest, RejectsAPageLimitBelowOne) {
  FeeApiSettings settings;
  settings.url = kBase;
  settings.page_limit = 0;
  EXPECT_THROW(FeeApiClient(settings, transport, time.context(), Zone{}), std::invalid_argument);
}

// --- a good page -----------------------------------------------------------

TEST_F(FeeApiClientTest, DecodesRecordsCursorAndHasMore) {
  const std::string body = page_json({record_json("F1"), record_json("F2", "-300.5")}, "c2", true);
  transport.script.push_back(http_ok(body));
  const PageResult result = client().fetch_page("c1", 4);
  ASSERT_TRUE(result.ok()) << result.error.message;
  const FeePage& page = *result.page;
  EXPECT_EQ(page.next_cursor, "c2");
  EXPECT_TRUE(page.has_more);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].fee_id, "F1");
  EXPECT_EQ(page.records[0].amount_fen, 120000);
  EXPECT_EQ(page.records[1].amount_fen, -30050);
  EXPECT_EQ(page.records[1].source.file, kBase + "?since=c1&limit=2");
  EXPECT_EQ(page.records[1].source.position, "record 2");
  EXPECT_EQ(page.url, kBase + "?since=c1&limit=2");
  EXPECT_EQ(page.body_sha256.size(), 64u);
}

TEST_F(FeeApiClientTest, HashesTheBody) {
  const std::string body = page_json({}, "c1", false);
  transport.script.push_back(http_ok(body));
  transport.script.push_back(http_ok(body + " "));
  const PageResult first = client().fetch_page(std::nullopt, 1);
  const PageResult second = client().fetch_page(std::nullopt, 1);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first.page->body_sha256, second.page->body_sha256);
}

TEST_F(FeeApiClientTest, NumericAmountsKeepTheirExactText) {
  // 2^53 + 1 fen: a double would round it to an even neighbour.
  transport.script.push_back(
      http_ok(page_json({record_json("F1", "90071992547409.93")}, "c1", false)));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_TRUE(result.ok()) << result.error.message;
  EXPECT_EQ(result.page->records[0].amount_fen, 9'007'199'254'740'993);
}

TEST_F(FeeApiClientTest, NumericAmountWithThreeDecimalsIsRejectedAsWritten) {
  // As a double 1.000 would be 1, and accepted; the text has three decimals.
  transport.script.push_back(http_ok(page_json({record_json("F1", "1.000")}, "c1", false)));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error.message.find("record 1: field 'amount'"), std::string::npos)
      << result.error.message;
}

TEST_F(FeeApiClientTest, LastPageMayHaveAnEmptyCursor) {
  transport.script.push_back(http_ok(page_json({}, "", false)));
  const PageResult result = client().fetch_page("c9", 1);
  ASSERT_TRUE(result.ok()) << result.error.message;
  EXPECT_EQ(result.page->next_cursor, "");
}

TEST_F(FeeApiClientTest, IgnoresOtherTopLevelMembers) {
  transport.script.push_back(
      http_ok(R"({"total": 7, "records": [], "meta": {"a": [1, 2]}, "next_cursor": "c1",
                  "has_more": false})"));
  EXPECT_TRUE(client().fetch_page(std::nullopt, 1).ok());
}

// --- pages that are not valid ---------------------------------------------

TEST_F(FeeApiClientTest, MalformedJsonIsReportedOnceWithThePageNumber) {
  transport.script.push_back(http_ok(R"({"records": [)"));
  const PageResult result = client().fetch_page("c1", 3);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Malformed);
  EXPECT_EQ(
      result.error.message.rfind("page 3: GET " + kBase + "?since=c1&limit=2: malformed JSON", 0),
      0u)
      << result.error.message;
  EXPECT_EQ(transport.requests.size(), 1u);  // not retried
  EXPECT_TRUE(time.sleeper.waits.empty());
}

struct BadPage {
  std::string body;
  std::string expected;  // the message after "page 1: GET <url>: "
};

class FeePageErrors : public FeeApiClientTest, public ::testing::WithParamInterface<BadPage> {};

TEST_P(FeePageErrors, NameThePageAndTheProblem) {
  transport.script.push_back(http_ok(GetParam().body));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Malformed);
  EXPECT_EQ(result.error.message, "page 1: GET " + kBase + "?limit=2: " + GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    FeeApiClient, FeePageErrors,
    ::testing::Values(
        BadPage{R"([1, 2])", "the page must be a JSON object (value '[1, 2]')"},
        BadPage{R"({"next_cursor": "c1", "has_more": false})", "'records' is missing"},
        BadPage{R"({"records": {}, "next_cursor": "c1", "has_more": false})",
                "'records' must be an array"},
        BadPage{R"({"records": [], "has_more": false})", "'next_cursor' is missing"},
        BadPage{R"({"records": [], "next_cursor": 17, "has_more": false})",
                "'next_cursor' must be a string (value '17')"},
        BadPage{R"({"records": [], "next_cursor": "c1"})", "'has_more' is missing"},
        BadPage{R"({"records": [], "next_cursor": "c1", "has_more": "no"})",
                "'has_more' must be true or false (value 'no')"},
        BadPage{R"({"records": [], "records": [], "next_cursor": "c1", "has_more": false})",
                "key 'records' appears 2 times"},
        BadPage{R"({"records": [], "rec\u006frds": [], "next_cursor": "c1", "has_more": false})",
                "key 'records' appears 2 times"},
        BadPage{R"({"records": ["F1"], "next_cursor": "c1", "has_more": false})",
                "record 1: expected a JSON object (value '\"F1\"')"},
        BadPage{page_json({record_json("F1"), record_json("F2", "\"12,00\"")}, "c1", false),
                "record 2: field 'amount': invalid amount: not a decimal amount (value "
                "'12,00')"},
        BadPage{page_json({record_json("F1"), record_json("F1")}, "c1", false),
                "record 2: duplicate fee_id for school S001 (first at record 1) (value 'F1')"}));

TEST_F(FeeApiClientTest, InvalidUtf8IsMalformed) {
  transport.script.push_back(http_ok(page_json({record_json("F\xC3")}, "c1", false)));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Malformed);
  EXPECT_NE(result.error.message.find("UTF-8"), std::string::npos) << result.error.message;
}

TEST_F(FeeApiClientTest, HasMoreWithTheSameCursorWouldLoopForever) {
  transport.script.push_back(http_ok(page_json({record_json("F1")}, "c1", true)));
  const PageResult result = client().fetch_page("c1", 2);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Malformed);
  EXPECT_EQ(result.error.message,
            "page 2: GET " + kBase +
                "?since=c1&limit=2: has_more is true but next_cursor 'c1' does not move past the "
                "cursor asked for");
}

TEST_F(FeeApiClientTest, HasMoreWithoutACursorWouldLoopForever) {
  transport.script.push_back(http_ok(page_json({record_json("F1")}, "", true)));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error.message.find("has_more is true but next_cursor ''"), std::string::npos);
}

// --- statuses and retries --------------------------------------------------

TEST_F(FeeApiClientTest, ServerErrorIsRetriedAfterAJitteredWait) {
  transport.script.push_back(http_status(500, "Internal Server Error"));
  transport.script.push_back(http_ok(page_json({record_json("F1")}, "c1", false)));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_TRUE(result.ok()) << result.error.message;
  EXPECT_EQ(transport.requests.size(), 2u);
  EXPECT_EQ(time.sleeper.waits, std::vector<milliseconds>{milliseconds{50}});
  EXPECT_EQ(time.random.bounds, std::vector<std::int64_t>{100});
  EXPECT_EQ(retry_log, std::vector<std::string>{"page 1: GET " + kBase +
                                                "?limit=2: HTTP 500 Internal Server Error; retry "
                                                "1 of 2 in 50 ms"});
}

TEST_F(FeeApiClientTest, TooManyRequestsHonoursRetryAfterSeconds) {
  transport.script.push_back(http_status(429, "Too Many Requests", "", {{"Retry-After", "2"}}));
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  ASSERT_TRUE(client().fetch_page(std::nullopt, 1).ok());
  EXPECT_EQ(time.sleeper.waits, std::vector<milliseconds>{milliseconds{2000}});
  EXPECT_TRUE(time.random.bounds.empty());
}

TEST_F(FeeApiClientTest, TooManyRequestsHonoursRetryAfterDate) {
  // The fake clock reads 2024-10-27T03:33:20Z.
  transport.script.push_back(http_status(429, "Too Many Requests", "",
                                         {{"retry-after", "Sun, 27 Oct 2024 03:33:23 GMT"}}));
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  ASSERT_TRUE(client().fetch_page(std::nullopt, 1).ok());
  EXPECT_EQ(time.sleeper.waits, std::vector<milliseconds>{milliseconds{3000}});
}

TEST_F(FeeApiClientTest, TooManyRequestsWithoutRetryAfterUsesBackoff) {
  transport.script.push_back(http_status(429, "Too Many Requests"));
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  ASSERT_TRUE(client().fetch_page(std::nullopt, 1).ok());
  EXPECT_EQ(time.sleeper.waits, std::vector<milliseconds>{milliseconds{50}});
}

TEST_F(FeeApiClientTest, RetryAfterBeyondTheCapGivesUp) {
  transport.script.push_back(
      http_status(503, "Service Unavailable", "", {{"Retry-After", "3600"}}));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Unavailable);
  EXPECT_EQ(result.error.message,
            "page 1: GET " + kBase +
                "?limit=2: HTTP 503 Service Unavailable (the server asked to retry after 3600 s, "
                "more than the 5 s allowed)");
  EXPECT_TRUE(time.sleeper.waits.empty());
}

TEST_F(FeeApiClientTest, TimeoutsAreRetriedUntilTheAttemptsRunOut) {
  for (int i = 0; i < 3; ++i) {
    transport.script.push_back(http_failure(HttpFailure::Timeout, "timed out: Timeout"));
  }
  transport.script.push_back(http_ok(page_json({}, "c1", false)));  // never asked for
  const PageResult result = client().fetch_page("c7", 5);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Unavailable);
  EXPECT_EQ(result.error.attempts, 3);
  EXPECT_EQ(result.error.message, "page 5: GET " + kBase +
                                      "?since=c7&limit=2: timed out: Timeout (gave up after 3 "
                                      "attempts)");
  EXPECT_EQ(transport.requests.size(), 3u);
  EXPECT_EQ(time.sleeper.waits, (std::vector<milliseconds>{milliseconds{50}, milliseconds{100}}));
}

TEST_F(FeeApiClientTest, NetworkFailuresAreRetried) {
  transport.script.push_back(http_failure(HttpFailure::Network, "Connection refused"));
  transport.script.push_back(http_failure(HttpFailure::Tls, "TLS: handshake failed"));
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  EXPECT_TRUE(client().fetch_page(std::nullopt, 1).ok());
  EXPECT_EQ(transport.requests.size(), 3u);
}

TEST_F(FeeApiClientTest, ClientErrorIsReportedWithoutRetry) {
  transport.script.push_back(http_status(404, "Not Found", "{\"error\":\n\"no such feed\"}"));
  const PageResult result = client().fetch_page(std::nullopt, 2);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Rejected);
  EXPECT_EQ(result.error.attempts, 1);
  EXPECT_EQ(result.error.message,
            "page 2: GET " + kBase + "?limit=2: HTTP 404 Not Found: {\"error\": \"no such feed\"}");
  EXPECT_EQ(transport.requests.size(), 1u);
}

TEST_F(FeeApiClientTest, UnauthorizedIsNotRetried) {
  transport.script.push_back(http_status(401, "Unauthorized"));
  const PageResult result = client("wrong").fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Rejected);
  EXPECT_EQ(result.error.message, "page 1: GET " + kBase + "?limit=2: HTTP 401 Unauthorized");
  EXPECT_EQ(result.error.message.find("wrong"), std::string::npos);  // the token stays secret
}

TEST_F(FeeApiClientTest, RedirectIsNotFollowed) {
  transport.script.push_back(http_status(301, "Moved Permanently", "", {{"Location", "/v2"}}));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Rejected);
  EXPECT_NE(result.error.message.find("HTTP 301 Moved Permanently (redirects are not followed"),
            std::string::npos);
}

TEST_F(FeeApiClientTest, InvalidUrlIsNotRetried) {
  transport.script.push_back(http_failure(HttpFailure::InvalidUrl, "invalid URL: bad port"));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.kind, PageErrorKind::Rejected);
  EXPECT_EQ(transport.requests.size(), 1u);
}

TEST_F(FeeApiClientTest, InterruptedWaitAbandonsTheRetry) {
  time.sleeper.interrupt = true;
  transport.script.push_back(http_status(502, "Bad Gateway"));
  transport.script.push_back(http_ok(page_json({}, "c1", false)));
  const PageResult result = client().fetch_page(std::nullopt, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(
      result.error.message,
      "page 1: GET " + kBase + "?limit=2: HTTP 502 Bad Gateway (retry abandoned: shutting down)");
  EXPECT_EQ(transport.requests.size(), 1u);
}

}  // namespace
}  // namespace sfmon::fee_api_client_test
