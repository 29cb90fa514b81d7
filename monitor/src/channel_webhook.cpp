#include "sfmon/monitor/channel_webhook.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <istream>
#include <memory>

namespace sfmon {
namespace {

// Poco 1.11's SHA2Engine lacks the block and digest sizes HMACEngine needs.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::unique_ptr<Poco::Net::HTTPClientSession> open_session(const Poco::URI& uri) {
  if (uri.getScheme() == "https") {
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = true;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
  }
  return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}

// The start of a response body, for the error message.
std::string body_excerpt(std::istream& in) {
  std::string text(200, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

bool worth_retrying(int status) {
  return status == 408 || status == 429 || status >= 500;
}

}  // namespace

std::string webhook_signature(const std::string& body, const std::string& secret) {
  Poco::HMACEngine<Sha256Engine> hmac(secret);
  hmac.update(body);
  return "sha256=" + Poco::DigestEngine::digestToHex(hmac.digest());
}

WebhookChannel::WebhookChannel(ChannelConfig config, EnvLookup env)
    : config_(std::move(config)), env_(std::move(env)) {}

SendResult WebhookChannel::send(const OutgoingMessage& message, const std::string& recipient) {
  const std::string where = "webhook channel '" + config_.name + "' (" + recipient + ")";
  std::string secret;
  if (!config_.webhook.secret_env.empty()) {
    const auto value = env_ ? env_(config_.webhook.secret_env) : std::nullopt;
    if (!value) {
      return SendResult::failed(where + ": environment variable " + config_.webhook.secret_env +
                                " (the signing secret) is not set");
    }
    secret = *value;
  }
  try {
    const Poco::URI uri(recipient);
    auto session = open_session(uri);
    session->setTimeout(Poco::Timespan(config_.timeout_seconds, 0));
    const std::string path = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(message.json.size()));
    request.set("User-Agent", "sfmon");
    request.set("X-Sfmon-Delivery", std::to_string(message.delivery_id));
    if (!config_.webhook.secret_env.empty()) {
      request.set("X-Sfmon-Signature", webhook_signature(message.json, secret));
    }
    session->sendRequest(request) << message.json;
    Poco::Net::HTTPResponse response;
    std::istream& body = session->receiveResponse(response);
    const int status = static_cast<int>(response.getStatus());
    if (status >= 200 && status < 300) return SendResult::sent();
    return SendResult::failed(where + ": HTTP " + std::to_string(status) + " " +
                                  response.getReason() + ": " + body_excerpt(body),
                              worth_retrying(status));
  } catch (const Poco::SyntaxException& error) {
    return SendResult::failed(where + ": bad url: " + error.displayText(), false);
  } catch (const Poco::Exception& error) {
    // Network, timeout and TLS failures: the receiver may be back later.
    return SendResult::failed(where + ": " + error.displayText());
  }
}

}  // namespace sfmon
