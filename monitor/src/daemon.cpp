#include "sfmon/monitor/daemon.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <csignal>
#include <ctime>
#include <memory>
#include <mutex>
#include <ostream>
#include <stdexcept>

#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/http_api.h"
#include "sfmon/monitor/metrics.h"
#include "sfmon/monitor/scheduler.h"

namespace sfmon {

ListenAddress parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    throw std::invalid_argument("api.listen must look like 127.0.0.1:8080 (value '" + text + "')");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = text.substr(colon + 1);
  unsigned long port = 0;
  for (const char c : port_text) {
    if (c < '0' || c > '9' || port > 65535) {
      throw std::invalid_argument("api.listen: bad port in '" + text + "'");
    }
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port > 65535) throw std::invalid_argument("api.listen: bad port in '" + text + "'");
  return ListenAddress{host.empty() ? "0.0.0.0" : host, static_cast<unsigned short>(port)};
}

namespace {

// Timestamped lines from several threads, never interleaved.
class LineLog {
 public:
  explicit LineLog(std::ostream& out) : out_(out) {}
  void operator()(const std::string& line) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    std::lock_guard<std::mutex> lock(mutex_);
    out_ << stamp << " sfmon: " << line << std::endl;
  }

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

// The signals the daemon handles, blocked before any thread starts so that
// every thread inherits the mask and only sigwait() below receives them.
sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGQUIT);
  return set;
}

}  // namespace

Daemon::Daemon(std::optional<std::string> config_path, std::ostream& log)
    : config_path_(std::move(config_path)), log_(log) {}

int Daemon::main(const std::vector<std::string>& /*args*/) {
  auto log_line = std::make_shared<LineLog>(log_);
  const auto log = [log_line](const std::string& line) { (*log_line)(line); };

  // Step 1: signals.
  const sigset_t signals = handled_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill us

  // Step 2: the first load; without it there is nothing to run on.
  const auto loader = [path = config_path_] {
    AppContext app = open_app(path);
    load_rules(app);
    return app;
  };
  AppContext initial;
  try {
    initial = loader();
  } catch (...) {
    for (const std::string& line : describe_load_error(std::current_exception())) log(line);
    return 2;
  }

  // Step 3: the API socket (loopback unless api.listen says otherwise).
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  try {
    const ListenAddress listen = parse_listen_address(initial.config.api_listen);
    socket = std::make_unique<Poco::Net::ServerSocket>(
        Poco::Net::SocketAddress(listen.host, listen.port), 64);
  } catch (const std::invalid_argument& e) {
    log(initial.config.file + ": " + e.what());
    return 2;
  } catch (const Poco::Exception& e) {
    log("cannot listen on " + initial.config.api_listen + ": " + e.displayText());
    return 2;
  }
  const std::string config_file = initial.config.file;

  // Step 4: the worker (connectors on schedule, evaluation, reloads).
  Metrics metrics;
  IngestWorker worker(loader, metrics, log);
  worker.start(std::move(initial));

  // Step 5: the HTTP server.
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  Poco::Net::HTTPServer server(make_api_handler_factory(ApiContext{worker, metrics}), *socket,
                               params);
  server.start();
  log("serving " + (config_file.empty() ? std::string("the default config") : config_file) +
      " on http://" + socket->address().toString());

  // Step 6: wait; SIGHUP reloads, anything else ends.
  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGHUP) {
      log("SIGHUP: reloading");
      worker.request_reload();
      continue;
    }
    log(std::string("signal ") + std::to_string(received) + ": shutting down");
    break;
  }

  // Step 7: shutdown in reverse: no new requests, then the batch in hand.
  server.stopAll(true);
  worker.stop();
  log("stopped");
  return 0;
}

}  // namespace sfmon
