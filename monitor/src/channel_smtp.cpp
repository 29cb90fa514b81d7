#include "sfmon/monitor/channel_smtp.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StringPartSource.h>

#include <algorithm>
#include <memory>
#include <sstream>

namespace sfmon {
namespace {

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

// MailMessage is not copyable: filled in place.
void compose(const SmtpSettings& smtp, const OutgoingMessage& message, const std::string& recipient,
             Poco::Net::MailMessage& mail) {
  mail.setSender(smtp.from);
  mail.addRecipient(
      Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, recipient));
  mail.setSubject(encode_header_utf8(message.subject));
  mail.set("X-Sfmon-Delivery", std::to_string(message.delivery_id));
  // Readers show the last alternative they understand: plain text first.
  mail.setContentType("multipart/alternative");
  mail.addPart("", new Poco::Net::StringPartSource(message.text, "text/plain; charset=utf-8"),
               Poco::Net::MailMessage::CONTENT_INLINE, Poco::Net::MailMessage::ENCODING_BASE64);
  mail.addPart("", new Poco::Net::StringPartSource(message.html, "text/html; charset=utf-8"),
               Poco::Net::MailMessage::CONTENT_INLINE, Poco::Net::MailMessage::ENCODING_BASE64);
}

// The server's certificate is verified (chain and host name): a notice
// about a school's money must not go to whoever answers on the port.
Poco::Net::Context::Ptr tls_context(const std::string& ca_file) {
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  params.loadDefaultCAs = ca_file.empty();
  params.caLocation = ca_file;
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

// SMTP reply codes 550-559 reject the mailbox or the message for good.
bool permanent(const Poco::Net::SMTPException& error) {
  return error.code() >= 550 && error.code() <= 559;
}

}  // namespace

std::string encode_header_utf8(const std::string& text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && c != '\r' && c != '\n';
  });
  if (ascii) return text;
  // 45 bytes make 60 base64 characters: with "=?UTF-8?B?" and "?=" a word
  // stays within the RFC's 75.
  constexpr std::size_t kMaxBytes = 45;
  std::string encoded;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(start + kMaxBytes, text.size());
    // Back up to the start of a character (never a continuation byte).
    while (end < text.size() && end > start &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (end == start) end = std::min(start + kMaxBytes, text.size());  // not UTF-8: cut anyway
    if (!encoded.empty()) encoded += ' ';
    encoded += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return encoded;
}

SmtpChannel::SmtpChannel(ChannelConfig config, EnvLookup env)
    : config_(std::move(config)), env_(std::move(env)) {}

SendResult SmtpChannel::send(const OutgoingMessage& message, const std::string& recipient) {
  const SmtpSettings& smtp = config_.smtp;
  const std::string where = "smtp channel '" + config_.name + "' (" + smtp.host + ":" +
                            std::to_string(smtp.port) + ", to " + recipient + ")";
  std::string password;
  if (!smtp.username.empty()) {
    const auto value = env_ ? env_(smtp.password_env) : std::nullopt;
    if (!value) {
      return SendResult::failed(where + ": environment variable " + smtp.password_env +
                                " (the SMTP password) is not set");
    }
    password = *value;
  }
  const Poco::Timespan timeout(config_.timeout_seconds, 0);
  try {
    std::unique_ptr<Poco::Net::SMTPClientSession> session;
    if (smtp.starttls) {
      auto secure = std::make_unique<Poco::Net::SecureSMTPClientSession>(
          smtp.host, static_cast<Poco::UInt16>(smtp.port));
      secure->setTimeout(timeout);
      secure->login();
      if (!secure->startTLS(tls_context(smtp.ca_file))) {
        return SendResult::failed(where + ": the server does not offer STARTTLS");
      }
      session = std::move(secure);
    } else {
      Poco::Net::StreamSocket socket;
      socket.connect(Poco::Net::SocketAddress(smtp.host, static_cast<Poco::UInt16>(smtp.port)),
                     timeout);
      session = std::make_unique<Poco::Net::SMTPClientSession>(socket);
      session->setTimeout(timeout);
    }
    if (!smtp.username.empty()) {
      session->login(Poco::Net::SMTPClientSession::AUTH_LOGIN, smtp.username, password);
    } else {
      session->login();
    }
    Poco::Net::MailMessage mail;
    compose(smtp, message, recipient, mail);
    session->sendMessage(mail);
    session->close();
    return SendResult::sent();
  } catch (const Poco::Net::SMTPException& error) {
    return SendResult::failed(where + ": " + error.displayText(), !permanent(error));
  } catch (const Poco::Exception& error) {
    // Network, timeout and TLS failures: the server may be back later.
    return SendResult::failed(where + ": " + error.displayText());
  }
}

}  // namespace sfmon
