#pragma once
// Real servers on loopback for end-to-end tests of notifications: an SMTP
// server (Debian's python3-aiosmtpd, optionally with STARTTLS) writing what it
// receives to a maildir, and a webhook receiver with a scripted sequence of
// answers; plus readers for what they received.

#include <Poco/Net/HTTPServer.h>
#include <Poco/Process.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sfmon::e2e {

Poco::UInt16 free_port();
bool port_open(Poco::UInt16 port);

// A self-signed certificate for CN and IP 127.0.0.1, made by the openssl CLI.
struct TlsFiles {
  std::string cert;  // PEM; also the CA file a client must trust
  std::string key;   // PEM, unencrypted
};
TlsFiles make_self_signed_certificate(const std::string& dir);

// aiosmtpd on a free loopback port; every message lands in `maildir`/new.
// With `tls`, the server offers STARTTLS and refuses mail before it.
class SmtpSink {
 public:
  explicit SmtpSink(std::string maildir, std::optional<TlsFiles> tls = std::nullopt);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  Poco::UInt16 port() const { return port_; }
  std::vector<std::string> messages() const;  // paths of the received messages

 private:
  std::string maildir_;
  Poco::UInt16 port_;
  std::unique_ptr<Poco::ProcessHandle> handle_;
};

struct Email {
  std::string subject;  // decoded
  std::string to;
  std::string text;
  std::string html;
};
Email read_email(const std::string& path);

// HMAC-SHA256 written out (RFC 2104), independent of sfmon's; hex.
std::string hmac_sha256_hex(const std::string& key, const std::string& body);

struct HookRequest {
  std::string method;
  std::string path;
  std::string body;
  std::string signature;
  std::string delivery;
  std::string content_type;
};

// A webhook receiver that answers each request with the next status of a
// script (then 200), recording what it got.
class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::vector<int> statuses);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url() const;
  std::vector<HookRequest> requests() const;

  struct State {
    std::mutex mutex;
    std::vector<int> statuses;
    std::vector<HookRequest> requests;
  };

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace sfmon::e2e
