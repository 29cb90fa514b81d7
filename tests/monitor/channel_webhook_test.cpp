// The webhook signature and the channels' refusals that need no network.
#include "sfmon/monitor/channel_webhook.h"

#include <gtest/gtest.h>

#include "sfmon/monitor/channel_smtp.h"

namespace sfmon::channel_webhook_test {
namespace {

std::optional<std::string> no_env(const std::string&) {
  return std::nullopt;
}

TEST(WebhookSignatureTest, IsHmacSha256OfTheBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(webhook_signature("what do ya want for nothing?", "Jefe"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignatureTest, DependsOnEveryByteAndTheKey) {
  const std::string base = webhook_signature("{\"a\":1}", "k");
  EXPECT_NE(webhook_signature("{\"a\":2}", "k"), base);
  EXPECT_NE(webhook_signature("{\"a\":1}", "K"), base);
}

TEST(WebhookChannelTest, MissingSecretVariableIsARetryableFailure) {
  ChannelConfig config;
  config.name = "hook";
  config.type = ChannelType::Webhook;
  config.webhook.url = "http://127.0.0.1:9/";
  config.webhook.secret_env = "SFMON_TEST_NO_SUCH_SECRET";
  const SendResult result = WebhookChannel(config, no_env).send({}, config.webhook.url);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.retryable);
  EXPECT_EQ(result.error,
            "webhook channel 'hook' (http://127.0.0.1:9/): environment variable "
            "SFMON_TEST_NO_SUCH_SECRET (the signing secret) is not set");
}

TEST(SmtpChannelTest, MissingPasswordVariableIsAFailureNamingIt) {
  ChannelConfig config;
  config.name = "mail";
  config.smtp.host = "127.0.0.1";
  config.smtp.port = 9;
  config.smtp.username = "sfmon";
  config.smtp.password_env = "SFMON_TEST_NO_SUCH_PASSWORD";
  const SendResult result = SmtpChannel(config, no_env).send({}, "a@example.org");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("SFMON_TEST_NO_SUCH_PASSWORD"), std::string::npos);
  EXPECT_EQ(result.error.rfind("smtp channel 'mail' (127.0.0.1:9, to a@example.org)", 0), 0u);
}

TEST(SmtpChannelTest, RefusedConnectionIsARetryableFailure) {
  ChannelConfig config;
  config.name = "mail";
  config.smtp.host = "127.0.0.1";
  config.smtp.port = 9;  // discard: nothing listens on loopback here
  config.smtp.from = "sfmon@example.org";
  config.timeout_seconds = 2;
  const SendResult result = SmtpChannel(config, no_env).send({}, "a@example.org");
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.retryable);
}

TEST(SmtpHeaderTest, AsciiStaysAsItIs) {
  EXPECT_EQ(encode_header_utf8("Notice CS-0101"), "Notice CS-0101");
}

TEST(SmtpHeaderTest, Utf8IsSplitIntoWordsOfWholeCharacters) {
  // 31 three-byte characters: 93 bytes, more than two words hold.
  std::string text;
  for (int i = 0; i < 31; ++i) text += "预";
  const std::string encoded = encode_header_utf8(text);
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < encoded.size()) {
    const std::size_t space = encoded.find(' ', at);
    words.push_back(
        encoded.substr(at, space == std::string::npos ? std::string::npos : space - at));
    at = space == std::string::npos ? encoded.size() : space + 1;
  }
  ASSERT_EQ(words.size(), 3u);  // 45 bytes = 15 characters per word, then 1
  for (const std::string& word : words) {
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
    EXPECT_LE(word.size(), 75u);
  }
  // Each word starts on a character: "预预" is 6aKE6aKE in base64.
  EXPECT_EQ(words[0].substr(10, 8), "6aKE6aKE");
  EXPECT_EQ(words[1].substr(10, 8), "6aKE6aKE");
  EXPECT_EQ(words[2], "=?UTF-8?B?6aKE?=");
}

}  // namespace
}  // namespace sfmon::channel_webhook_test
