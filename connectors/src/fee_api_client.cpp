#include "sfmon/connectors/fee_api_client.h"

#include <stdexcept>

#include "sfmon/model/input_error.h"
#include "sfmon/model/sha256.h"

namespace sfmon {
namespace {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

// The start of a response body for an error message: one line, short.
std::string body_excerpt(const std::string& body) {
  std::string excerpt = body.size() > 120 ? body.substr(0, 117) + "..." : body;
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return excerpt;
}

std::string describe_status(const HttpResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (!response.reason.empty()) text += " " + response.reason;
  return text;
}

bool retryable_status(int status) {
  return status == 429 || (status >= 500 && status <= 599);
}

// What one attempt came to.
struct Attempt {
  std::optional<FeePage> page;
  PageErrorKind kind = PageErrorKind::Unavailable;
  std::string problem;  // after "page N: GET <url>: "
  bool retryable = false;
  std::optional<Milliseconds> server_delay;
};

}  // namespace

const char* to_string(PageErrorKind kind) {
  switch (kind) {
    case PageErrorKind::Unavailable:
      return "unavailable";
    case PageErrorKind::Rejected:
      return "rejected";
    case PageErrorKind::Malformed:
      break;
  }
  return "malformed";
}

std::string fee_page_url(const std::string& base_url, const std::optional<std::string>& cursor,
                         int limit) {
  std::string url = base_url;
  url += base_url.find('?') == std::string::npos ? '?' : '&';
  if (cursor) url += "since=" + percent_encode(*cursor) + "&";
  url += "limit=" + std::to_string(limit);
  return url;
}

FeeApiClient::FeeApiClient(FeeApiSettings settings, HttpTransport& transport, RetryContext context,
                           Zone zone, RetryLog retry_log)
    : settings_(std::move(settings)),
      transport_(transport),
      context_(context),
      policy_(settings_.retry),
      zone_(std::move(zone)),
      retry_log_(std::move(retry_log)) {
  if (settings_.page_limit < 1) {
    throw std::invalid_argument("fee API page limit must be at least 1 (value " +
                                std::to_string(settings_.page_limit) + ")");
  }
}

HttpRequest FeeApiClient::request_for(const std::string& url) const {
  HttpRequest request;
  request.url = url;
  request.timeouts = settings_.timeouts;
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("User-Agent", "sfmon");
  if (!settings_.bearer_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + settings_.bearer_token);
  }
  return request;
}

PageResult FeeApiClient::fetch_page(const std::optional<std::string>& cursor, int page_number) {
  const std::string url = fee_page_url(settings_.url, cursor, settings_.page_limit);
  const std::string where = "page " + std::to_string(page_number) + ": GET " + url + ": ";
  const HttpRequest request = request_for(url);

  const auto attempt_once = [&]() {
    Attempt attempt;
    const HttpResponse response = transport_.get(request);
    if (response.failure != HttpFailure::None) {
      attempt.retryable = is_retryable(response.failure);
      attempt.kind = attempt.retryable ? PageErrorKind::Unavailable : PageErrorKind::Rejected;
      attempt.problem = response.error;
      return attempt;
    }
    if (retryable_status(response.status)) {
      attempt.retryable = true;
      attempt.problem = describe_status(response);
      if (const auto retry_after = response.header("Retry-After")) {
        attempt.server_delay = parse_retry_after(*retry_after, context_.clock.now());
      }
      return attempt;
    }
    if (response.status < 200 || response.status > 299) {
      attempt.kind = PageErrorKind::Rejected;
      attempt.problem = describe_status(response);
      if (response.status >= 300 && response.status <= 399) {
        attempt.problem += " (redirects are not followed: configure the final URL)";
      } else if (!response.body.empty()) {
        attempt.problem += ": " + body_excerpt(response.body);
      }
      return attempt;
    }
    attempt.kind = PageErrorKind::Malformed;
    try {
      FeePage page = parse_fee_page(response.body, url, zone_);
      page.body_sha256 = sha256_hex(response.body);
      if (page.has_more && (page.next_cursor.empty() || page.next_cursor == cursor)) {
        attempt.problem = "has_more is true but next_cursor '" + page.next_cursor +
                          "' does not move past the cursor asked for";
        return attempt;
      }
      attempt.page = std::move(page);
    } catch (const InputError& e) {
      // The URL is already in `where`; InputError puts it first again.
      attempt.problem = e.location().empty() ? e.message() : e.location() + ": " + e.message();
      if (!e.value().empty()) attempt.problem += " (value '" + body_excerpt(e.value()) + "')";
    }
    return attempt;
  };

  RetryRun run(policy_, context_.clock, context_.random);
  for (;;) {
    Attempt attempt = attempt_once();
    if (attempt.page) return PageResult{std::move(attempt.page), {}};
    PageResult failure;
    failure.error.kind = attempt.kind;
    failure.error.attempts = run.attempts();
    failure.error.message = where + attempt.problem;
    if (!attempt.retryable) return failure;

    const RetryDecision decision = run.after_failure(attempt.server_delay);
    if (!decision.retry) {
      failure.error.message += " (" + decision.reason + ")";
      return failure;
    }
    if (retry_log_) {
      retry_log_(where + attempt.problem + "; retry " + std::to_string(run.attempts() - 1) +
                 " of " + std::to_string(policy_.settings().max_attempts - 1) + " in " +
                 std::to_string(decision.delay.count()) + " ms");
    }
    if (!context_.sleeper.sleep_for(decision.delay)) {
      failure.error.message += " (retry abandoned: shutting down)";
      return failure;
    }
  }
}

}  // namespace sfmon
