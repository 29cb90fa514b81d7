#pragma once
// `sfmon serve`: the daemon on Poco::Util::ServerApplication, in the
// foreground (systemd runs it as Type=simple). Startup: block the signals it
// handles, load config + registry + rules, bind the API socket, start the
// ingest worker (scheduler.h), start the HTTP server. Then it waits:
// SIGHUP reloads (atomically; a broken config or pack is rejected and
// reported in /readyz), SIGTERM/SIGINT/SIGQUIT shut down in reverse order:
// stop taking requests, let the worker finish and commit the batch in hand,
// exit 0.

#include <Poco/Util/ServerApplication.h>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sfmon {

class Daemon : public Poco::Util::ServerApplication {
 public:
  // `config_path`: the config file, or nullopt for the embedded default.
  // `log`: where log lines go (one line each); must outlive the daemon.
  Daemon(std::optional<std::string> config_path, std::ostream& log);

 protected:
  // Exit code: 0 after a clean shutdown, 2 when the first load or binding
  // the listen address failed.
  int main(const std::vector<std::string>& args) override;

 private:
  std::optional<std::string> config_path_;
  std::ostream& log_;
};

// "127.0.0.1:8080", "[::1]:8080" or ":8080" (all interfaces) → host and port.
// Throws std::invalid_argument naming the value.
struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};
ListenAddress parse_listen_address(const std::string& text);

}  // namespace sfmon
