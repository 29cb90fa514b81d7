#pragma once
// Hand-written fakes for the HTTP connector tests (connectors and monitor):
// a clock that only moves when the sleeper sleeps, a predictable random
// source, and a transport that plays back scripted responses.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sfmon/connectors/http_transport.h"
#include "sfmon/connectors/retry_policy.h"

namespace sfmon::testing {

// 2024-10-27T03:33:20Z.
inline constexpr std::int64_t kFakeEpochSeconds = 1'730'000'000;

class FakeClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() override { return now_; }
  void advance(Milliseconds duration) { now_ += duration; }

 private:
  std::chrono::system_clock::time_point now_{std::chrono::seconds{kFakeEpochSeconds}};
};

// Records each wait and moves the clock by it instead of sleeping.
class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(FakeClock& clock) : clock_(clock) {}
  bool sleep_for(Milliseconds duration) override {
    waits.push_back(duration);
    clock_.advance(duration);
    return !interrupt;
  }

  std::vector<Milliseconds> waits;
  bool interrupt = false;  // true: every wait reports a shutdown

 private:
  FakeClock& clock_;
};

// Returns half of the largest value allowed, and remembers each bound.
class HalfRandom final : public RandomSource {
 public:
  std::int64_t uniform(std::int64_t max_inclusive) override {
    bounds.push_back(max_inclusive);
    return max_inclusive / 2;
  }
  std::vector<std::int64_t> bounds;
};

// Bundles the three, for code that takes a RetryContext.
struct FakeTime {
  FakeClock clock;
  FakeSleeper sleeper{clock};
  HalfRandom random;
  RetryContext context() { return RetryContext{clock, sleeper, random}; }
};

inline HttpResponse http_status(int status, std::string reason, std::string body = {},
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.reason = std::move(reason);
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

inline HttpResponse http_ok(std::string body) {
  return http_status(200, "OK", std::move(body));
}

inline HttpResponse http_failure(HttpFailure failure, std::string error) {
  HttpResponse response;
  response.failure = failure;
  response.error = std::move(error);
  return response;
}

// Answers each request with the next scripted response, or with `fallback`
// (by URL) once the script is used up; keeps every request.
class ScriptedTransport final : public HttpTransport {
 public:
  HttpResponse get(const HttpRequest& request) override {
    requests.push_back(request);
    if (!script.empty()) {
      HttpResponse response = std::move(script.front());
      script.pop_front();
      return response;
    }
    if (fallback) return fallback(request);
    return http_failure(HttpFailure::Network, "test script exhausted");
  }

  std::deque<HttpResponse> script;
  std::function<HttpResponse(const HttpRequest&)> fallback;
  std::vector<HttpRequest> requests;
};

}  // namespace sfmon::testing
