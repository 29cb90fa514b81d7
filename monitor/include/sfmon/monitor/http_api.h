#pragma once
// The daemon's HTTP surface (product.md "Surfaces that are contracts"):
//   GET  /healthz                       no auth; 200 while the process serves
//   GET  /readyz                        no auth; JSON, 200 when running on a loaded
//                                       configuration, else 503; the last reload's
//                                       errors and failing connectors as detail
//   GET  /metrics                       no auth; Prometheus text
//   POST /api/v1/admin/reload           admin
//   GET  /api/v1/alerts                 auditor, supervisor, admin; filters
//                                       ?status= &school= &rule= &level= (as `alerts list`)
//   POST /api/v1/alerts/{id}/ack|resolve|dismiss|comment
//                                       supervisor, admin; body {"comment": "..."};
//                                       the acting user is the token's user
//   GET  /api/v1/deadletters            supervisor, admin; deliveries given up
//                                       (as `deadletters list --format json`)
//   GET  /api/v1/connectors             auditor, supervisor, admin; per-connector
//                                       state: last success and error, lag, records read
// Every error is JSON {"error": "..."} with its status (400, 401, 403, 404,
// 405, 409, 500). Each request opens its own read connection to the store.
//
// Bearer tokens are stored only as their SHA-256 (hex) in `api_tokens`.

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/monitor/metrics.h"
#include "sfmon/monitor/scheduler.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

// A fresh token: 32 bytes from the system's random source, hex (64 chars).
std::string new_api_token();

struct ApiPrincipal {
  std::string user;
  std::string role;  // supervisor | auditor | publisher | admin
};

struct ApiTokenRow {
  std::int64_t id = 0;
  std::string user;
  std::string role;
  std::int64_t created_at = 0;  // UTC seconds
  std::optional<std::int64_t> revoked_at;
};

// The user and role of a valid (stored, not revoked) token, else nullopt.
std::optional<ApiPrincipal> find_api_principal(SqliteDb& db, const std::string& token);
// Stores the token's hash; returns the row id. Throws std::invalid_argument
// for an empty user or a role that is not one of the four.
std::int64_t add_api_token(SqliteDb& db, const std::string& user, const std::string& role,
                           const std::string& token, std::int64_t now);
std::vector<ApiTokenRow> list_api_tokens(SqliteDb& db);

struct ApiContext {
  IngestWorker& worker;  // config in use, readiness, reload
  Metrics& metrics;
};

// The request router; the HTTPServer takes ownership. `context` must outlive
// the server.
Poco::Net::HTTPRequestHandlerFactory* make_api_handler_factory(ApiContext context);

}  // namespace sfmon
