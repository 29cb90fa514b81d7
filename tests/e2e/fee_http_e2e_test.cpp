// The fee-http connector through the real binary against a real HTTP server
// on loopback: the server pages fee records and, on cue, answers 500, 429
// with Retry-After, too slowly, or with a malformed page. `sfmon run-once`
// must retry what is transient, report the malformed page by number, store
// every record exactly once and resume from the last committed cursor.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "sfmon_process.h"

namespace sfmon::e2e::fee_http_e2e_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "e2e-secret-token";
constexpr const char* kTokenVariable = "SFMON_E2E_FEE_TOKEN";

enum class Fault { ServerError, TooManyRequests, Slow, Malformed };

// What the server saw and what it should do; shared with handler threads.
struct ApiState {
  struct Seen {
    std::string uri;
    Clock::time_point at;
  };

  std::mutex mutex;
  std::condition_variable stopping;
  bool stopped = false;
  std::vector<std::string> records;  // JSON objects; the cursor is an index into them
  std::map<int, Fault> faults;       // by request number, from 1
  std::vector<Seen> seen;
};

std::string fee_record(int i) {
  return R"({"fee_id": "F)" + std::to_string(i) + R"(", "school_id": "S001", "student_id": "st-)" +
         std::to_string(i) + R"(", "paid_at": "2024-09-0)" + std::to_string(i + 1) +
         R"(T09:00:00+08:00", "amount": 1500.50, "fee_type": "tuition"})";
}

class FeeApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit FeeApiHandler(std::shared_ptr<ApiState> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::optional<Fault> fault;
    std::string body;
    {
      std::lock_guard lock(state_->mutex);
      state_->seen.push_back({request.getURI(), Clock::now()});
      const auto it = state_->faults.find(static_cast<int>(state_->seen.size()));
      if (it != state_->faults.end()) fault = it->second;
      body = page(request.getURI());
    }
    if (request.get("Authorization", "") != std::string("Bearer ") + kToken) {
      return send(response, Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, "{}");
    }
    if (fault == Fault::ServerError) {
      return send(response, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "oops");
    }
    if (fault == Fault::TooManyRequests) {
      response.set("Retry-After", "1");
      return send(response, Poco::Net::HTTPResponse::HTTP_TOO_MANY_REQUESTS, "slow down");
    }
    if (fault == Fault::Malformed) {
      return send(response, Poco::Net::HTTPResponse::HTTP_OK, R"({"records": [{"fee_id": )");
    }
    if (fault == Fault::Slow) {
      // Longer than the client's receive timeout; cut short when the test ends.
      std::unique_lock lock(state_->mutex);
      state_->stopping.wait_for(lock, std::chrono::milliseconds{1500},
                                [this] { return state_->stopped; });
    }
    send(response, Poco::Net::HTTPResponse::HTTP_OK, body);
  }

 private:
  static void send(Poco::Net::HTTPServerResponse& response,
                   Poco::Net::HTTPResponse::HTTPStatus status, const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.sendBuffer(body.data(), body.size());
  }

  // The page after `since`: two records per page unless `limit` says less.
  std::string page(const std::string& uri) const {
    std::size_t since = 0;
    std::size_t limit = 2;
    for (const auto& [name, value] : Poco::URI(uri).getQueryParameters()) {
      if (name == "since") since = std::stoul(value);
      if (name == "limit") limit = std::stoul(value);
    }
    const std::size_t end = std::min(state_->records.size(), since + limit);
    std::string body = R"({"records": [)";
    for (std::size_t i = since; i < end; ++i) body += (i > since ? "," : "") + state_->records[i];
    return body + R"(], "next_cursor": ")" + std::to_string(std::max(since, end)) +
           R"(", "has_more": )" + (end < state_->records.size() ? "true" : "false") + "}";
  }

  std::shared_ptr<ApiState> state_;
};

class FeeApiFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit FeeApiFactory(std::shared_ptr<ApiState> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new FeeApiHandler(state_);
  }

 private:
  std::shared_ptr<ApiState> state_;
};

// A fee API on 127.0.0.1 at an ephemeral port, for the life of the object.
class FeeApiServer {
 public:
  FeeApiServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new FeeApiFactory(state_), pool_, socket_, new Poco::Net::HTTPServerParams) {
    // The slow answer goes to a client that has already hung up.
    std::signal(SIGPIPE, SIG_IGN);
    server_.start();
  }

  ~FeeApiServer() {
    {
      std::lock_guard lock(state_->mutex);
      state_->stopped = true;
    }
    state_->stopping.notify_all();
    server_.stopAll(true);
    pool_.joinAll();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/fees";
  }
  ApiState& state() { return *state_; }

  std::vector<ApiState::Seen> seen() {
    std::lock_guard lock(state_->mutex);
    return state_->seen;
  }

 private:
  std::shared_ptr<ApiState> state_ = std::make_shared<ApiState>();
  Poco::ThreadPool pool_{2, 8};
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

std::string write_config(const TempDir& dir, const std::string& connectors) {
  const std::string config = dir / "sfmon.yaml";
  write_text(config, "database: sfmon.db\nconnectors:\n" + connectors);
  return config;
}

std::vector<std::string> fee_ids(const std::string& config) {
  const RunResult listed =
      run_sfmon({"records", "list", "--config", config, "--kind", "fee", "--format", "json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  const auto records = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < records->size(); ++i) {
    ids.push_back(records->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

long long millis_between(const ApiState::Seen& from, const ApiState::Seen& to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to.at - from.at).count();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FeeHttpE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv(kTokenVariable, kToken, 1); }
  void TearDown() override { ::unsetenv(kTokenVariable); }

  TempDir dir_;
  FeeApiServer server_;
};

TEST_F(FeeHttpE2eTest, RetriesTransientFailuresReportsTheMalformedPageAndResumes) {
  ApiState& api = server_.state();
  for (int i = 0; i < 5; ++i) api.records.push_back(fee_record(i));
  api.faults = {{1, Fault::ServerError},
                {2, Fault::TooManyRequests},
                {3, Fault::Slow},
                {5, Fault::Malformed}};  // request 4 is page 1, request 5 page 2
  const std::string config =
      write_config(dir_, "  - {name: fee-api, type: fee-http, url: \"" + server_.url() +
                             "\", token_env: " + kTokenVariable +
                             ", page_limit: 2, timeout: 300ms, retries: 4, backoff: 10ms}\n");

  // First run: page 1 arrives after three retries, page 2 is malformed.
  const RunResult first = run_sfmon({"run-once", "--config", config});
  EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
  const std::string page2 = server_.url() + "?since=2&limit=2";
  EXPECT_TRUE(
      contains(first.err, "failed: connector fee-api: page 2: GET " + page2 + ": malformed JSON"))
      << first.err;
  EXPECT_TRUE(contains(first.err, "HTTP 500 Internal Server Error; retry 1 of 4")) << first.err;
  EXPECT_TRUE(contains(first.err, "HTTP 429 Too Many Requests; retry 2 of 4 in 1000 ms"))
      << first.err;
  EXPECT_TRUE(contains(first.err, "timed out")) << first.err;
  EXPECT_FALSE(contains(first.err, kToken));
  EXPECT_TRUE(contains(first.out,
                       "connector fee-api: 1 pages, 2 records read, 2 new, 0 already "
                       "stored; cursor '2'; stopped early"))
      << first.out;

  const std::vector<ApiState::Seen> seen = server_.seen();
  ASSERT_EQ(seen.size(), 5u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(seen[i].uri, "/fees?limit=2");
  EXPECT_EQ(seen[4].uri, "/fees?since=2&limit=2");
  EXPECT_GE(millis_between(seen[1], seen[2]), 950) << "Retry-After: 1 was not honoured";
  EXPECT_GE(millis_between(seen[2], seen[3]), 250) << "retried before the receive timeout";
  EXPECT_LT(millis_between(seen[2], seen[3]), 1400) << "waited for the slow response";
  EXPECT_EQ(fee_ids(config), (std::vector<std::string>{"F0", "F1"}));

  // Second run: the server is well again; the pull resumes at the cursor.
  const RunResult second = run_sfmon({"run-once", "--config", config});
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(server_.seen().at(5).uri, "/fees?since=2&limit=2");
  EXPECT_TRUE(contains(second.out,
                       "connector fee-api: 2 pages, 3 records read, 3 new, 0 "
                       "already stored; cursor '5'"))
      << second.out;

  // Third run: nothing new, and the cursor it asks from is the last one.
  const RunResult third = run_sfmon({"run-once", "--config", config});
  EXPECT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_EQ(server_.seen().back().uri, "/fees?since=5&limit=2");
  EXPECT_TRUE(contains(third.out, "0 new")) << third.out;

  EXPECT_EQ(fee_ids(config), (std::vector<std::string>{"F0", "F1", "F2", "F3", "F4"}));
}

TEST_F(FeeHttpE2eTest, ADeadSourceDoesNotStopTheOtherConnectors) {
  server_.state().records.push_back(fee_record(0));
  write_text(dir_ / "inbox/fees.jsonl", fee_record(7) + "\n");
  // Port 1 on loopback: nothing listens there, so every connect is refused.
  const std::string config = write_config(
      dir_, std::string("  - {name: dead-api, type: fee-http, url: \"http://127.0.0.1:1/fees\", "
                        "timeout: 200ms, retries: 1, backoff: 10ms}\n") +
                "  - {name: live-api, type: fee-http, url: \"" + server_.url() + "\", token_env: " +
                kTokenVariable + "}\n" + "  - {name: fee-inbox, type: fee-files, path: inbox}\n");

  const RunResult run = run_sfmon({"run-once", "--config", config});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(contains(run.err,
                       "failed: connector dead-api: page 1: GET http://127.0.0.1:1/fees"
                       "?limit=500: "))
      << run.err;
  EXPECT_TRUE(contains(run.err, "(gave up after 2 attempts)")) << run.err;
  EXPECT_EQ(fee_ids(config), (std::vector<std::string>{"F0", "F7"}));
}

}  // namespace
}  // namespace sfmon::e2e::fee_http_e2e_test
