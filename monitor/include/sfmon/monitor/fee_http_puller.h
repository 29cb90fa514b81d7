#pragma once
// One pull of a fee-http connector (formats.md "Fee HTTP API (pull)"): pages
// from the stored cursor until the server says has_more = false.
//
// Each page commits in one transaction with the cursor after it, the
// evaluation marks of the schools it touches (rule_runner.h) and the
// connector's page count, so a crash at any point leaves the store at the
// last committed page, and the next pull asks again from there; a page read
// twice adds nothing (fee records are identified by school and fee_id).
// A failing page stops the pull after its error is recorded in
// connector_state; nothing the source or the store does makes pull() throw,
// so one failing source never stalls the others.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/connectors/fee_api_client.h"
#include "sfmon/connectors/http_transport.h"
#include "sfmon/connectors/retry_policy.h"
#include "sfmon/model/input_error.h"
#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/connector_state.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

struct FeeHttpPullReport {
  std::string source;  // the connector's name
  bool ok = false;     // every page up to has_more = false was committed
  int pages = 0;       // pages committed (or read empty) in this pull
  int records_read = 0;
  int added = 0;
  int duplicates = 0;
  std::optional<std::string> cursor;  // the stored cursor after the pull
  std::string error;                  // when !ok: one line, "page N: ..." for a page
  std::vector<Warning> warnings;      // unregistered schools, a page cap reached
};

struct FeeHttpPullOptions {
  // A pull stops (successfully) after this many pages and goes on from its
  // cursor next time, so one busy source cannot keep a pull going forever.
  int max_pages = 10'000;
  // Reads the bearer token's environment variable; default std::getenv.
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  // Told about every retry, as "connector NAME: page N: ...; retry 1 of 3 in 212 ms".
  FeeApiClient::RetryLog retry_log;
};

// The client settings a connector's config asks for; the token is looked up
// through `getenv`. Throws std::invalid_argument naming the connector when
// its token_env is set but the variable is missing or empty (sending no
// token would only earn a 401).
FeeApiSettings fee_api_settings(
    const ConnectorConfig& connector,
    const std::function<std::optional<std::string>(const std::string&)>& getenv);

class FeeHttpPuller {
 public:
  // Everything borrowed must outlive the puller. Not thread-safe (one
  // SqliteDb per thread).
  FeeHttpPuller(SqliteDb& db, RecordStore& store, const Registry& registry, const Zone& zone,
                HttpTransport& transport, RetryContext context, FeeHttpPullOptions options = {});

  // One pull of `connector`, which must be a fee-http connector.
  FeeHttpPullReport pull(const ConnectorConfig& connector);

 private:
  void pull_pages(const ConnectorConfig& connector, FeeHttpPullReport& report);
  void commit_page(const std::string& source, const FeePage& page,
                   const std::optional<std::string>& cursor, FeeHttpPullReport& report);
  void finish(FeeHttpPullReport& report);
  std::int64_t now_seconds() const;

  SqliteDb& db_;
  RecordStore& store_;
  const Registry& registry_;
  Zone zone_;
  HttpTransport& transport_;
  RetryContext context_;
  FeeHttpPullOptions options_;
  ConnectorStateStore state_;
};

}  // namespace sfmon
