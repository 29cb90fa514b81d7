#include "sfmon/connectors/http_transport.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <istream>
#include <memory>

namespace sfmon {
namespace {

using SteadyClock = std::chrono::steady_clock;

Poco::Timespan timespan(std::chrono::milliseconds duration) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

HttpResponse failed(HttpFailure failure, std::string error) {
  HttpResponse response;
  response.failure = failure;
  response.error = std::move(error);
  return response;
}

std::unique_ptr<Poco::Net::HTTPClientSession> open_session(const Poco::URI& uri) {
  if (uri.getScheme() == "https") {
    // The system CA store, and the peer must present a certificate that
    // verifies; a failure is an SSLException, reported as HttpFailure::Tls.
    const Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
    return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
  }
  return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}

// Reads the body in chunks so that its size and the overall deadline are
// checked while it arrives.
HttpResponse read_body(std::istream& stream, const Poco::Net::HTTPResponse& head,
                       const HttpRequest& request, SteadyClock::time_point deadline) {
  HttpResponse response;
  response.status = static_cast<int>(head.getStatus());
  response.reason = head.getReason();
  for (const auto& [name, value] : head) response.headers.emplace_back(name, value);

  // Without badbit in the mask, std::istream would swallow the timeout the
  // stream buffer throws and just report end of file.
  stream.exceptions(std::ios::badbit);
  char buffer[16 * 1024];
  while (stream) {
    stream.read(buffer, sizeof buffer);
    response.body.append(buffer, static_cast<std::size_t>(stream.gcount()));
    if (response.body.size() > request.max_body_bytes) {
      return failed(
          HttpFailure::BodyTooLarge,
          "response body larger than " + std::to_string(request.max_body_bytes) + " bytes");
    }
    if (SteadyClock::now() > deadline) {
      return failed(HttpFailure::Timeout,
                    "response not complete within " +
                        std::to_string((request.timeouts.connect + request.timeouts.send +
                                        request.timeouts.receive)
                                           .count()) +
                        " ms");
    }
  }
  if (head.hasContentLength() &&
      static_cast<std::int64_t>(response.body.size()) < head.getContentLength64()) {
    return failed(HttpFailure::Network,
                  "connection closed after " + std::to_string(response.body.size()) + " of " +
                      std::to_string(head.getContentLength64()) + " body bytes");
  }
  return response;
}

HttpResponse exchange(const HttpRequest& request) {
  const SteadyClock::time_point deadline = SteadyClock::now() + request.timeouts.connect +
                                           request.timeouts.send + request.timeouts.receive;
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::SyntaxException& e) {
    return failed(HttpFailure::InvalidUrl, "invalid URL: " + e.displayText());
  }
  if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
    return failed(HttpFailure::InvalidUrl, "not an http:// or https:// URL with a host");
  }
  const std::unique_ptr<Poco::Net::HTTPClientSession> session = open_session(uri);
  session->setTimeout(timespan(request.timeouts.connect), timespan(request.timeouts.send),
                      timespan(request.timeouts.receive));
  session->setKeepAlive(false);

  std::string target = uri.getPathEtc();
  // One char through the iterator overload: GCC 12 -O3 warns falsely
  // (-Wrestrict) on insert(0, "/").
  if (target.empty() || target.front() != '/') target.insert(target.begin(), '/');
  Poco::Net::HTTPRequest head(Poco::Net::HTTPRequest::HTTP_GET, target,
                              Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : request.headers) head.set(name, value);
  session->sendRequest(head);
  Poco::Net::HTTPResponse response_head;
  std::istream& body = session->receiveResponse(response_head);
  return read_body(body, response_head, request, deadline);
}

}  // namespace

const char* to_string(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::None:
      return "none";
    case HttpFailure::Timeout:
      return "timeout";
    case HttpFailure::Network:
      return "network";
    case HttpFailure::Tls:
      return "tls";
    case HttpFailure::InvalidUrl:
      return "invalid-url";
    case HttpFailure::BodyTooLarge:
      break;
  }
  return "body-too-large";
}

bool is_retryable(HttpFailure failure) {
  return failure == HttpFailure::Timeout || failure == HttpFailure::Network ||
         failure == HttpFailure::Tls;
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equals_ignoring_case(key, name)) return value;
  }
  return std::nullopt;
}

HttpResponse PocoHttpTransport::get(const HttpRequest& request) {
  // The boundary: every Poco exception becomes a failure value here. The
  // order matters, from the most to the least specific class.
  try {
    return exchange(request);
  } catch (const Poco::TimeoutException& e) {
    return failed(HttpFailure::Timeout, "timed out: " + e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    return failed(HttpFailure::Tls, "TLS: " + e.displayText());
  } catch (const Poco::IOException& e) {
    // NetException (refused, reset, DNS, no response, malformed response)
    // and plain socket I/O errors.
    return failed(HttpFailure::Network, e.displayText());
  } catch (const Poco::Exception& e) {
    // Anything else Poco reports about the exchange, e.g. an unsupported
    // address; kept retryable because the next attempt is bounded anyway.
    return failed(HttpFailure::Network, e.displayText());
  }
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // More than nine digits is decades: cap it instead of overflowing.
    if (value.size() > 9) return std::chrono::milliseconds{999'999'999'000};
    return std::chrono::milliseconds{std::stoll(std::string(value)) * 1000};
  }
  // Only the IMF-fixdate form that RFC 9110 tells servers to send, always in
  // GMT. Poco's parser skips what it does not expect, so the text must also
  // print back to itself to count as a date.
  const std::string text(value);
  Poco::DateTime when;
  int zone_seconds = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, text, when,
                                      zone_seconds) ||
      zone_seconds != 0 ||
      Poco::DateTimeFormatter::format(when, Poco::DateTimeFormat::HTTP_FORMAT) != text) {
    return std::nullopt;
  }
  const auto at = std::chrono::system_clock::time_point{
      std::chrono::microseconds{when.timestamp().epochMicroseconds()}};
  return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(at - now),
                  std::chrono::milliseconds{0});
}

}  // namespace sfmon
