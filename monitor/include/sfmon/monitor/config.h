#pragma once
// The sfmon configuration file (product.md "Config file"). Relative paths are
// resolved against the config file's folder; only `database` is required.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/time.h"
#include "sfmon/monitor/notification_config.h"

namespace sfmon {

enum class ConnectorType { BankFiles, FeeFiles, FeeHttp };
const char* to_string(ConnectorType type);

struct ConnectorConfig {
  std::string name;
  ConnectorType type = ConnectorType::BankFiles;
  std::string path;        // files connectors: the inbox folder (absolute)
  std::string archive;     // absolute; default <path>/archive
  std::string quarantine;  // absolute; default <path>/quarantine
  std::string url;         // fee-http
  std::string token_env;   // fee-http: environment variable holding the bearer token
  int interval_seconds = 60;
  // fee-http only (config keys page_limit, timeout, retries, backoff).
  int page_limit = 500;     // records asked for per page
  int timeout_ms = 10'000;  // connect, send and receive, each
  int retries = 3;          // retries of a page after its first attempt
  int backoff_ms = 500;     // the first retry waits up to this, doubling (full jitter)
};

struct Config {
  std::string file;      // the config file as given
  std::string base_dir;  // its folder, absolute
  std::string database;  // absolute path, or ":memory:"
  std::optional<std::string> registry;
  std::optional<std::string> watchlist;
  std::vector<std::string> rules;                 // empty: the bundled default pack
  std::map<std::string, std::string> parameters;  // scalar text as written
  std::vector<ConnectorConfig> connectors;
  std::string api_listen = "127.0.0.1:8080";
  Zone zone;
  EscalationConfig escalation;        // defaults: blue 72h, yellow 24h, orange 8h, red 2h
  NotificationsConfig notifications;  // default: no channels, nothing is sent
};

// Every problem, as "file:line:column: message", collected before throwing.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// `file` names the config in errors and anchors relative paths.
Config parse_config(std::string_view yaml, const std::string& file);

// Reads and parses `path`; a missing file is a ConfigError too.
Config load_config_file(const std::string& path);

// The configuration used when no --config is given: the embedded default
// (an `sfmon.db` in the current folder, no registry, no connectors).
Config default_config();

}  // namespace sfmon
