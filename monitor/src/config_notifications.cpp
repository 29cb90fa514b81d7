#include "config_notifications.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace sfmon {
namespace {

// Decodes one section, reporting every problem rather than the first.
class SectionReader {
 public:
  explicit SectionReader(const ConfigProblemSink& problem) : problem_(problem) {}

  bool is_map(const YAML::Node& node, const std::string& what) {
    if (node.IsMap()) return true;
    problem_(node.Mark(), what + " must be a map");
    return false;
  }

  void check_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                  const std::string& where) {
    for (const auto& item : map) {
      const std::string key = item.first.Scalar();
      if (!allowed.count(key)) problem_(item.first.Mark(), "unknown key '" + key + "' in " + where);
    }
  }

  std::optional<std::string> text(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      problem_(node.Mark(), what + " must be a non-empty single value");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::vector<std::string> texts(const YAML::Node& node, const std::string& what) {
    std::vector<std::string> values;
    if (node.IsScalar()) {
      if (auto value = text(node, what)) values.push_back(*value);
    } else if (node.IsSequence()) {
      for (const auto& item : node) {
        if (auto value = text(item, "an entry of " + what)) values.push_back(*value);
      }
    } else {
      problem_(node.Mark(), what + " must be a list");
    }
    return values;
  }

  // 90s, 30m, 8h, 3d; at least `minimum` seconds.
  std::optional<std::int64_t> duration(const YAML::Node& node, const std::string& what,
                                       std::int64_t minimum) {
    auto value = text(node, what);
    if (!value) return std::nullopt;
    std::size_t digits = 0;
    while (digits < value->size() && std::isdigit(static_cast<unsigned char>((*value)[digits]))) {
      ++digits;
    }
    const std::string unit = value->substr(digits);
    const std::int64_t scale = unit == "s"   ? 1
                               : unit == "m" ? 60
                               : unit == "h" ? 3600
                               : unit == "d" ? 86400
                                             : 0;
    if (digits == 0 || digits > 6 || scale == 0) {
      problem_(node.Mark(), what + " must look like 90s, 30m, 8h or 3d (value '" + *value + "')");
      return std::nullopt;
    }
    const std::int64_t seconds = std::stoll(value->substr(0, digits)) * scale;
    if (seconds < minimum) {
      problem_(node.Mark(), what + " must be at least " + std::to_string(minimum) + "s (value '" +
                                *value + "')");
      return std::nullopt;
    }
    return seconds;
  }

  std::optional<int> integer(const YAML::Node& node, const std::string& what, int low, int high) {
    auto value = text(node, what);
    if (!value) return std::nullopt;
    const bool digits_only =
        value->size() <= 9 && std::all_of(value->begin(), value->end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
    const int number = digits_only ? std::stoi(*value) : low - 1;
    if (number < low || number > high) {
      problem_(node.Mark(), what + " must be a whole number from " + std::to_string(low) + " to " +
                                std::to_string(high) + " (value '" + *value + "')");
      return std::nullopt;
    }
    return number;
  }

  std::optional<bool> boolean(const YAML::Node& node, const std::string& what) {
    auto value = text(node, what);
    if (!value) return std::nullopt;
    if (*value == "true") return true;
    if (*value == "false") return false;
    problem_(node.Mark(), what + " must be true or false (value '" + *value + "')");
    return std::nullopt;
  }

  std::optional<rules::Level> level(const YAML::Node& node, const std::string& what) {
    auto value = text(node, what);
    if (!value) return std::nullopt;
    auto parsed = rules::level_from_string(*value);
    if (!parsed) {
      problem_(node.Mark(), what + " must be blue, yellow, orange or red (value '" + *value + "')");
    }
    return parsed;
  }

  static bool is_http_url(const std::string& url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  }

  void smtp(const YAML::Node& node, SmtpSettings& smtp) {
    if (!node["host"]) {
      problem_(node.Mark(), "smtp channel needs a 'host'");
    } else if (auto host = text(node["host"], "host")) {
      smtp.host = *host;
    }
    if (node["port"]) smtp.port = integer(node["port"], "port", 1, 65535).value_or(smtp.port);
    if (!node["from"]) {
      problem_(node.Mark(), "smtp channel needs a 'from' address");
    } else if (auto from = text(node["from"], "from")) {
      smtp.from = *from;
    }
    if (!node["to"]) {
      problem_(node.Mark(), "smtp channel needs 'to' (a list of addresses)");
    } else {
      smtp.to = texts(node["to"], "to");
      if (smtp.to.empty()) problem_(node["to"].Mark(), "'to' must name at least one address");
    }
    for (const std::string& address : smtp.to) {
      if (address.find('@') == std::string::npos) {
        problem_(node["to"].Mark(), "'" + address + "' in 'to' is not an email address");
      }
    }
    if (node["starttls"]) smtp.starttls = boolean(node["starttls"], "starttls").value_or(false);
    if (node["ca_file"]) {
      smtp.ca_file = text(node["ca_file"], "ca_file").value_or("");
      if (!smtp.starttls) problem_(node["ca_file"].Mark(), "ca_file needs starttls: true");
    }
    if (node["username"]) smtp.username = text(node["username"], "username").value_or("");
    if (node["password_env"]) {
      smtp.password_env = text(node["password_env"], "password_env").value_or("");
    }
    if (!smtp.username.empty() && smtp.password_env.empty()) {
      problem_(node["username"].Mark(),
               "smtp login needs 'password_env' (the environment variable holding the password)");
    }
  }

  void webhook(const YAML::Node& node, WebhookSettings& webhook) {
    if (!node["url"]) {
      problem_(node.Mark(), "webhook channel needs a 'url'");
    } else if (auto url = text(node["url"], "url")) {
      webhook.url = *url;
      if (!is_http_url(*url)) {
        problem_(node["url"].Mark(),
                 "url must start with http:// or https:// (value '" + *url + "')");
      }
    }
    if (node["secret_env"])
      webhook.secret_env = text(node["secret_env"], "secret_env").value_or("");
  }

  void channel(const YAML::Node& node, NotificationsConfig& config, std::set<std::string>& names) {
    if (!is_map(node, "a channel")) return;
    ChannelConfig channel;
    if (!node["name"]) {
      problem_(node.Mark(), "channel needs a 'name'");
    } else if (auto name = text(node["name"], "name")) {
      channel.name = *name;
      if (!names.insert(*name).second) {
        problem_(node["name"].Mark(), "duplicate channel name '" + *name + "'");
      }
    }
    const std::string type = node["type"] && node["type"].IsScalar() ? node["type"].Scalar() : "";
    if (type == "smtp") {
      channel.type = ChannelType::Smtp;
      check_keys(node,
                 {"name", "type", "host", "port", "from", "to", "starttls", "ca_file", "username",
                  "password_env", "timeout"},
                 "smtp channel");
      smtp(node, channel.smtp);
    } else if (type == "webhook") {
      channel.type = ChannelType::Webhook;
      check_keys(node, {"name", "type", "url", "secret_env", "timeout"}, "webhook channel");
      webhook(node, channel.webhook);
    } else {
      problem_(node["type"] ? node["type"].Mark() : node.Mark(),
               "channel type must be smtp or webhook (value '" + type + "')");
      return;
    }
    if (node["timeout"]) {
      channel.timeout_seconds =
          static_cast<int>(duration(node["timeout"], "timeout", 1).value_or(30));
    }
    config.channels.push_back(std::move(channel));
  }

  std::vector<std::string> channel_names(const YAML::Node& node, const std::string& what,
                                         const NotificationsConfig& config) {
    std::vector<std::string> names = texts(node, what);
    const auto check = [&](const YAML::Node& item) {
      if (item.IsScalar() && !item.Scalar().empty() && !config.find_channel(item.Scalar())) {
        problem_(item.Mark(), what + " names an unknown channel '" + item.Scalar() + "'");
      }
    };
    if (node.IsSequence()) {
      for (const auto& item : node) check(item);
    } else {
      check(node);
    }
    return names;
  }

  void route(const YAML::Node& node, NotificationsConfig& config) {
    if (!is_map(node, "a route")) return;
    check_keys(node, {"levels", "districts", "tags", "channels", "escalate"}, "route");
    RouteConfig route;
    if (const YAML::Node levels = node["levels"]) {
      if (!levels.IsSequence()) {
        problem_(levels.Mark(), "levels must be a list, e.g. [orange, red]");
      } else {
        for (const auto& item : levels) {
          if (auto parsed = level(item, "a level")) route.levels.push_back(*parsed);
        }
      }
    }
    if (node["districts"]) route.districts = texts(node["districts"], "districts");
    if (node["tags"]) route.tags = texts(node["tags"], "tags");
    if (!node["channels"]) {
      problem_(node.Mark(), "route needs 'channels' (names of channels)");
    } else {
      route.channels = channel_names(node["channels"], "channels", config);
      if (route.channels.empty()) problem_(node["channels"].Mark(), "channels must not be empty");
    }
    if (node["escalate"]) route.escalate = channel_names(node["escalate"], "escalate", config);
    config.routes.push_back(std::move(route));
  }

  void retry(const YAML::Node& node, RetryConfig& retry) {
    if (!is_map(node, "retry")) return;
    check_keys(node, {"attempts", "backoff", "max_backoff"}, "retry");
    if (node["attempts"]) {
      retry.max_attempts = integer(node["attempts"], "attempts", 1, 100).value_or(5);
    }
    if (node["backoff"]) {
      retry.backoff_seconds = duration(node["backoff"], "backoff", 1).value_or(60);
    }
    if (node["max_backoff"]) {
      retry.max_backoff_seconds = duration(node["max_backoff"], "max_backoff", 1).value_or(3600);
    }
    if (retry.max_backoff_seconds < retry.backoff_seconds) {
      problem_(node.Mark(), "max_backoff must not be shorter than backoff");
    }
  }

 private:
  const ConfigProblemSink& problem_;
};

}  // namespace

const char* to_string(ChannelType type) {
  return type == ChannelType::Smtp ? "smtp" : "webhook";
}

const ChannelConfig* NotificationsConfig::find_channel(const std::string& name) const {
  for (const ChannelConfig& channel : channels) {
    if (channel.name == name) return &channel;
  }
  return nullptr;
}

void read_escalation_config(const YAML::Node& node, EscalationConfig& config,
                            const ConfigProblemSink& problem) {
  SectionReader reader(problem);
  if (!reader.is_map(node, "escalation")) return;
  reader.check_keys(node, {"blue", "yellow", "orange", "red"}, "escalation");
  for (int level = 0; level < 4; ++level) {
    const char* name = rules::to_string(static_cast<rules::Level>(level));
    if (const YAML::Node value = node[name]) {
      if (auto seconds = reader.duration(value, std::string("escalation.") + name, 60)) {
        config.ack_within_seconds[static_cast<std::size_t>(level)] = *seconds;
      }
    }
  }
}

void read_notifications_config(const YAML::Node& node, NotificationsConfig& config,
                               const ConfigProblemSink& problem) {
  SectionReader reader(problem);
  if (!reader.is_map(node, "notifications")) return;
  reader.check_keys(node, {"interval", "channels", "routes", "retry"}, "notifications");
  if (node["interval"]) {
    config.interval_seconds =
        reader.duration(node["interval"], "interval", 1).value_or(config.interval_seconds);
  }
  if (const YAML::Node channels = node["channels"]) {
    if (!channels.IsSequence()) {
      problem(channels.Mark(), "channels must be a list");
    } else {
      std::set<std::string> names;
      for (const auto& item : channels) reader.channel(item, config, names);
    }
  }
  if (const YAML::Node routes = node["routes"]) {
    if (!routes.IsSequence()) {
      problem(routes.Mark(), "routes must be a list");
    } else {
      for (const auto& item : routes) reader.route(item, config);
    }
  }
  if (node["retry"]) reader.retry(node["retry"], config.retry);
}

}  // namespace sfmon
