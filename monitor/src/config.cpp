#include "sfmon/monitor/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config_notifications.h"

namespace sfmon {
namespace {

namespace fs = std::filesystem;

std::string join_problems(const std::vector<std::string>& problems) {
  std::string text;
  for (const std::string& problem : problems) {
    if (!text.empty()) text += "\n";
    text += problem;
  }
  return text;
}

// Collects problems with their positions while the config is decoded.
class ConfigReader {
 public:
  ConfigReader(std::string file, std::string base_dir)
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  void problem(const YAML::Mark& mark, const std::string& message) {
    std::ostringstream text;
    text << file_ << ":" << mark.line + 1 << ":" << mark.column + 1 << ": " << message;
    problems_.push_back(text.str());
  }

  void check_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                  const std::string& where) {
    for (const auto& item : map) {
      const std::string key = item.first.Scalar();
      if (!allowed.count(key)) {
        problem(item.first.Mark(), "unknown key '" + key + "' in " + where);
      }
    }
  }

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar()) {
      problem(node.Mark(), what + " must be a single value");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::string resolve(const std::string& path) const {
    if (path == ":memory:") return path;
    const fs::path p(path);
    return (p.is_absolute() ? p : fs::path(base_dir_) / p).lexically_normal().string();
  }

  std::optional<int> duration_seconds(const YAML::Node& node) {
    auto text = scalar(node, "interval");
    if (!text) return std::nullopt;
    std::size_t digits = 0;
    while (digits < text->size() && std::isdigit(static_cast<unsigned char>((*text)[digits]))) {
      ++digits;
    }
    const std::string unit = text->substr(digits);
    const int scale = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
    if (digits == 0 || digits > 6 || scale == 0) {
      problem(node.Mark(), "interval must look like 30s, 5m or 1h (value '" + *text + "')");
      return std::nullopt;
    }
    const int value = std::stoi(text->substr(0, digits)) * scale;
    if (value <= 0) {
      problem(node.Mark(), "interval must be positive (value '" + *text + "')");
      return std::nullopt;
    }
    return value;
  }

  // A whole number in [min, max] (page_limit, retries).
  std::optional<int> bounded_int(const YAML::Node& node, const std::string& key, int min, int max) {
    auto text = scalar(node, key);
    if (!text) return std::nullopt;
    const bool digits =
        !text->empty() && text->size() <= 9 && std::all_of(text->begin(), text->end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
    const int value = digits ? std::stoi(*text) : -1;
    if (value < min || value > max) {
      problem(node.Mark(), key + " must be a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + " (value '" + *text + "')");
      return std::nullopt;
    }
    return value;
  }

  // "200ms", "10s", "2m" (a bare number is seconds) in [min_ms, max_ms].
  std::optional<int> duration_ms(const YAML::Node& node, const std::string& key, int min_ms,
                                 int max_ms) {
    auto text = scalar(node, key);
    if (!text) return std::nullopt;
    std::size_t digits = 0;
    while (digits < text->size() && std::isdigit(static_cast<unsigned char>((*text)[digits]))) {
      ++digits;
    }
    const std::string unit = text->substr(digits);
    const long long scale = unit.empty() || unit == "s" ? 1000
                            : unit == "ms"              ? 1
                            : unit == "m"               ? 60'000
                                                        : 0;
    const long long value =
        digits == 0 || digits > 7 ? -1 : std::stoll(text->substr(0, digits)) * scale;
    if (scale == 0 || value < min_ms || value > max_ms) {
      problem(node.Mark(), key + " must be a duration from " + std::to_string(min_ms) + "ms to " +
                               std::to_string(max_ms / 1000) + "s, like 500ms, 10s or 1m (value '" +
                               *text + "')");
      return std::nullopt;
    }
    return static_cast<int>(value);
  }

  // The fee-http connector's paging, timeout and retry settings.
  void read_http_tuning(const YAML::Node& node, ConnectorConfig& connector) {
    if (node["page_limit"]) {
      connector.page_limit =
          bounded_int(node["page_limit"], "page_limit", 1, 10'000).value_or(connector.page_limit);
    }
    if (node["timeout"]) {
      connector.timeout_ms =
          duration_ms(node["timeout"], "timeout", 10, 600'000).value_or(connector.timeout_ms);
    }
    if (node["retries"]) {
      connector.retries =
          bounded_int(node["retries"], "retries", 0, 20).value_or(connector.retries);
    }
    if (node["backoff"]) {
      connector.backoff_ms =
          duration_ms(node["backoff"], "backoff", 1, 600'000).value_or(connector.backoff_ms);
    }
  }

  void read_connector(const YAML::Node& node, Config& config, std::set<std::string>& names) {
    if (!node.IsMap()) {
      problem(node.Mark(), "a connector must be a map");
      return;
    }
    check_keys(node,
               {"name", "type", "path", "archive", "quarantine", "url", "token_env", "interval",
                "page_limit", "timeout", "retries", "backoff"},
               "connector");
    ConnectorConfig connector;
    if (!node["name"]) {
      problem(node.Mark(), "connector needs a 'name'");
    } else if (auto name = scalar(node["name"], "name")) {
      connector.name = *name;
      if (!names.insert(*name).second)
        problem(node["name"].Mark(), "duplicate connector name '" + *name + "'");
    }
    const YAML::Node type = node["type"];
    if (!type) {
      problem(node.Mark(), "connector needs a 'type' (bank-files, fee-files or fee-http)");
      return;
    }
    const std::string type_text = type.IsScalar() ? type.Scalar() : "";
    if (type_text == "bank-files") {
      connector.type = ConnectorType::BankFiles;
    } else if (type_text == "fee-files") {
      connector.type = ConnectorType::FeeFiles;
    } else if (type_text == "fee-http") {
      connector.type = ConnectorType::FeeHttp;
    } else {
      problem(type.Mark(), "unknown connector type '" + type_text +
                               "' (expected bank-files, fee-files or fee-http)");
      return;
    }
    if (connector.type == ConnectorType::FeeHttp) {
      if (!node["url"]) {
        problem(node.Mark(), "fee-http connector needs a 'url'");
      } else if (auto url = scalar(node["url"], "url")) {
        connector.url = *url;
        if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
          problem(node["url"].Mark(),
                  "url must start with http:// or https:// (value '" + *url + "')");
        }
      }
      if (node["token_env"])
        connector.token_env = scalar(node["token_env"], "token_env").value_or("");
      read_http_tuning(node, connector);
    } else {
      for (const char* key : {"page_limit", "timeout", "retries", "backoff"}) {
        if (node[key]) {
          problem(node[key].Mark(), std::string(key) + " applies to fee-http connectors only");
        }
      }
      if (!node["path"]) {
        problem(node.Mark(), "files connector needs a 'path' (the inbox folder)");
      } else if (auto path = scalar(node["path"], "path")) {
        connector.path = resolve(*path);
      }
      connector.archive = (fs::path(connector.path) / "archive").string();
      connector.quarantine = (fs::path(connector.path) / "quarantine").string();
      if (node["archive"])
        connector.archive = resolve(scalar(node["archive"], "archive").value_or(""));
      if (node["quarantine"]) {
        connector.quarantine = resolve(scalar(node["quarantine"], "quarantine").value_or(""));
      }
    }
    if (node["interval"]) {
      if (auto seconds = duration_seconds(node["interval"])) connector.interval_seconds = *seconds;
    }
    config.connectors.push_back(std::move(connector));
  }

  Config read(const YAML::Node& root) {
    Config config;
    config.file = file_;
    config.base_dir = base_dir_;
    if (!root.IsMap()) {
      problem(root.Mark(), "the config must be a map of settings");
      throw ConfigError(problems_);
    }
    check_keys(root,
               {"database", "registry", "watchlist", "rules", "parameters", "connectors", "api",
                "timezone", "escalation", "notifications"},
               "the config");
    if (!root["database"]) {
      problems_.push_back(file_ + ":1:1: 'database' is required");
    } else if (auto db = scalar(root["database"], "database")) {
      config.database = resolve(*db);
    }
    if (root["registry"]) {
      if (auto path = scalar(root["registry"], "registry")) config.registry = resolve(*path);
    }
    if (root["watchlist"]) {
      if (auto path = scalar(root["watchlist"], "watchlist")) config.watchlist = resolve(*path);
    }
    if (const YAML::Node rules = root["rules"]) {
      if (rules.IsScalar()) {
        config.rules.push_back(resolve(rules.Scalar()));
      } else if (rules.IsSequence()) {
        for (const auto& item : rules) {
          if (auto path = scalar(item, "a rules entry")) config.rules.push_back(resolve(*path));
        }
      } else {
        problem(rules.Mark(), "rules must be a folder or a list of folders and files");
      }
    }
    if (const YAML::Node parameters = root["parameters"]) {
      if (!parameters.IsMap() && !parameters.IsNull()) {
        problem(parameters.Mark(), "parameters must be a map of name: value");
      } else if (parameters.IsMap()) {
        for (const auto& item : parameters) {
          if (auto value = scalar(item.second, "parameter '" + item.first.Scalar() + "'")) {
            config.parameters[item.first.Scalar()] = *value;
          }
        }
      }
    }
    if (const YAML::Node connectors = root["connectors"]) {
      if (!connectors.IsSequence()) {
        problem(connectors.Mark(), "connectors must be a list");
      } else {
        std::set<std::string> names;
        for (const auto& item : connectors) read_connector(item, config, names);
      }
    }
    if (const YAML::Node api = root["api"]) {
      if (!api.IsMap()) {
        problem(api.Mark(), "api must be a map");
      } else {
        check_keys(api, {"listen"}, "api");
        if (api["listen"])
          config.api_listen = scalar(api["listen"], "listen").value_or(config.api_listen);
      }
    }
    if (const YAML::Node zone = root["timezone"]) {
      // Only zones with a fixed offset are exact without a zone database.
      const std::string name = zone.IsScalar() ? zone.Scalar() : "";
      if (name != "Asia/Shanghai" && name != "Asia/Hong_Kong" && name != "Asia/Taipei") {
        problem(zone.Mark(), "unsupported timezone '" + name +
                                 "' (supported: Asia/Shanghai, Asia/Hong_Kong, Asia/Taipei)");
      } else {
        config.zone = Zone{name, 480};
      }
    }
    const ConfigProblemSink sink = [this](const YAML::Mark& mark, const std::string& message) {
      problem(mark, message);
    };
    if (const YAML::Node escalation = root["escalation"]) {
      read_escalation_config(escalation, config.escalation, sink);
    }
    if (const YAML::Node notifications = root["notifications"]) {
      read_notifications_config(notifications, config.notifications, sink);
      for (ChannelConfig& channel : config.notifications.channels) {
        if (!channel.smtp.ca_file.empty()) channel.smtp.ca_file = resolve(channel.smtp.ca_file);
      }
    }
    if (!problems_.empty()) throw ConfigError(problems_);
    return config;
  }

 private:
  std::string file_;
  std::string base_dir_;
  std::vector<std::string> problems_;
};

}  // namespace

const char* to_string(ConnectorType type) {
  switch (type) {
    case ConnectorType::BankFiles:
      return "bank-files";
    case ConnectorType::FeeFiles:
      return "fee-files";
    case ConnectorType::FeeHttp:
      break;
  }
  return "fee-http";
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

Config parse_config(std::string_view yaml, const std::string& file) {
  const std::string base_dir =
      fs::absolute(fs::path(file).parent_path().empty() ? fs::path(".")
                                                        : fs::path(file).parent_path())
          .lexically_normal()
          .string();
  ConfigReader reader(file, base_dir);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    std::ostringstream text;
    text << file << ":" << e.mark.line + 1 << ":" << e.mark.column + 1 << ": " << e.msg;
    throw ConfigError({text.str()});
  }
  return reader.read(root);
}

Config load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path + ": cannot read config file"});
  std::ostringstream content;
  content << in.rdbuf();
  return parse_config(content.str(), path);
}

Config default_config() {
  Config config;
  config.file = "(default)";
  config.base_dir = fs::current_path().string();
  config.database = (fs::current_path() / "sfmon.db").string();
  return config;
}

}  // namespace sfmon
