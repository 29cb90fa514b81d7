#include "sfmon/monitor/fee_http_puller.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "../connectors/http_fakes.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/schema_migrations.h"

namespace sfmon::fee_http_puller_test {
namespace {

using std::chrono::milliseconds;
using testing::FakeTime;
using testing::http_failure;
using testing::http_ok;
using testing::http_status;
using testing::kFakeEpochSeconds;
using testing::ScriptedTransport;

const std::string kUrl = "http://fees.test/fees";

// Fee record i (from 0) of school `school`, paid on 2024-09-(i+1).
std::string record_json(int i, const std::string& school = "S001") {
  const std::string day = (i < 9 ? "0" : "") + std::to_string(i + 1);
  return R"({"fee_id": "F)" + std::to_string(i) + R"(", "school_id": ")" + school +
         R"(", "student_id": "st-)" + std::to_string(i) + R"(", "paid_at": "2024-09-)" + day +
         R"(T10:00:00+08:00", "amount": 1200.50, "fee_type": "tuition"})";
}

// The query parameter `name` of `url`, if present.
std::optional<std::string> query_param(const std::string& url, const std::string& name) {
  const std::size_t query = url.find('?');
  if (query == std::string::npos) return std::nullopt;
  std::size_t pos = query + 1;
  while (pos < url.size()) {
    const std::size_t end = std::min(url.find('&', pos), url.size());
    const std::string pair = url.substr(pos, end - pos);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    pos = end + 1;
  }
  return std::nullopt;
}

// A well-behaved fee API: the cursor is the index of the next record.
class FakeFeeApi {
 public:
  std::vector<std::string> records;  // JSON objects

  HttpResponse operator()(const HttpRequest& request) const {
    const std::size_t start = std::stoul(query_param(request.url, "since").value_or("0"));
    const std::size_t limit = std::stoul(query_param(request.url, "limit").value_or("100"));
    const std::size_t end = std::min(records.size(), start + limit);
    std::string body = R"({"records": [)";
    for (std::size_t i = start; i < end; ++i) body += (i > start ? ", " : "") + records[i];
    body += R"(], "next_cursor": ")" + std::to_string(std::max(start, end)) + R"(", "has_more": )" +
            (end < records.size() ? "true" : "false") + "}";
    return http_ok(body);
  }
};

SqliteDb migrated_memory_db() {
  SqliteDb db(":memory:");
  migrate(db);
  return db;
}

class FeeHttpPullerTest : public ::testing::Test {
 protected:
  FeeHttpPullerTest() {
    School school;
    school.id = "S001";
    school.name = "阳光小学";
    registry_.schools.push_back(school);
    connector_.name = "fee-api";
    connector_.type = ConnectorType::FeeHttp;
    connector_.url = kUrl;
    connector_.page_limit = 2;
    connector_.retries = 2;
    connector_.backoff_ms = 100;
    for (int i = 0; i < 5; ++i) api_.records.push_back(record_json(i));
    transport_.fallback = [this](const HttpRequest& request) { return api_(request); };
  }

  FeeHttpPullReport pull(FeeHttpPullOptions options = {}) {
    if (!options.getenv) options.getenv = [this](const std::string& name) { return env(name); };
    FeeHttpPuller puller(db_, store_, registry_, Zone{}, transport_, time_.context(), options);
    return puller.pull(connector_);
  }

  std::optional<std::string> env(const std::string& name) const {
    const auto it = env_.find(name);
    if (it == env_.end()) return std::nullopt;
    return it->second;
  }

  std::vector<std::string> requested_urls() const {
    std::vector<std::string> urls;
    for (const HttpRequest& request : transport_.requests) urls.push_back(request.url);
    return urls;
  }

  std::int64_t fee_records() { return store_.summary().fee_records; }
  ConnectorState state() { return ConnectorStateStore(db_).get("fee-api").value(); }

  SqliteDb db_ = migrated_memory_db();
  RecordStore store_{db_, [] { return kFakeEpochSeconds; }};
  Registry registry_;
  ConnectorConfig connector_;
  FakeFeeApi api_;
  ScriptedTransport transport_;
  FakeTime time_;
  std::map<std::string, std::string> env_;
};

// --- paging and the cursor ---------------------------------------------------

TEST_F(FeeHttpPullerTest, FollowsHasMoreAndStoresTheLastCursor) {
  const FeeHttpPullReport report = pull();
  EXPECT_TRUE(report.ok) << report.error;
  EXPECT_EQ(report.pages, 3);
  EXPECT_EQ(report.records_read, 5);
  EXPECT_EQ(report.added, 5);
  EXPECT_EQ(report.cursor, "5");
  EXPECT_EQ(requested_urls(),
            (std::vector<std::string>{kUrl + "?limit=2", kUrl + "?since=2&limit=2",
                                      kUrl + "?since=4&limit=2"}));
  EXPECT_EQ(store_.cursor("fee-api"), "5");
  EXPECT_EQ(fee_records(), 5);
}

TEST_F(FeeHttpPullerTest, RecordsKeepTheirExactAmountAndPageSource) {
  pull();
  RecordFilter filter;
  filter.kind = RecordKind::Fee;
  const std::vector<RecordRow> rows = store_.list_records(filter);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].amount_fen, 120050);
  EXPECT_EQ(rows[2].source.file, kUrl + "?since=2&limit=2");
  EXPECT_EQ(rows[2].source.position, "record 1");
}

TEST_F(FeeHttpPullerTest, NextPullStartsFromTheStoredCursorAndAddsNothingTwice) {
  pull();
  transport_.requests.clear();
  api_.records.push_back(record_json(5));

  const FeeHttpPullReport report = pull();
  EXPECT_TRUE(report.ok) << report.error;
  EXPECT_EQ(requested_urls(), std::vector<std::string>{kUrl + "?since=5&limit=2"});
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(report.cursor, "6");
  EXPECT_EQ(fee_records(), 6);
}

TEST_F(FeeHttpPullerTest, AnIdleSourceLogsNoIngest) {
  pull();
  const std::int64_t logged = store_.summary().files_accepted + store_.summary().files_duplicate;
  const FeeHttpPullReport report = pull();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.pages, 1);
  EXPECT_EQ(report.records_read, 0);
  EXPECT_EQ(store_.summary().files_accepted + store_.summary().files_duplicate, logged);
  EXPECT_EQ(state().pages_read, 4);
}

TEST_F(FeeHttpPullerTest, RecordsSentAgainAreCountedAsAlreadyStored) {
  pull();
  db_.exec("DELETE FROM cursors");  // as if the server had rewound its cursor
  const FeeHttpPullReport report = pull();
  EXPECT_TRUE(report.ok) << report.error;
  EXPECT_EQ(report.added, 0);
  EXPECT_EQ(report.duplicates, 5);
  EXPECT_EQ(fee_records(), 5);
}

TEST_F(FeeHttpPullerTest, EmptyNextCursorOnTheLastPageKeepsTheStoredCursor) {
  pull();
  transport_.script.push_back(http_ok(R"({"records": [], "next_cursor": "", "has_more": false})"));
  const FeeHttpPullReport report = pull();
  EXPECT_TRUE(report.ok) << report.error;
  EXPECT_EQ(store_.cursor("fee-api"), "5");
}

TEST_F(FeeHttpPullerTest, StopsAtThePageCapAndGoesOnNextTime) {
  FeeHttpPullOptions options;
  options.max_pages = 2;
  const FeeHttpPullReport report = pull(options);
  EXPECT_TRUE(report.ok) << report.error;
  EXPECT_EQ(report.pages, 2);
  EXPECT_EQ(store_.cursor("fee-api"), "4");
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].message,
            "stopped after 2 pages; the next pull goes on from the cursor");

  EXPECT_TRUE(pull(options).ok);
  EXPECT_EQ(fee_records(), 5);
}

// --- failures ------------------------------------------------------------------

TEST_F(FeeHttpPullerTest, FailingPageLeavesTheStoreAtTheLastCommittedPage) {
  transport_.script.push_back(api_(HttpRequest{kUrl + "?limit=2", {}, {}, 0}));
  for (int i = 0; i < 3; ++i) {
    transport_.script.push_back(http_failure(HttpFailure::Network, "Connection reset by peer"));
  }
  const FeeHttpPullReport report = pull();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.error, "page 2: GET " + kUrl +
                              "?since=2&limit=2: Connection reset by peer (gave up after 3 "
                              "attempts)");
  EXPECT_EQ(report.pages, 1);
  EXPECT_EQ(store_.cursor("fee-api"), "2");
  EXPECT_EQ(fee_records(), 2);

  // The next pull (the fake API is healthy again) resumes after page 1.
  transport_.requests.clear();
  const FeeHttpPullReport resumed = pull();
  EXPECT_TRUE(resumed.ok) << resumed.error;
  EXPECT_EQ(requested_urls().front(), kUrl + "?since=2&limit=2");
  EXPECT_EQ(resumed.added, 3);
  EXPECT_EQ(resumed.duplicates, 0);
  EXPECT_EQ(fee_records(), 5);
}

TEST_F(FeeHttpPullerTest, PageThatFailsToCommitStoresNeitherRecordsNorCursorNorMarks) {
  // F2 is the first record of page 2; F3 (the second) makes the insert fail,
  // after F2 was written inside the page's transaction.
  db_.exec(
      "CREATE TRIGGER crash_on_f3 BEFORE INSERT ON fee_records WHEN NEW.fee_id = 'F3' "
      "BEGIN SELECT RAISE(ABORT, 'injected crash'); END;");
  const FeeHttpPullReport report = pull();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.error.find("could not store: "), std::string::npos) << report.error;
  EXPECT_NE(report.error.find("injected crash"), std::string::npos) << report.error;
  EXPECT_EQ(store_.cursor("fee-api"), "2");
  EXPECT_EQ(fee_records(), 2);
  EXPECT_EQ(state().pages_read, 1);
  const ChangedSpan span = EvaluationQueue(db_).pending().at("S001");
  EXPECT_EQ(span.to, parse_iso_instant("2024-09-02T10:00:00+08:00", Zone{})->utc_seconds);

  db_.exec("DROP TRIGGER crash_on_f3");
  EXPECT_TRUE(pull().ok);
  EXPECT_EQ(fee_records(), 5);
  EXPECT_EQ(store_.cursor("fee-api"), "5");
}

TEST_F(FeeHttpPullerTest, MalformedPageIsReportedAndStopsThePull) {
  transport_.script.push_back(api_(HttpRequest{kUrl + "?limit=2", {}, {}, 0}));
  transport_.script.push_back(http_ok(R"({"records": [}, "next_cursor": "4"})"));
  const FeeHttpPullReport report = pull();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.error.rfind("page 2: GET " + kUrl + "?since=2&limit=2: malformed JSON", 0), 0u)
      << report.error;
  EXPECT_EQ(transport_.requests.size(), 2u);
  EXPECT_EQ(store_.cursor("fee-api"), "2");
}

TEST_F(FeeHttpPullerTest, ServerErrorsAreRetriedWithinThePull) {
  transport_.script.push_back(http_status(503, "Service Unavailable"));
  transport_.script.push_back(http_status(429, "Too Many Requests", "", {{"Retry-After", "1"}}));
  std::vector<std::string> log;
  FeeHttpPullOptions options;
  options.retry_log = [&log](const std::string& message) { log.push_back(message); };
  const FeeHttpPullReport report = pull(options);
  EXPECT_TRUE(report.ok) << report.error;
  EXPECT_EQ(fee_records(), 5);
  EXPECT_EQ(time_.sleeper.waits, (std::vector<milliseconds>{milliseconds{50}, milliseconds{1000}}));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0], "connector fee-api: page 1: GET " + kUrl +
                        "?limit=2: HTTP 503 Service Unavailable; retry 1 of 2 in 50 ms");
}

TEST_F(FeeHttpPullerTest, TransportThatThrowsDoesNotEscapeThePuller) {
  int calls = 0;
  transport_.fallback = [&](const HttpRequest& request) {
    if (++calls == 2) throw std::runtime_error("simulated crash");
    return api_(request);
  };
  FeeHttpPullReport report;
  ASSERT_NO_THROW(report = pull());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.error, "unexpected error: simulated crash");
  EXPECT_EQ(store_.cursor("fee-api"), "2");
  EXPECT_EQ(fee_records(), 2);
}

TEST_F(FeeHttpPullerTest, NotAFeeHttpConnectorIsAnErrorNotAThrow) {
  connector_.type = ConnectorType::FeeFiles;
  const FeeHttpPullReport report = pull();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.error, "not a fee-http connector (type fee-files)");
  EXPECT_TRUE(transport_.requests.empty());
}

// --- the token -----------------------------------------------------------------

TEST_F(FeeHttpPullerTest, SendsTheTokenFromTheEnvironment) {
  connector_.token_env = "FEE_TOKEN";
  env_["FEE_TOKEN"] = "t0ken";
  ASSERT_TRUE(pull().ok);
  bool sent = false;
  for (const auto& [name, value] : transport_.requests[0].headers) {
    sent = sent || (name == "Authorization" && value == "Bearer t0ken");
  }
  EXPECT_TRUE(sent);
}

TEST_F(FeeHttpPullerTest, MissingTokenVariableFailsWithoutARequest) {
  connector_.token_env = "FEE_TOKEN";
  const FeeHttpPullReport report = pull();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.error,
            "the bearer token's environment variable FEE_TOKEN (token_env) is not set");
  EXPECT_TRUE(transport_.requests.empty());
  EXPECT_EQ(state().consecutive_failures, 1);
}

// --- evaluation marks and warnings ---------------------------------------------

TEST_F(FeeHttpPullerTest, MarksRegisteredSchoolsForEvaluation) {
  api_.records.push_back(record_json(5, "S999"));
  const FeeHttpPullReport report = pull();
  ASSERT_TRUE(report.ok) << report.error;
  const auto pending = EvaluationQueue(db_).pending();
  ASSERT_EQ(pending.size(), 1u);
  const ChangedSpan span = pending.at("S001");
  EXPECT_EQ(span.from, parse_iso_instant("2024-09-01T10:00:00+08:00", Zone{})->utc_seconds);
  EXPECT_EQ(span.to, parse_iso_instant("2024-09-05T10:00:00+08:00", Zone{})->utc_seconds);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].message,
            "unregistered school S999: fee records stored, rules skip them until it is registered");
  EXPECT_EQ(fee_records(), 6);
}

// --- connector state ---------------------------------------------------------------

TEST_F(FeeHttpPullerTest, SuccessIsRecordedWithCountsAndLag) {
  ASSERT_TRUE(pull().ok);
  const ConnectorState s = state();
  EXPECT_EQ(s.last_attempt, kFakeEpochSeconds);
  EXPECT_EQ(s.last_success, kFakeEpochSeconds);
  EXPECT_EQ(s.consecutive_failures, 0);
  EXPECT_EQ(s.records_read, 5);
  EXPECT_EQ(s.pages_read, 3);
  EXPECT_EQ(s.last_error, "");
  const std::int64_t newest = parse_iso_instant("2024-09-05T10:00:00+08:00", Zone{})->utc_seconds;
  EXPECT_EQ(s.lag_seconds, kFakeEpochSeconds - newest);
}

TEST_F(FeeHttpPullerTest, FailuresCountUpAndASuccessResetsThem) {
  transport_.script.push_back(http_status(404, "Not Found"));
  transport_.script.push_back(http_status(404, "Not Found"));
  pull();
  const FeeHttpPullReport second = pull();
  ConnectorState s = state();
  EXPECT_EQ(s.consecutive_failures, 2);
  EXPECT_EQ(s.last_error, second.error);
  EXPECT_EQ(s.last_error_at, kFakeEpochSeconds);
  EXPECT_EQ(s.last_success, std::nullopt);
  EXPECT_EQ(s.lag_seconds, std::nullopt);  // nothing read yet

  ASSERT_TRUE(pull().ok);
  s = state();
  EXPECT_EQ(s.consecutive_failures, 0);
  EXPECT_EQ(s.last_error, second.error);  // kept as history
  EXPECT_EQ(s.last_success, kFakeEpochSeconds);
}

TEST(ConnectorStateStore, ListsEverySourceInOrder) {
  SqliteDb db = migrated_memory_db();
  ConnectorStateStore states(db);
  states.record_attempt("zeta", 10);
  states.record_page("alpha", 7);
  states.record_page("alpha", 3);
  const std::vector<ConnectorState> all = states.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].source, "alpha");
  EXPECT_EQ(all[0].records_read, 10);
  EXPECT_EQ(all[0].pages_read, 2);
  EXPECT_EQ(all[0].last_attempt, std::nullopt);
  EXPECT_EQ(all[1].source, "zeta");
  EXPECT_EQ(all[1].last_attempt, 10);
  EXPECT_EQ(states.get("nobody"), std::nullopt);
}

TEST(ConnectorStateStore, NewestFeeTimeOnlyCountsTheSourcesOwnRecords) {
  SqliteDb db = migrated_memory_db();
  RecordStore store(db, [] { return kFakeEpochSeconds; });
  const auto fee = [](const std::string& id, const std::string& when) {
    FeeRecord record;
    record.fee_id = id;
    record.school_id = "S001";
    record.paid_at = *parse_iso_instant(when, Zone{});
    record.amount_fen = 100;
    record.fee_type = "tuition";
    record.source = {"page", "record 1"};
    return record;
  };
  store.store_fee_records({fee("A", "2024-09-01T00:00:00Z")},
                          FileOrigin{"api", "u1", "h1", "fee", "http"});
  store.store_fee_records({fee("B", "2024-09-09T00:00:00Z")},
                          FileOrigin{"other", "u2", "h2", "fee", "http"});
  ConnectorStateStore states(db);
  EXPECT_EQ(states.newest_fee_time("api"),
            parse_iso_instant("2024-09-01T00:00:00Z", Zone{})->utc_seconds);
  EXPECT_EQ(states.newest_fee_time("nobody"), std::nullopt);
}

// --- configuration -----------------------------------------------------------------

TEST(FeeHttpConfig, ReadsPagingTimeoutAndRetryKeys) {
  const Config config = parse_config(R"(
database: ":memory:"
connectors:
  - {name: fee-api, type: fee-http, url: "http://127.0.0.1:9000/fees", token_env: FEE_TOKEN,
     page_limit: 50, timeout: 250ms, retries: 5, backoff: 2s}
)",
                                     "/etc/sfmon/sfmon.yaml");
  ASSERT_EQ(config.connectors.size(), 1u);
  const ConnectorConfig& connector = config.connectors[0];
  EXPECT_EQ(connector.page_limit, 50);
  EXPECT_EQ(connector.timeout_ms, 250);
  EXPECT_EQ(connector.retries, 5);
  EXPECT_EQ(connector.backoff_ms, 2000);

  const FeeApiSettings settings =
      fee_api_settings(connector, [](const std::string&) { return std::string("tok"); });
  EXPECT_EQ(settings.url, "http://127.0.0.1:9000/fees");
  EXPECT_EQ(settings.bearer_token, "tok");
  EXPECT_EQ(settings.page_limit, 50);
  EXPECT_EQ(settings.timeouts.connect, milliseconds{250});
  EXPECT_EQ(settings.timeouts.receive, milliseconds{250});
  EXPECT_EQ(settings.retry.max_attempts, 6);
  EXPECT_EQ(settings.retry.base_delay, milliseconds{2000});
  EXPECT_EQ(settings.retry.max_elapsed, milliseconds{120'000});  // the default budget
}

TEST(FeeHttpConfig, LongTimeoutsWidenTheRetryBudget) {
  ConnectorConfig connector;
  connector.timeout_ms = 60'000;
  connector.retries = 3;
  const FeeApiSettings settings =
      fee_api_settings(connector, [](const std::string&) { return std::nullopt; });
  EXPECT_EQ(settings.retry.max_elapsed, milliseconds{4 * 3 * 60'000});
}

TEST(FeeHttpConfig, DefaultsWhenLeftOut) {
  const Config config = parse_config(R"(
database: ":memory:"
connectors:
  - {name: fee-api, type: fee-http, url: "http://127.0.0.1:9000/fees"}
)",
                                     "sfmon.yaml");
  const ConnectorConfig& connector = config.connectors.at(0);
  EXPECT_EQ(connector.page_limit, 500);
  EXPECT_EQ(connector.timeout_ms, 10'000);
  EXPECT_EQ(connector.retries, 3);
  EXPECT_EQ(connector.backoff_ms, 500);
}

TEST(FeeHttpConfig, RejectsBadValuesWithTheirPosition) {
  try {
    parse_config(R"(database: ":memory:"
connectors:
  - name: fee-api
    type: fee-http
    url: "http://127.0.0.1:9000/fees"
    page_limit: 0
    timeout: 5h
    retries: many
    backoff: 0ms
  - {name: inbox, type: fee-files, path: in, timeout: 1s}
)",
                 "sfmon.yaml");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems(),
              (std::vector<std::string>{
                  "sfmon.yaml:6:17: page_limit must be a whole number from 1 to 10000 (value '0')",
                  "sfmon.yaml:7:14: timeout must be a duration from 10ms to 600s, like 500ms, 10s "
                  "or 1m (value '5h')",
                  "sfmon.yaml:8:14: retries must be a whole number from 0 to 20 (value 'many')",
                  "sfmon.yaml:9:14: backoff must be a duration from 1ms to 600s, like 500ms, 10s "
                  "or 1m (value '0ms')",
                  "sfmon.yaml:10:55: timeout applies to fee-http connectors only"}));
  }
}

}  // namespace
}  // namespace sfmon::fee_http_puller_test
