// Notifications through the real binary and real servers on loopback: an
// SMTP server (Debian's python3-aiosmtpd, writing what it receives to a
// maildir) gets the early-warning notice of a tiny city after `run-once` and
// `notify`; a webhook receiver inside the test fails twice, then accepts, and
// checks every body's HMAC; a silence mutes the notice; the lifecycle
// commands keep who did what.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "loopback_servers.h"
#include "sfmon_process.h"

namespace sfmon::e2e::notify_e2e_test {
namespace {

namespace fs = std::filesystem;

const std::string kDemo = std::string(SFMON_SOURCE_DIR) + "/examples/demo-city";
constexpr const char* kSecretEnv = "SFMON_E2E_WEBHOOK_SECRET";
constexpr const char* kSecret = "s3cr3t-不要外传";

// One school of the demo city (CS-0107, 开福区): its basic account's
// statements plant one red FUND-ROUNDTRIP alert with four bank records.
struct TinyCity {
  TempDir dir;
  std::string config = dir / "sfmon.yaml";

  explicit TinyCity(const std::string& notifications) {
    fs::copy_file(kDemo + "/schools.yaml", dir / "schools.yaml");
    for (const std::string& name : files_in(kDemo + "/inbox/bank")) {
      if (name.rfind("43050180123400000702-", 0) == 0) {
        write_text(dir / ("inbox/bank/" + name), read_text(kDemo + "/inbox/bank/" + name));
      }
    }
    write_text(config,
               "database: sfmon.db\n"
               "registry: schools.yaml\n"
               "connectors:\n"
               "  - {name: bank-inbox, type: bank-files, path: inbox/bank}\n" +
                   notifications);
    const RunResult run = run_sfmon({"run-once", "--config", config});
    EXPECT_EQ(run.exit_code, 0) << run.err;
  }

  RunResult sfmon(std::vector<std::string> args) const {
    args.push_back("--config");
    args.push_back(config);
    return run_sfmon(args);
  }

  Poco::JSON::Object::Ptr only_alert() const {
    const RunResult listed = sfmon({"alerts", "list", "--format", "json"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    const auto alerts = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
    EXPECT_EQ(alerts->size(), 1u) << listed.out;
    return alerts->getObject(0);
  }
};

std::string smtp_config(Poco::UInt16 port) {
  return "notifications:\n"
         "  channels:\n"
         "    - {name: mail, type: smtp, host: 127.0.0.1, port: " +
         std::to_string(port) +
         ", from: sfmon@bureau.example,\n"
         "       to: [supervisor@bureau.example, auditor@bureau.example]}\n"
         "  routes:\n"
         "    - {levels: [orange, red], districts: [开福区], channels: [mail]}\n";
}

TEST(NotifyE2E, SmtpServerReceivesTheNoticeOnceWithEvidence) {
  TempDir mail;
  SmtpSink smtp(mail / "maildir");
  TinyCity city(smtp_config(smtp.port()));
  const auto alert = city.only_alert();
  ASSERT_EQ(alert->getValue<std::string>("rule_id"), "FUND-ROUNDTRIP");
  const std::string alert_id = std::to_string(alert->getValue<std::int64_t>("id"));

  const RunResult notify = city.sfmon({"notify"});
  ASSERT_EQ(notify.exit_code, 0) << notify.err;
  EXPECT_NE(notify.out.find("notices: 1 new"), std::string::npos) << notify.out;
  EXPECT_NE(notify.out.find("2 queued, 2 sent"), std::string::npos) << notify.out;

  const auto messages = smtp.messages();
  ASSERT_EQ(messages.size(), 2u);
  std::set<std::string> recipients;
  for (const std::string& path : messages) {
    const Email email = read_email(path);
    recipients.insert(email.to);
    EXPECT_NE(email.subject.find("【预警通知】长沙晨曦艺术培训学校有限公司（CS-0107）"),
              std::string::npos)
        << email.subject;
    EXPECT_NE(email.subject.find("1 条未处理预警（最高级别：红色）"), std::string::npos);
    EXPECT_NE(email.text.find("【红色 red】FUND-ROUNDTRIP"), std::string::npos) << email.text;
    EXPECT_NE(email.text.find("预警编号：" + alert_id), std::string::npos);
    EXPECT_NE(email.text.find("区县：开福区"), std::string::npos);
    EXPECT_NE(email.text.find("证据：bank:2024090507020001, bank:2024101707020001, "
                              "bank:2024103107020001, bank:2024111407020001"),
              std::string::npos)
        << email.text;
    EXPECT_NE(email.html.find("<td>" + alert_id + "</td>"), std::string::npos) << email.html;
    EXPECT_NE(email.html.find("bank:2024111407020001"), std::string::npos);
  }
  EXPECT_EQ(recipients,
            (std::set<std::string>{"<supervisor@bureau.example>", "<auditor@bureau.example>"}));

  // Nothing changed: nothing is sent again.
  const RunResult again = city.sfmon({"notify"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("notices: 0 new, 1 unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(smtp.messages().size(), 2u);

  // Acknowledging changes the notice: it is sent again, showing the new status.
  ASSERT_EQ(city.sfmon({"alerts", "ack", alert_id, "--by", "张三"}).exit_code, 0);
  ASSERT_EQ(city.sfmon({"notify"}).exit_code, 0);
  const auto after = smtp.messages();
  ASSERT_EQ(after.size(), 4u);
  bool saw_acknowledged = false;
  for (const std::string& path : after) {
    saw_acknowledged |= read_email(path).text.find("已确认 (acknowledged)") != std::string::npos;
  }
  EXPECT_TRUE(saw_acknowledged);
}

// STARTTLS against aiosmtpd with a self-signed certificate (it refuses mail
// before STARTTLS): not trusted, nothing is sent and the attempt is retried;
// trusted through `ca_file`, the notice arrives over the encrypted session.
TEST(NotifyE2E, StartTlsSendsOnlyToAServerWhoseCertificateIsTrusted) {
  TempDir mail;
  const TlsFiles tls = make_self_signed_certificate(mail.path());
  SmtpSink smtp(mail / "maildir", tls);
  const auto channel = [&](const std::string& extra) {
    return "notifications:\n"
           "  retry: {attempts: 5, backoff: 1s, max_backoff: 1s}\n"
           "  channels:\n"
           "    - {name: mail, type: smtp, host: 127.0.0.1, port: " +
           std::to_string(smtp.port()) + ", starttls: true" + extra +
           ", from: sfmon@bureau.example, to: [supervisor@bureau.example]}\n"
           "  routes:\n"
           "    - {levels: [red], channels: [mail]}\n";
  };
  TinyCity city(channel(""));
  const RunResult untrusted = city.sfmon({"notify"});
  EXPECT_EQ(untrusted.exit_code, 0) << "retried later, not dead yet";
  EXPECT_NE(untrusted.err.find("smtp channel 'mail'"), std::string::npos) << untrusted.err;
  EXPECT_NE(untrusted.out.find("0 sent, 1 to retry"), std::string::npos) << untrusted.out;
  EXPECT_TRUE(smtp.messages().empty());

  const std::string config = read_text(city.config);
  write_text(city.config,
             config.substr(0, config.find("notifications:")) + channel(", ca_file: " + tls.cert));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the retry's backoff
  const RunResult trusted = city.sfmon({"notify"});
  ASSERT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_NE(trusted.out.find("1 sent"), std::string::npos) << trusted.out << trusted.err;
  ASSERT_EQ(smtp.messages().size(), 1u);
  EXPECT_NE(read_email(smtp.messages()[0]).text.find("FUND-ROUNDTRIP"), std::string::npos);
}

TEST(NotifyE2E, SilenceMutesTheNoticeButNotTheAlert) {
  TempDir mail;
  SmtpSink smtp(mail / "maildir");
  TinyCity city(smtp_config(smtp.port()));
  const RunResult silenced =
      city.sfmon({"silence", "add", "--school", "*", "--rule", "FUND-ROUNDTRIP", "--until",
                  "2099-12-31", "--reason", "已约谈举办者，整改中", "--by", "张三"});
  ASSERT_EQ(silenced.exit_code, 0) << silenced.err;
  EXPECT_NE(silenced.out.find("muted until 2100-01-01T00:00:00+08:00 by 张三"), std::string::npos)
      << silenced.out;

  const RunResult notify = city.sfmon({"notify"});
  ASSERT_EQ(notify.exit_code, 0) << notify.err;
  EXPECT_NE(notify.out.find("1 alerts muted by silences"), std::string::npos) << notify.out;
  EXPECT_NE(notify.out.find("0 queued, 0 sent"), std::string::npos) << notify.out;
  EXPECT_TRUE(smtp.messages().empty());
  EXPECT_EQ(city.only_alert()->getValue<std::string>("status"), "open");

  const RunResult listed = city.sfmon({"silence", "list", "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto silences = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(silences->size(), 1u);
  EXPECT_EQ(silences->getObject(0)->getValue<std::string>("state"), "active");
  EXPECT_EQ(silences->getObject(0)->getValue<std::string>("author"), "张三");
}

std::string webhook_config(const std::string& url, int attempts) {
  return "notifications:\n"
         "  retry: {attempts: " +
         std::to_string(attempts) +
         ", backoff: 1s, max_backoff: 2s}\n"
         "  channels:\n"
         "    - {name: hook, type: webhook, url: \"" +
         url + "\", secret_env: " + kSecretEnv +
         ", timeout: 5s}\n"
         "  routes:\n"
         "    - {levels: [red], channels: [hook]}\n";
}

// Runs `notify` until the receiver has seen `requests` requests (the
// backoff makes the next attempt wait 1 s, then 2 s).
std::vector<RunResult> notify_until(const TinyCity& city, const WebhookReceiver& receiver,
                                    std::size_t requests) {
  std::vector<RunResult> runs;
  for (int i = 0; i < 12 && receiver.requests().size() < requests; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(700));
    runs.push_back(city.sfmon({"notify"}));
  }
  return runs;
}

TEST(NotifyE2E, WebhookIsRetriedWithBackoffUntilAcceptedAndEveryBodyIsSigned) {
  ::setenv(kSecretEnv, kSecret, 1);
  WebhookReceiver receiver({500, 500});
  TinyCity city(webhook_config(receiver.url(), 5));
  const auto alert = city.only_alert();

  const auto runs = notify_until(city, receiver, 3);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_NE(
      runs.front().err.find("attempt 1: webhook channel 'hook' (" + receiver.url() + "): HTTP 500"),
      std::string::npos)
      << runs.front().err;
  EXPECT_NE(runs.back().out.find("1 sent"), std::string::npos) << runs.back().out;
  EXPECT_GE(runs.size(), 3u) << "each pass makes one attempt";
  for (const HookRequest& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/hooks/sfmon");
    EXPECT_EQ(request.content_type, "application/json; charset=utf-8");
    EXPECT_EQ(request.signature, "sha256=" + hmac_sha256_hex(kSecret, request.body));
    EXPECT_EQ(request.body, requests[0].body) << "retries send the same body";
    EXPECT_EQ(request.delivery, requests[0].delivery);
  }
  const auto body = Poco::JSON::Parser().parse(requests[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("type"), "notice");
  EXPECT_EQ(body->getObject("school")->getValue<std::string>("id"), "CS-0107");
  const auto listed = body->getArray("alerts");
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->getValue<std::int64_t>("id"),
            alert->getValue<std::int64_t>("id"));
  EXPECT_EQ(listed->getObject(0)->getArray("evidence")->size(), 4u);

  // Delivered: later passes send nothing; nothing is dead.
  const RunResult later = city.sfmon({"notify"});
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_NE(later.out.find("0 queued, 0 sent"), std::string::npos) << later.out;
  const RunResult dead = city.sfmon({"deadletters", "list", "--format", "json"});
  ASSERT_EQ(dead.exit_code, 0) << dead.err;
  EXPECT_EQ(Poco::JSON::Parser().parse(dead.out).extract<Poco::JSON::Array::Ptr>()->size(), 0u);
}

TEST(NotifyE2E, WebhookThatKeepsFailingEndsInTheDeadLetters) {
  ::setenv(kSecretEnv, kSecret, 1);
  WebhookReceiver receiver({500, 503, 500, 500});
  TinyCity city(webhook_config(receiver.url(), 2));
  const auto runs = notify_until(city, receiver, 2);
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(runs.back().exit_code, 1) << "a delivery died in this pass";
  EXPECT_NE(runs.back().out.find("1 dead"), std::string::npos) << runs.back().out;

  const RunResult dead = city.sfmon({"deadletters", "list", "--format", "json"});
  ASSERT_EQ(dead.exit_code, 0) << dead.err;
  const auto letters = Poco::JSON::Parser().parse(dead.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(letters->size(), 1u);
  const auto letter = letters->getObject(0);
  EXPECT_EQ(letter->getValue<std::string>("channel"), "hook");
  EXPECT_EQ(letter->getValue<std::string>("recipient"), receiver.url());
  EXPECT_EQ(letter->getValue<int>("attempts"), 2);
  EXPECT_NE(letter->getValue<std::string>("error").find("HTTP 503"), std::string::npos);
  EXPECT_EQ(letter->getValue<std::string>("payload"), receiver.requests()[0].body);

  const RunResult table = city.sfmon({"deadletters", "list"});
  EXPECT_NE(table.out.find("HTTP 503"), std::string::npos) << table.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  city.sfmon({"notify"});
  EXPECT_EQ(receiver.requests().size(), 2u) << "a dead delivery is not tried again";
}

TEST(NotifyE2E, LifecycleCommandsKeepWhoDidWhat) {
  TinyCity city("");
  const std::string id = std::to_string(city.only_alert()->getValue<std::int64_t>("id"));
  const RunResult ack = city.sfmon({"alerts", "ack", id, "--by", "张三", "--comment", "核查中"});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_NE(ack.out.find("open -> acknowledged by 张三"), std::string::npos) << ack.out;

  const RunResult twice = city.sfmon({"alerts", "ack", id, "--by", "李四"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_EQ(twice.err, "sfmon alerts ack: alert " + id +
                           " is acknowledged; cannot acknowledge it (acknowledge is allowed from "
                           "open)\n");
  const RunResult no_comment = city.sfmon({"alerts", "dismiss", id, "--by", "李四"});
  EXPECT_EQ(no_comment.exit_code, 1);
  EXPECT_NE(no_comment.err.find("dismiss needs a comment"), std::string::npos);
  const RunResult no_user = city.sfmon({"alerts", "resolve", id, "--comment", "x"});
  EXPECT_EQ(no_user.exit_code, 2);
  ASSERT_EQ(
      city.sfmon({"alerts", "resolve", id, "--by", "李四", "--comment", "资金已退回"}).exit_code,
      0);

  const RunResult shown = city.sfmon({"alerts", "show", id, "--format", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto alert = Poco::JSON::Parser().parse(shown.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(alert->getValue<std::string>("status"), "resolved");
  EXPECT_EQ(alert->getArray("evidence_records")->size(), 4u);
  const auto history = alert->getArray("history");
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("actor"), "张三");
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("comment"), "核查中");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("to"), "resolved");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("comment"), "资金已退回");

  const RunResult text = city.sfmon({"alerts", "show", id});
  EXPECT_NE(text.out.find("FUND-ROUNDTRIP"), std::string::npos);
  EXPECT_NE(text.out.find("bank:2024090507020001  2024-09-05T10:00:00+08:00  500000.00 CNY"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("李四  resolve  acknowledged -> resolved  \"资金已退回\""),
            std::string::npos)
      << text.out;
}

}  // namespace
}  // namespace sfmon::e2e::notify_e2e_test
