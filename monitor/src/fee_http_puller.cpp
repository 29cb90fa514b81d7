#include "sfmon/monitor/fee_http_puller.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

#include "sfmon/monitor/rule_runner.h"

namespace sfmon {
namespace {

std::optional<std::string> system_getenv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

FeeApiSettings fee_api_settings(
    const ConnectorConfig& connector,
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  FeeApiSettings settings;
  settings.url = connector.url;
  settings.page_limit = connector.page_limit;
  const std::chrono::milliseconds timeout{connector.timeout_ms};
  settings.timeouts = HttpTimeouts{timeout, timeout, timeout};
  settings.retry.max_attempts = connector.retries + 1;
  settings.retry.base_delay = std::chrono::milliseconds{connector.backoff_ms};
  settings.retry.max_delay = std::max(settings.retry.max_delay, settings.retry.base_delay);
  // A long timeout must not use up the retry budget on its first attempt.
  settings.retry.max_elapsed =
      std::max(settings.retry.max_elapsed, 3 * timeout * settings.retry.max_attempts);
  if (!connector.token_env.empty()) {
    const std::optional<std::string> token = getenv(connector.token_env);
    if (!token || token->empty()) {
      throw std::invalid_argument("the bearer token's environment variable " + connector.token_env +
                                  " (token_env) is not set");
    }
    settings.bearer_token = *token;
  }
  return settings;
}

FeeHttpPuller::FeeHttpPuller(SqliteDb& db, RecordStore& store, const Registry& registry,
                             const Zone& zone, HttpTransport& transport, RetryContext context,
                             FeeHttpPullOptions options)
    : db_(db),
      store_(store),
      registry_(registry),
      zone_(zone),
      transport_(transport),
      context_(context),
      options_(std::move(options)),
      state_(db) {
  if (!options_.getenv) options_.getenv = system_getenv;
}

std::int64_t FeeHttpPuller::now_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(context_.clock.now().time_since_epoch())
      .count();
}

FeeHttpPullReport FeeHttpPuller::pull(const ConnectorConfig& connector) {
  FeeHttpPullReport report;
  report.source = connector.name;
  // The boundary of one source: whatever goes wrong is recorded and
  // reported, and the caller goes on with the next connector.
  try {
    if (connector.type != ConnectorType::FeeHttp) {
      throw std::invalid_argument(std::string("not a fee-http connector (type ") +
                                  to_string(connector.type) + ")");
    }
    state_.record_attempt(connector.name, now_seconds());
    report.cursor = store_.cursor(connector.name);
    pull_pages(connector, report);
  } catch (const StoreError& e) {
    report.ok = false;
    report.error = std::string("could not store: ") + e.what();
  } catch (const std::invalid_argument& e) {  // the connector's settings
    report.ok = false;
    report.error = e.what();
  } catch (const std::exception& e) {
    // Not expected (the client reports the source's failures as values),
    // but one source's surprise must not stop the other connectors.
    report.ok = false;
    report.error = std::string("unexpected error: ") + e.what();
  }
  finish(report);
  return report;
}

void FeeHttpPuller::pull_pages(const ConnectorConfig& connector, FeeHttpPullReport& report) {
  FeeApiClient::RetryLog retry_log;
  if (options_.retry_log) {
    retry_log = [this, &connector](const std::string& message) {
      options_.retry_log("connector " + connector.name + ": " + message);
    };
  }
  FeeApiClient client(fee_api_settings(connector, options_.getenv), transport_, context_, zone_,
                      retry_log);
  for (int page_number = 1;; ++page_number) {
    if (page_number > options_.max_pages) {
      report.warnings.push_back(Warning{connector.url, "",
                                        "stopped after " + std::to_string(options_.max_pages) +
                                            " pages; the next pull goes on from the cursor"});
      report.ok = true;
      return;
    }
    PageResult result = client.fetch_page(report.cursor, page_number);
    if (!result.ok()) {
      report.error = result.error.message;
      return;
    }
    const FeePage& page = *result.page;
    commit_page(connector.name, page, report.cursor, report);
    if (!page.next_cursor.empty()) report.cursor = page.next_cursor;
    if (!page.has_more) {
      report.ok = true;
      return;
    }
  }
}

void FeeHttpPuller::commit_page(const std::string& source, const FeePage& page,
                                const std::optional<std::string>& cursor,
                                FeeHttpPullReport& report) {
  const auto records = static_cast<std::int64_t>(page.records.size());
  // An empty next_cursor means "nothing after this": the stored cursor stays.
  const bool cursor_moves = !page.next_cursor.empty() && page.next_cursor != cursor;
  if (page.records.empty() && !cursor_moves) {
    // Nothing to store: an idle source would otherwise log a page per pull.
    state_.record_page(source, 0);
  } else {
    std::optional<std::pair<std::string, std::string>> next;
    if (cursor_moves) next.emplace(source, page.next_cursor);
    Transaction transaction(db_);
    const IngestResult stored = store_.store_fee_records(
        page.records, FileOrigin{source, page.url, page.body_sha256, "fee", "http"}, next);
    EvaluationQueue(db_).mark(page.records, registry_);
    state_.record_page(source, records);
    transaction.commit();
    report.added += stored.added;
    report.duplicates += stored.duplicates;
  }
  ++report.pages;
  report.records_read += static_cast<int>(records);

  std::set<std::string> reported;
  for (const Warning& warning : report.warnings) reported.insert(warning.message);
  for (const FeeRecord& record : page.records) {
    if (registry_.find_school(record.school_id) != nullptr) continue;
    Warning warning{record.source.file, record.source.position,
                    "unregistered school " + record.school_id +
                        ": fee records stored, rules skip them until it is registered"};
    if (reported.insert(warning.message).second) report.warnings.push_back(std::move(warning));
  }
}

void FeeHttpPuller::finish(FeeHttpPullReport& report) {
  // The source's own failure is already in `report`; a store that fails here
  // too is added to it, never thrown.
  try {
    const std::int64_t now = now_seconds();
    if (report.ok) {
      state_.record_success(report.source, now);
    } else {
      state_.record_failure(report.source, now, report.error);
    }
    std::optional<std::int64_t> lag;
    if (const auto newest = state_.newest_fee_time(report.source)) {
      lag = std::max<std::int64_t>(0, now - *newest);
    }
    state_.record_lag(report.source, lag);
  } catch (const StoreError& e) {
    if (report.ok) {
      report.ok = false;
      report.error =
          "records stored, but the connector state could not be: " + std::string(e.what());
    } else {
      report.error += "; connector state not recorded either: " + std::string(e.what());
    }
  }
}

}  // namespace sfmon
