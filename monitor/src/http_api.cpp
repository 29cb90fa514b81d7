// The router of the daemon's HTTP surface; see http_api.h for the routes.
#include "sfmon/monitor/http_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <functional>
#include <initializer_list>
#include <sstream>

#include "sfmon/alerts/alert_lifecycle.h"
#include "sfmon/monitor/alert_lifecycle_store.h"
#include "sfmon/monitor/alert_lookup.h"
#include "sfmon/monitor/alert_output.h"
#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/connector_state.h"
#include "sfmon/monitor/delivery_store.h"
#include "sfmon/monitor/status_json.h"

namespace sfmon {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// An answer with its status; thrown by route code, written by the handler.
struct ApiError {
  HTTPResponse::HTTPStatus status;
  std::string message;
};

void send_json(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               const std::string& body) {
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

std::string json_text(const Poco::JSON::Object& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(object, out);
  return out.str();
}

void send_error(HTTPServerResponse& response, const ApiError& error) {
  Poco::JSON::Object body;
  body.set("error", error.message);
  if (error.status == HTTPResponse::HTTP_UNAUTHORIZED) {
    response.set("WWW-Authenticate", "Bearer realm=\"sfmon\"");
  }
  send_json(response, error.status, json_text(body));
}

// Opens the store for this request only (one connection per thread).
SqliteDb open_store(const ApiContext& context) {
  return SqliteDb(context.worker.config()->database);
}

ApiPrincipal authorize(const ApiContext& context, const HTTPServerRequest& request,
                       std::initializer_list<const char*> roles) {
  const std::string header = request.get("Authorization", "");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0) {
    throw ApiError{HTTPResponse::HTTP_UNAUTHORIZED, "a bearer token is required"};
  }
  SqliteDb db = open_store(context);
  const auto principal = find_api_principal(db, header.substr(prefix.size()));
  if (!principal) throw ApiError{HTTPResponse::HTTP_UNAUTHORIZED, "unknown or revoked token"};
  for (const char* role : roles) {
    if (principal->role == role) return *principal;
  }
  throw ApiError{HTTPResponse::HTTP_FORBIDDEN, "role " + principal->role + " may not " +
                                                   request.getMethod() + " " +
                                                   Poco::URI(request.getURI()).getPath()};
}

Poco::JSON::Object reload_json(const ReloadOutcome& outcome) {
  Poco::JSON::Object object;
  object.set("ok", outcome.ok);
  object.set("at", outcome.at);
  Poco::JSON::Array errors;
  for (const std::string& line : outcome.errors) errors.add(line);
  object.set("errors", errors);
  return object;
}

void readyz(const ApiContext& context, HTTPServerResponse& response) {
  const WorkerStatus status = context.worker.status();
  Poco::JSON::Object body;
  body.set("ready", status.running);
  body.set("config", context.worker.config()->file);
  if (status.last_reload) body.set("last_reload", reload_json(*status.last_reload));
  Poco::JSON::Object failing;
  for (const auto& [name, error] : status.connector_errors) failing.set(name, error);
  body.set("failing_connectors", failing);
  if (!status.notification_error.empty()) {
    body.set("notification_error", status.notification_error);
  }
  send_json(response,
            status.running ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
            json_text(body));
}

void metrics(const ApiContext& context, HTTPServerResponse& response) {
  SqliteDb db = open_store(context);
  const std::string body =
      context.metrics.render(unresolved_alert_counts(db), ConnectorStateStore(db).all());
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("text/plain; version=0.0.4; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

void admin_reload(const ApiContext& context, HTTPServerResponse& response) {
  const auto outcome = context.worker.reload(std::chrono::seconds(60));
  if (!outcome) {
    throw ApiError{HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                   "the reload did not finish within 60 s; see /readyz"};
  }
  send_json(response, outcome->ok ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_UNPROCESSABLE_ENTITY,
            json_text(reload_json(*outcome)));
}

void send_json_array(HTTPServerResponse& response, const Poco::JSON::Array& array) {
  std::ostringstream text;
  array.stringify(text);
  send_json(response, HTTPResponse::HTTP_OK, text.str());
}

void list_dead_letters(const ApiContext& context, HTTPServerResponse& response) {
  SqliteDb db = open_store(context);
  send_json_array(
      response, dead_letters_json(DeliveryStore(db).dead_letters(), context.worker.config()->zone));
}

void list_connectors(const ApiContext& context, HTTPServerResponse& response) {
  SqliteDb db = open_store(context);
  send_json_array(response, connector_states_json(ConnectorStateStore(db).all(),
                                                  context.worker.config()->zone));
}

AlertFilter alert_filter(const HTTPServerRequest& request) {
  const Poco::Net::HTMLForm form(request);
  AlertFilter filter;
  if (form.has("status")) {
    filter.status = alerts::alert_status_from_string(form.get("status"));
    if (!filter.status) {
      throw ApiError{HTTPResponse::HTTP_BAD_REQUEST, "unknown status '" + form.get("status") + "'"};
    }
  }
  if (form.has("level")) {
    filter.level = rules::level_from_string(form.get("level"));
    if (!filter.level) {
      throw ApiError{HTTPResponse::HTTP_BAD_REQUEST, "unknown level '" + form.get("level") + "'"};
    }
  }
  if (form.has("school")) filter.school_id = form.get("school");
  if (form.has("rule")) filter.rule_id = form.get("rule");
  return filter;
}

void list_alerts(const ApiContext& context, const HTTPServerRequest& request,
                 HTTPServerResponse& response) {
  const AlertFilter filter = alert_filter(request);
  const Zone zone = context.worker.config()->zone;
  SqliteDb db = open_store(context);
  AlertStore store(db);
  std::ostringstream out;
  write_alerts(store.list(filter, zone), OutputFormat::Json, zone, out);
  send_json(response, HTTPResponse::HTTP_OK, out.str());
}

// "ack" as in the CLI; the lifecycle's own names are accepted too.
std::optional<alerts::AlertAction> action_from_path(const std::string& word) {
  if (word == "ack") return alerts::AlertAction::Acknowledge;
  return alerts::alert_action_from_string(word);
}

void alert_action(const ApiContext& context, HTTPServerRequest& request,
                  HTTPServerResponse& response, std::int64_t alert_id, alerts::AlertAction action,
                  const ApiPrincipal& principal) {
  std::string body;
  Poco::StreamCopier::copyToString(request.stream(), body);
  std::string comment;
  if (!body.empty()) {
    try {
      const auto parsed = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
      comment = parsed->optValue<std::string>("comment", "");
    } catch (const Poco::Exception& e) {
      throw ApiError{
          HTTPResponse::HTTP_BAD_REQUEST,
          "the body must be a JSON object like {\"comment\": \"...\"}: " + e.displayText()};
    }
  }
  SqliteDb db = open_store(context);
  AlertLifecycleStore store(db);
  try {
    const AlertEvent event = store.apply(alert_id, action, principal.user, comment);
    Poco::JSON::Object answer;
    answer.set("alert_id", event.alert_id);
    answer.set("event_id", event.id);
    answer.set("action", event.action);
    answer.set("by", event.actor);
    answer.set("at", event.at);
    if (event.to) answer.set("status", alerts::to_string(*event.to));
    send_json(response, HTTPResponse::HTTP_OK, json_text(answer));
  } catch (const AlertNotActionable& e) {
    throw ApiError{HTTPResponse::HTTP_NOT_FOUND, e.what()};
  } catch (const alerts::LifecycleError& e) {
    throw ApiError{HTTPResponse::HTTP_CONFLICT, e.what()};
  } catch (const std::invalid_argument& e) {
    throw ApiError{HTTPResponse::HTTP_BAD_REQUEST, e.what()};
  }
}

std::vector<std::string> path_segments(const std::string& path) {
  std::vector<std::string> segments;
  std::string current;
  for (const char c : path) {
    if (c == '/') {
      if (!current.empty()) segments.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) segments.push_back(current);
  return segments;
}

std::optional<std::int64_t> parse_id(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

class RouteHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RouteHandler(ApiContext context) : context_(context) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      route(request, response);
    } catch (const ApiError& error) {
      send_error(response, error);
    } catch (const StoreError& e) {
      send_error(response, ApiError{HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                                    std::string("database error: ") + e.what()});
    } catch (const std::exception& e) {
      // A request must never take the server down; the client sees why.
      send_error(response, ApiError{HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, e.what()});
    }
  }

 private:
  void route(HTTPServerRequest& request, HTTPServerResponse& response) {
    const std::string path = Poco::URI(request.getURI()).getPath();
    const std::string& method = request.getMethod();
    const auto require = [&](const char* wanted) {
      if (method != wanted) {
        response.set("Allow", wanted);
        throw ApiError{HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
                       method + " is not allowed on " + path + " (use " + wanted + ")"};
      }
    };
    if (path == "/healthz") {
      require("GET");
      send_json(response, HTTPResponse::HTTP_OK, "{\"status\":\"ok\"}");
      return;
    }
    if (path == "/readyz") {
      require("GET");
      readyz(context_, response);
      return;
    }
    if (path == "/metrics") {
      require("GET");
      metrics(context_, response);
      return;
    }
    if (path == "/api/v1/admin/reload") {
      require("POST");
      authorize(context_, request, {"admin"});
      admin_reload(context_, response);
      return;
    }
    if (path == "/api/v1/alerts") {
      require("GET");
      authorize(context_, request, {"auditor", "supervisor", "admin"});
      list_alerts(context_, request, response);
      return;
    }
    if (path == "/api/v1/deadletters") {
      require("GET");
      authorize(context_, request, {"supervisor", "admin"});
      list_dead_letters(context_, response);
      return;
    }
    if (path == "/api/v1/connectors") {
      require("GET");
      authorize(context_, request, {"auditor", "supervisor", "admin"});
      list_connectors(context_, response);
      return;
    }
    const std::vector<std::string> segments = path_segments(path);
    if (segments.size() == 5 && segments[0] == "api" && segments[1] == "v1" &&
        segments[2] == "alerts") {
      const auto id = parse_id(segments[3]);
      const auto action = action_from_path(segments[4]);
      if (id && action) {
        require("POST");
        const ApiPrincipal principal = authorize(context_, request, {"supervisor", "admin"});
        alert_action(context_, request, response, *id, *action, principal);
        return;
      }
    }
    throw ApiError{HTTPResponse::HTTP_NOT_FOUND, "no such endpoint: " + method + " " + path};
  }

  ApiContext context_;
};

class RouteFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RouteFactory(ApiContext context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RouteHandler(context_);
  }

 private:
  ApiContext context_;
};

}  // namespace

Poco::Net::HTTPRequestHandlerFactory* make_api_handler_factory(ApiContext context) {
  return new RouteFactory(context);
}

}  // namespace sfmon
