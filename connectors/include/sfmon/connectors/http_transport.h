#pragma once
// HTTP GET behind a small interface, so connectors can be tested with a fake
// transport that fails on cue. The Poco implementation speaks http and https
// and turns network exceptions into a failure value at this boundary: callers
// never see a Poco exception.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfmon {

struct HttpTimeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds send{10'000};
  // For each read from the socket, and also for the whole response (status
  // line to last byte), so a server that trickles bytes cannot hold a pull.
  std::chrono::milliseconds receive{10'000};
};

struct HttpRequest {
  std::string url;  // absolute http:// or https:// URL, query already encoded
  std::vector<std::pair<std::string, std::string>> headers;
  HttpTimeouts timeouts;
  std::size_t max_body_bytes = 64 * 1024 * 1024;
};

enum class HttpFailure {
  None,          // a response arrived (any status)
  Timeout,       // connect, send or receive took longer than allowed
  Network,       // refused, reset, DNS, closed early, malformed response
  Tls,           // handshake or certificate failure
  InvalidUrl,    // the request cannot be made as given
  BodyTooLarge,  // more than max_body_bytes
};
const char* to_string(HttpFailure failure);

// Timeouts, network and TLS failures may heal by themselves; the others will
// fail the same way again.
bool is_retryable(HttpFailure failure);

struct HttpResponse {
  HttpFailure failure = HttpFailure::None;
  std::string error;  // when failure != None: one line, what went wrong
  int status = 0;     // when failure == None
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header called `name` (compared case-insensitively).
  std::optional<std::string> header(std::string_view name) const;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Never throws for network trouble: it is reported in the response.
  virtual HttpResponse get(const HttpRequest& request) = 0;
};

// One connection per request (no keep-alive), Poco::Net HTTPClientSession or
// HTTPSClientSession. https verifies the server certificate against the
// system's CA store (OpenSSL's default paths, so SSL_CERT_FILE and
// SSL_CERT_DIR apply). Redirects are not followed. Holds no state: one
// instance may serve several threads.
class PocoHttpTransport final : public HttpTransport {
 public:
  HttpResponse get(const HttpRequest& request) override;
};

// The wait a Retry-After header asks for: delta-seconds ("120") or an
// HTTP-date in IMF-fixdate form ("Wed, 21 Oct 2015 07:28:00 GMT"), relative
// to `now`. nullopt when the value is neither (the obsolete RFC 850 and
// asctime forms included); a date in the past is a wait of zero.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace sfmon
