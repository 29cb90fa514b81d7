// See loopback_servers.h.
#include "loopback_servers.h"

#include <Poco/Base64Decoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/PipeStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sfmon_process.h"

namespace sfmon::e2e {
namespace {

// The python that has aiosmtpd (Debian's, not a virtualenv's), or "".
std::string python_with_aiosmtpd() {
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    try {
      Poco::ProcessHandle probe =
          Poco::Process::launch(python, {"-c", "import aiosmtpd"}, nullptr, nullptr, nullptr);
      if (probe.wait() == 0) return python;
    } catch (const Poco::Exception&) {
      // Not installed under this name: try the next.
    }
  }
  return "";
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    HookRequest got;
    got.method = request.getMethod();
    got.path = request.getURI();
    got.signature = request.get("X-Sfmon-Signature", "");
    got.delivery = request.get("X-Sfmon-Delivery", "");
    got.content_type = request.getContentType();
    Poco::StreamCopier::copyToString(request.stream(), got.body);
    int status = 200;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      const std::size_t index = state_->requests.size();
      if (index < state_->statuses.size()) status = state_->statuses[index];
      state_->requests.push_back(std::move(got));
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("text/plain");
    response.send() << (status == 200 ? "ok" : "try again later");
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

// The decoded text parts of a message.
class TextParts : public Poco::Net::PartHandler {
 public:
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string body;
    Poco::StreamCopier::copyToString(stream, body);
    parts[header.get("Content-Type", "")] = body;
  }
  std::map<std::string, std::string> parts;
};

// RFC 2047 words "=?UTF-8?B?...?=" (what sfmon writes), decoded and joined;
// white space between words is dropped, as the RFC says.
std::string decode_subject(const std::string& header) {
  std::string decoded;
  std::size_t at = 0;
  while ((at = header.find("=?UTF-8?B?", at)) != std::string::npos) {
    const std::size_t start = at + 10;
    const std::size_t end = header.find("?=", start);
    if (end == std::string::npos) break;
    std::istringstream in(header.substr(start, end - start));
    Poco::Base64Decoder decoder(in);
    std::string bytes;
    Poco::StreamCopier::copyToString(decoder, bytes);
    decoded += bytes;
    at = end + 2;
  }
  return decoded.empty() ? header : decoded;
}

// The Subject header as written, continuation lines unfolded.
std::string raw_subject(const std::string& message) {
  const std::size_t headers_end = std::min(message.find("\n\n"), message.find("\r\n\r\n"));
  std::size_t at = message.find("\nSubject:");
  if (at == std::string::npos || at > headers_end) return "";
  at += 9;
  std::string value;
  for (;;) {
    const std::size_t end = message.find('\n', at);
    value += message.substr(at, end == std::string::npos ? end : end - at);
    if (end == std::string::npos || (message[end + 1] != ' ' && message[end + 1] != '\t')) break;
    at = end + 1;
  }
  return value;
}

}  // namespace

Poco::UInt16 free_port() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

bool port_open(Poco::UInt16 port) {
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(0, 200000));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

Email read_email(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Poco::Net::MailMessage message;
  TextParts handler;
  message.read(in, handler);
  Email email;
  // Poco's reader decodes the subject itself but keeps the space between
  // encoded words; decode the raw header as a mail reader does.
  email.subject = decode_subject(raw_subject(read_text(path)));
  email.to = message.get("To", "");
  email.text = handler.parts["text/plain; charset=utf-8"];
  email.html = handler.parts["text/html; charset=utf-8"];
  return email;
}

// HMAC-SHA256 written out (RFC 2104), independent of sfmon's.
std::string hmac_sha256_hex(const std::string& key, const std::string& body) {
  std::string block = key;
  if (block.size() > 64) {
    Poco::SHA2Engine hash(Poco::SHA2Engine::SHA_256);
    hash.update(block);
    const auto digest = hash.digest();
    block.assign(digest.begin(), digest.end());
  }
  block.resize(64, '\0');
  std::string inner(64, '\0');
  std::string outer(64, '\0');
  for (std::size_t i = 0; i < 64; ++i) {
    inner[i] = static_cast<char>(block[i] ^ 0x36);
    outer[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  Poco::SHA2Engine first(Poco::SHA2Engine::SHA_256);
  first.update(inner + body);
  const auto inner_digest = first.digest();
  Poco::SHA2Engine second(Poco::SHA2Engine::SHA_256);
  second.update(outer + std::string(inner_digest.begin(), inner_digest.end()));
  return Poco::DigestEngine::digestToHex(second.digest());
}

TlsFiles make_self_signed_certificate(const std::string& dir) {
  TlsFiles files{dir + "/smtp-cert.pem", dir + "/smtp-key.pem"};
  Poco::Pipe errors;
  Poco::ProcessHandle openssl = Poco::Process::launch(
      "openssl",
      {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", files.key, "-out", files.cert},
      nullptr, nullptr, &errors);
  Poco::PipeInputStream error_stream(errors);
  std::string error_text;
  Poco::StreamCopier::copyToString(error_stream, error_text);
  if (openssl.wait() != 0) throw std::runtime_error("openssl req failed: " + error_text);
  return files;
}

SmtpSink::SmtpSink(std::string maildir, std::optional<TlsFiles> tls)
    : maildir_(std::move(maildir)), port_(free_port()) {
  const std::string python = python_with_aiosmtpd();
  if (python.empty()) {
    throw std::runtime_error("python3-aiosmtpd is missing: run scripts/install-deps.sh");
  }
  std::vector<std::string> args = {"-m", "aiosmtpd", "-n", "-l",
                                   "127.0.0.1:" + std::to_string(port_)};
  if (tls) {
    // aiosmtpd then requires STARTTLS before MAIL: a message that arrives
    // proves the client upgraded the connection.
    args.insert(args.end(), {"--tlscert", tls->cert, "--tlskey", tls->key});
  }
  args.insert(args.end(), {"-c", "aiosmtpd.handlers.Mailbox", maildir_});
  handle_ = std::make_unique<Poco::ProcessHandle>(
      Poco::Process::launch(python, args, nullptr, nullptr, nullptr));
  for (int i = 0; i < 100 && !port_open(port_); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!port_open(port_)) throw std::runtime_error("aiosmtpd did not start listening");
}

SmtpSink::~SmtpSink() {
  try {
    Poco::Process::kill(*handle_);
    handle_->wait();
  } catch (const Poco::Exception& e) {
    std::cerr << "stopping aiosmtpd: " << e.displayText() << '\n';
  }
}

std::vector<std::string> SmtpSink::messages() const {
  std::vector<std::string> paths;
  for (const std::string& name : files_in(maildir_ + "/new")) {
    paths.push_back(maildir_ + "/new/" + name);
  }
  return paths;
}

WebhookReceiver::WebhookReceiver(std::vector<int> statuses) : state_(std::make_shared<State>()) {
  state_->statuses = std::move(statuses);
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(2);
  server_ = std::make_unique<Poco::Net::HTTPServer>(
      new Factory(state_), Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
      params);
  server_->start();
}

WebhookReceiver::~WebhookReceiver() {
  server_->stopAll(true);
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hooks/sfmon";
}

std::vector<HookRequest> WebhookReceiver::requests() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->requests;
}

}  // namespace sfmon::e2e
