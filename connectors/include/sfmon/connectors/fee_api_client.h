#pragma once
// The client side of formats.md "Fee HTTP API (pull)": one page per call,
// `GET {url}?since={cursor}&limit={n}` with an optional bearer token, answered
// by {"records": [...], "next_cursor": "...", "has_more": bool}.
//
// 429, 5xx, timeouts and network failures are retried with backoff and full
// jitter (retry_policy.h), honouring Retry-After; other statuses and a page
// that does not parse are reported at once, as "page N: ...". Nothing here
// throws for a bad source: every failure is a PageError.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/connectors/http_transport.h"
#include "sfmon/connectors/retry_policy.h"
#include "sfmon/model/fee_record.h"
#include "sfmon/model/time.h"

namespace sfmon {

struct FeeApiSettings {
  std::string url;           // base URL; may already carry a query of its own
  std::string bearer_token;  // empty: no Authorization header
  int page_limit = 500;      // records asked for per page (the `limit` parameter)
  HttpTimeouts timeouts;
  RetrySettings retry;
};

// One page, decoded. Each record's source is {url, "record N"} (N from 1).
struct FeePage {
  std::string url;          // the request URL, cursor included
  std::string body_sha256;  // hex SHA-256 of the response body
  std::vector<FeeRecord> records;
  std::string next_cursor;  // as the server sent it; may be empty when !has_more
  bool has_more = false;
};

enum class PageErrorKind {
  Unavailable,  // retryable trouble that outlasted the retries (or an interrupted wait)
  Rejected,     // an HTTP status that retrying will not change (3xx, 4xx but 429), a bad URL
  Malformed,    // the body is not a valid page
};
const char* to_string(PageErrorKind kind);

struct PageError {
  PageErrorKind kind = PageErrorKind::Unavailable;
  std::string message;  // one line, "page N: GET <url>: ..."; never contains the token
  int attempts = 0;
};

struct PageResult {
  std::optional<FeePage> page;
  PageError error;  // meaningful when !page
  bool ok() const { return page.has_value(); }
};

// `base_url` with since= (left out when there is no cursor yet) and limit=
// appended, percent-encoded (RFC 3986 unreserved characters stay as they are).
std::string fee_page_url(const std::string& base_url, const std::optional<std::string>& cursor,
                         int limit);

// Decodes a page body: UTF-8, one JSON object with `records` (an array of fee
// record objects, fields as in formats.md, numbers kept as written),
// `next_cursor` (a string) and `has_more` (a boolean). Other top-level members
// are ignored. Throws InputError(url, location, ...): location is empty for
// the page as a whole and "record N" for a record (decode_fee_fields'
// checks, and a (school_id, fee_id) repeated within the page).
FeePage parse_fee_page(std::string_view body, const std::string& url, const Zone& zone);

class FeeApiClient {
 public:
  // Told about every retry before its wait, e.g. "page 2: GET <url>: HTTP 503
  // Service Unavailable; retry 1 of 3 in 412 ms".
  using RetryLog = std::function<void(const std::string& message)>;

  // `transport` and the objects in `context` are borrowed and must outlive
  // the client. Throws std::invalid_argument for a page_limit below 1 or bad
  // retry settings. Not thread-safe.
  FeeApiClient(FeeApiSettings settings, HttpTransport& transport, RetryContext context, Zone zone,
               RetryLog retry_log = {});

  // Fetches the page after `cursor` (nullopt: from the beginning).
  // `page_number` (from 1, within one pull) only names the page in messages.
  // A page whose has_more is true must carry a next_cursor other than
  // `cursor`, or the pull would never end: that is a Malformed page.
  PageResult fetch_page(const std::optional<std::string>& cursor, int page_number);

 private:
  HttpRequest request_for(const std::string& url) const;

  FeeApiSettings settings_;
  HttpTransport& transport_;
  RetryContext context_;
  RetryPolicy policy_;
  Zone zone_;
  RetryLog retry_log_;
};

}  // namespace sfmon
