#include "sfmon/connectors/http_transport.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace sfmon::http_transport_test {
namespace {

using std::chrono::milliseconds;

const std::chrono::system_clock::time_point kNow{std::chrono::seconds{1'445'412'480}};
// kNow is Wed, 21 Oct 2015 07:28:00 GMT.

TEST(RetryAfter, DeltaSecondsAreAWait) {
  EXPECT_EQ(parse_retry_after("120", kNow), milliseconds{120'000});
  EXPECT_EQ(parse_retry_after(" 0 ", kNow), milliseconds{0});
}

TEST(RetryAfter, HttpDateIsAWaitUntilThen) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kNow), milliseconds{30'000});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 08:28:00 GMT", kNow), milliseconds{3'600'000});
}

TEST(RetryAfter, DateInThePastIsNoWait) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", kNow), milliseconds{0});
}

TEST(RetryAfter, HugeDeltaIsCappedNotOverflowed) {
  EXPECT_EQ(parse_retry_after("99999999999999999999", kNow), milliseconds{999'999'999'000});
}

TEST(RetryAfter, AnythingElseIsIgnored) {
  EXPECT_EQ(parse_retry_after("", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT trailing", kNow), std::nullopt);
}

TEST(HttpResponse, HeaderLookupIgnoresCase) {
  HttpResponse response;
  response.headers = {{"Content-Type", "application/json"}, {"retry-after", "3"}};
  EXPECT_EQ(response.header("Retry-After"), "3");
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("X-Missing"), std::nullopt);
}

TEST(HttpFailure, OnlyTransientFailuresAreRetryable) {
  EXPECT_TRUE(is_retryable(HttpFailure::Timeout));
  EXPECT_TRUE(is_retryable(HttpFailure::Network));
  EXPECT_TRUE(is_retryable(HttpFailure::Tls));
  EXPECT_FALSE(is_retryable(HttpFailure::InvalidUrl));
  EXPECT_FALSE(is_retryable(HttpFailure::BodyTooLarge));
  EXPECT_FALSE(is_retryable(HttpFailure::None));
}

// A loopback port with nothing listening: bound, then closed again.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

HttpRequest request_to(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.timeouts = HttpTimeouts{milliseconds{200}, milliseconds{200}, milliseconds{200}};
  return request;
}

TEST(PocoHttpTransport, RefusedConnectionIsARetryableNetworkFailure) {
  PocoHttpTransport transport;
  const HttpResponse response =
      transport.get(request_to("http://127.0.0.1:" + std::to_string(closed_port()) + "/fees"));
  EXPECT_EQ(response.failure, HttpFailure::Network) << response.error;
  EXPECT_NE(response.error.find("refused"), std::string::npos) << response.error;
}

TEST(PocoHttpTransport, HttpsToAClosedPortIsAFailureValueNotAnException) {
  PocoHttpTransport transport;
  const HttpResponse response =
      transport.get(request_to("https://127.0.0.1:" + std::to_string(closed_port()) + "/fees"));
  EXPECT_TRUE(is_retryable(response.failure)) << response.error;
}

TEST(PocoHttpTransport, OtherSchemesAreInvalid) {
  PocoHttpTransport transport;
  const HttpResponse response = transport.get(request_to("ftp://127.0.0.1/fees"));
  EXPECT_EQ(response.failure, HttpFailure::InvalidUrl);
  EXPECT_EQ(response.error, "not an http:// or https:// URL with a host");
}

TEST(PocoHttpTransport, UnparsableUrlIsInvalid) {
  PocoHttpTransport transport;
  const HttpResponse response = transport.get(request_to("http://127.0.0.1:99999999/fees"));
  EXPECT_EQ(response.failure, HttpFailure::InvalidUrl) << response.error;
}

}  // namespace
}  // namespace sfmon::http_transport_test
