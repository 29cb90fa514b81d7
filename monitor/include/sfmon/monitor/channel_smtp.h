#pragma once
// Email through an SMTP server (Poco::Net::SMTPClientSession): one message
// per recipient, multipart/alternative with the plain text and the HTML body,
// UTF-8. With `starttls` the session upgrades with STARTTLS before logging in
// (Poco::Net::SecureSMTPClientSession, certificate verified against the
// system's CAs); with a username it logs in (AUTH LOGIN) with the password
// from the environment variable the config names.

#include <string>

#include "sfmon/monitor/notification_channel.h"

namespace sfmon {

// A header value as RFC 2047 encoded words ("=?UTF-8?B?...?=", separated by
// spaces), each holding whole UTF-8 characters, as the RFC requires (Poco
// 1.11's encodeWord splits characters across words); ASCII text unchanged.
std::string encode_header_utf8(const std::string& text);

class SmtpChannel : public NotificationChannel {
 public:
  SmtpChannel(ChannelConfig config, EnvLookup env);
  SendResult send(const OutgoingMessage& message, const std::string& recipient) override;

 private:
  ChannelConfig config_;
  EnvLookup env_;
};

}  // namespace sfmon
