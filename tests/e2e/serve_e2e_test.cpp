// `sfmon serve` as a real process on loopback: files dropped into the inbox
// while it runs become alerts in the API, and the early-warning notice
// arrives by email (aiosmtpd) and by webhook (a receiver that fails twice);
// tokens and roles guard the API; a broken rule pack sent with SIGHUP is
// rejected (shown in /readyz) while the old rules keep working; SIGTERM
// exits 0 with every file archived and stored.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <thread>

#include "../polling.h"
#include "loopback_servers.h"
#include "sfmon_process.h"

namespace sfmon::e2e::serve_e2e_test {
namespace {

namespace fs = std::filesystem;
using test_support::eventually;

const std::string kDemo = std::string(SFMON_SOURCE_DIR) + "/examples/demo-city";

struct HttpAnswer {
  int status = 0;  // 0: no connection
  std::string body;
};

HttpAnswer http(Poco::UInt16 port, const std::string& method, const std::string& path,
                const std::string& token = "") {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(5, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpAnswer answer{static_cast<int>(response.getStatus()), ""};
    Poco::StreamCopier::copyToString(body, answer.body);
    return answer;
  } catch (const Poco::Net::NetException&) {
    return {};
  } catch (const Poco::TimeoutException&) {
    return {};
  }
}

bool has_alert(const std::string& json, const std::string& rule, const std::string& school) {
  try {
    const auto alerts = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < alerts->size(); ++i) {
      const auto alert = alerts->getObject(static_cast<unsigned>(i));
      if (alert->getValue<std::string>("rule_id") == rule &&
          alert->getValue<std::string>("school_id") == school) {
        return true;
      }
    }
  } catch (const Poco::Exception&) {
    return false;  // not JSON (yet): keep polling
  }
  return false;
}

// Copies the demo statements of `account` into `inbox`; returns their names.
std::vector<std::string> drop_statements(const std::string& account, const std::string& inbox) {
  std::vector<std::string> names;
  for (const std::string& name : files_in(kDemo + "/inbox/bank")) {
    if (name.rfind(account + "-", 0) != 0) continue;
    // Written under a temporary name and renamed, as a bank transfer would,
    // so the daemon never reads half a file.
    write_text(inbox + "/." + name + ".part", read_text(kDemo + "/inbox/bank/" + name));
    fs::rename(inbox + "/." + name + ".part", inbox + "/" + name);
    names.push_back(name);
  }
  return names;
}

TEST(ServeE2E, DaemonIngestsServesReloadsAndStopsCleanly) {
  TempDir dir;
  const Poco::UInt16 port = free_port();
  const std::string config = dir / "sfmon.yaml";
  const std::string inbox = dir / "inbox/bank";
  fs::create_directories(inbox);
  fs::copy_file(kDemo + "/schools.yaml", dir / "schools.yaml");
  copy_tree(std::string(SFMON_SOURCE_DIR) + "/rules/default", dir / "rules");
  write_text(config,
             "database: sfmon.db\n"
             "registry: schools.yaml\n"
             "rules: [rules]\n"
             "connectors:\n"
             "  - {name: bank-inbox, type: bank-files, path: inbox/bank, interval: 1s}\n"
             "api: {listen: \"127.0.0.1:" +
                 std::to_string(port) + "\"}\n");

  const RunResult auditor =
      run_sfmon({"tokens", "add", "--config", config, "--user", "ann", "--role", "auditor"});
  ASSERT_EQ(auditor.exit_code, 0) << auditor.err;
  const std::string token = auditor.out.substr(0, auditor.out.find('\n'));
  ASSERT_EQ(token.size(), 64u) << auditor.out;
  const RunResult publisher =
      run_sfmon({"tokens", "add", "--config", config, "--user", "pat", "--role", "publisher"});
  ASSERT_EQ(publisher.exit_code, 0) << publisher.err;
  const std::string wrong_role = publisher.out.substr(0, publisher.out.find('\n'));
  const RunResult supervisor =
      run_sfmon({"tokens", "add", "--config", config, "--user", "sue", "--role", "supervisor"});
  ASSERT_EQ(supervisor.exit_code, 0) << supervisor.err;
  const std::string supervisor_token = supervisor.out.substr(0, supervisor.out.find('\n'));
  const RunResult listed = run_sfmon({"tokens", "list", "--config", config});
  EXPECT_EQ(listed.out.find(token), std::string::npos) << "tokens are never shown again";
  EXPECT_NE(listed.out.find("ann"), std::string::npos) << listed.out;

  const std::string log = dir / "serve.log";
  auto daemon = start_sfmon({"serve", "--config", config}, log);
  ASSERT_TRUE(eventually(10'000, [&] { return http(port, "GET", "/healthz").status == 200; }))
      << read_text(log);

  // Files dropped while it runs become alerts.
  std::vector<std::string> dropped = drop_statements("43050180123400000702", inbox);
  ASSERT_EQ(dropped.size(), 3u);
  ASSERT_TRUE(eventually(15'000, [&] {
    return has_alert(http(port, "GET", "/api/v1/alerts", token).body, "FUND-ROUNDTRIP", "CS-0107");
  })) << read_text(log);

  // Tokens and roles.
  EXPECT_EQ(http(port, "GET", "/api/v1/alerts").status, 401);
  EXPECT_EQ(http(port, "GET", "/api/v1/alerts", "not-a-token").status, 401);
  EXPECT_EQ(http(port, "GET", "/api/v1/alerts", wrong_role).status, 403);
  EXPECT_EQ(http(port, "POST", "/api/v1/admin/reload", token).status, 403);
  EXPECT_EQ(http(port, "GET", "/api/v1/nothing-here", token).status, 404);

  // Lifecycle over HTTP: supervisors act, the token's user is recorded.
  const auto alerts = Poco::JSON::Parser()
                          .parse(http(port, "GET", "/api/v1/alerts", token).body)
                          .extract<Poco::JSON::Array::Ptr>();
  const std::string alert_path =
      "/api/v1/alerts/" + std::to_string(alerts->getObject(0)->getValue<std::int64_t>("id"));
  EXPECT_EQ(http(port, "POST", alert_path + "/ack", token).status, 403);
  const HttpAnswer acked = http(port, "POST", alert_path + "/ack", supervisor_token);
  EXPECT_EQ(acked.status, 200) << acked.body;
  EXPECT_NE(acked.body.find("\"by\":\"sue\""), std::string::npos) << acked.body;
  EXPECT_NE(acked.body.find("\"status\":\"acknowledged\""), std::string::npos) << acked.body;
  EXPECT_EQ(http(port, "POST", alert_path + "/ack", supervisor_token).status, 409);
  EXPECT_EQ(http(port, "POST", "/api/v1/alerts/999999/ack", supervisor_token).status, 404);
  EXPECT_EQ(http(port, "GET", alert_path + "/ack", supervisor_token).status, 405);

  const HttpAnswer metrics = http(port, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("sfmon_alerts{level=\"red\"} 1"), std::string::npos) << metrics.body;
  EXPECT_NE(
      metrics.body.find("sfmon_records_ingested_total{connector=\"bank-inbox\",kind=\"bank\"}"),
      std::string::npos);

  // A broken pack with SIGHUP: rejected, visible in /readyz, old rules kept.
  write_text(dir / "rules/fund.yaml", "rules: [ {id: FUND-LARGE, level: \n");
  daemon->send_signal(SIGHUP);
  ASSERT_TRUE(eventually(10'000, [&] {
    return http(port, "GET", "/readyz").body.find("\"ok\":false") != std::string::npos;
  })) << read_text(log);
  const HttpAnswer ready = http(port, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << "still running on the previous rules";
  EXPECT_NE(ready.body.find("fund.yaml"), std::string::npos) << ready.body;
  EXPECT_NE(read_text(log).find("reload rejected"), std::string::npos);

  const std::vector<std::string> more = drop_statements("43050180123400000502", inbox);
  ASSERT_FALSE(more.empty());
  dropped.insert(dropped.end(), more.begin(), more.end());
  EXPECT_TRUE(eventually(15'000, [&] {
    return has_alert(http(port, "GET", "/api/v1/alerts", token).body, "FUND-LARGE", "CS-0105");
  })) << read_text(log);

  // SIGTERM: exit 0 in time, every file archived and its records stored.
  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(10'000), 0) << read_text(log);
  const std::vector<std::string> archived = files_in(inbox + "/archive");
  for (const std::string& name : dropped) {
    EXPECT_NE(std::find(archived.begin(), archived.end(), name), archived.end()) << name;
  }
  const RunResult records = run_sfmon({"records", "list", "--config", config, "--format", "json"});
  ASSERT_EQ(records.exit_code, 0) << records.err;
  const auto stored = Poco::JSON::Parser().parse(records.out).extract<Poco::JSON::Array::Ptr>();
  std::size_t accounts_seen = 0;
  for (const std::string account : {"43050180123400000702", "43050180123400000502"}) {
    for (std::size_t i = 0; i < stored->size(); ++i) {
      if (stored->getObject(static_cast<unsigned>(i))->getValue<std::string>("account") ==
          account) {
        ++accounts_seen;
        break;
      }
    }
  }
  EXPECT_EQ(accounts_seen, 2u);
  EXPECT_NE(read_text(log).find("stopped"), std::string::npos);
}

// The value of an unlabelled Prometheus sample, or -1 when it is missing.
long long metric_value(const std::string& text, const std::string& name) {
  const std::size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

// A bearer token of user "sue", a supervisor, in the store of `config`.
std::string add_supervisor_token(const std::string& config) {
  const RunResult added =
      run_sfmon({"tokens", "add", "--config", config, "--user", "sue", "--role", "supervisor"});
  EXPECT_EQ(added.exit_code, 0) << added.err;
  return added.out.substr(0, added.out.find('\n'));
}

// A daemon's folder in `dir`: the demo registry, an empty bank inbox read
// every second, `more_connectors` (YAML list items), the API on `port`, and
// `notifications` (YAML) at the end of its config. Returns the config's path.
std::string write_serve_config(const TempDir& dir, Poco::UInt16 port,
                               const std::string& notifications,
                               const std::string& more_connectors = "") {
  fs::create_directories(dir / "inbox/bank");
  fs::copy_file(kDemo + "/schools.yaml", dir / "schools.yaml");
  std::string config = dir / "sfmon.yaml";
  write_text(config,
             "database: sfmon.db\n"
             "registry: schools.yaml\n"
             "connectors:\n"
             "  - {name: bank-inbox, type: bank-files, path: inbox/bank, interval: 1s}\n" +
                 more_connectors + "api: {listen: \"127.0.0.1:" + std::to_string(port) + "\"}\n" +
                 notifications);
  return config;
}

TEST(ServeE2E, DroppedFilesReachTheSupervisorByEmailAndWebhook) {
  constexpr const char* kSecretEnv = "SFMON_E2E_SERVE_WEBHOOK_SECRET";
  const std::string secret = "serve-秘密";
  ::setenv(kSecretEnv, secret.c_str(), 1);
  TempDir dir;
  SmtpSink smtp(dir / "maildir");
  WebhookReceiver hook({500, 503});  // fails twice, then accepts
  const Poco::UInt16 port = free_port();
  const std::string inbox = dir / "inbox/bank";
  const std::string config = write_serve_config(
      dir, port,
      "notifications:\n"
      "  interval: 1s\n"
      "  retry: {attempts: 5, backoff: 1s, max_backoff: 2s}\n"
      "  channels:\n"
      "    - {name: mail, type: smtp, host: 127.0.0.1, port: " +
          std::to_string(smtp.port()) +
          ", from: sfmon@bureau.example, to: [supervisor@bureau.example]}\n"
          "    - {name: hook, type: webhook, url: \"" +
          hook.url() + "\", secret_env: " + kSecretEnv +
          "}\n"
          "  routes:\n"
          "    - {levels: [orange, red], districts: [开福区], channels: [mail, hook]}\n");
  const std::string token = add_supervisor_token(config);
  ASSERT_EQ(token.size(), 64u);

  const std::string log = dir / "serve.log";
  auto daemon = start_sfmon({"serve", "--config", config}, log);
  ASSERT_TRUE(eventually(10'000, [&] { return http(port, "GET", "/healthz").status == 200; }))
      << read_text(log);
  EXPECT_TRUE(smtp.messages().empty()) << "nothing to tell before the files arrive";

  const std::vector<std::string> dropped = drop_statements("43050180123400000702", inbox);
  ASSERT_EQ(dropped.size(), 3u);
  ASSERT_TRUE(eventually(15'000, [&] {
    return has_alert(http(port, "GET", "/api/v1/alerts", token).body, "FUND-ROUNDTRIP", "CS-0107");
  })) << read_text(log);
  const auto alert = Poco::JSON::Parser()
                         .parse(http(port, "GET", "/api/v1/alerts", token).body)
                         .extract<Poco::JSON::Array::Ptr>()
                         ->getObject(0);
  const std::string alert_id = std::to_string(alert->getValue<std::int64_t>("id"));

  // The email: one notice to the one recipient, with the evidence.
  ASSERT_TRUE(eventually(15'000, [&] { return smtp.messages().size() == 1; })) << read_text(log);
  const Email email = read_email(smtp.messages()[0]);
  EXPECT_EQ(email.to, "<supervisor@bureau.example>");
  EXPECT_NE(email.subject.find("CS-0107"), std::string::npos) << email.subject;
  EXPECT_NE(email.text.find("预警编号：" + alert_id), std::string::npos) << email.text;
  EXPECT_NE(email.text.find("bank:2024111407020001"), std::string::npos) << email.text;

  // The webhook: refused twice, retried with backoff, then accepted; every
  // attempt carries the same signed body.
  ASSERT_TRUE(eventually(20'000, [&] { return hook.requests().size() >= 3; })) << read_text(log);
  const std::vector<HookRequest> requests = hook.requests();
  ASSERT_EQ(requests.size(), 3u) << "accepted on the third attempt, never sent again";
  for (const HookRequest& request : requests) {
    EXPECT_EQ(request.body, requests[0].body);
    EXPECT_EQ(request.signature, "sha256=" + hmac_sha256_hex(secret, request.body));
  }
  const auto notice =
      Poco::JSON::Parser().parse(requests[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(notice->getObject("school")->getValue<std::string>("id"), "CS-0107");
  const auto listed = notice->getArray("alerts");
  ASSERT_EQ(listed->size(), 1u) << requests[0].body;
  EXPECT_EQ(listed->getObject(0)->getValue<std::string>("rule_id"), "FUND-ROUNDTRIP");
  EXPECT_EQ(listed->getObject(0)->getArray("evidence")->size(), 4u);

  // Everything visible in /metrics, the API and the log.
  ASSERT_TRUE(eventually(5'000, [&] {
    return metric_value(http(port, "GET", "/metrics").body, "sfmon_notifications_sent_total") == 2;
  })) << http(port, "GET", "/metrics").body;
  const std::string metrics = http(port, "GET", "/metrics").body;
  EXPECT_EQ(metric_value(metrics, "sfmon_notification_failures_total"), 2) << metrics;
  EXPECT_EQ(metric_value(metrics, "sfmon_notification_dead_letters_total"), 0);
  EXPECT_EQ(http(port, "GET", "/api/v1/deadletters").status, 401);
  const HttpAnswer dead = http(port, "GET", "/api/v1/deadletters", token);
  EXPECT_EQ(dead.status, 200);
  EXPECT_EQ(dead.body, "[]");
  EXPECT_NE(read_text(log).find("notification failed"), std::string::npos) << read_text(log);
  // The files connector's state: in the API and in /metrics.
  const HttpAnswer connectors = http(port, "GET", "/api/v1/connectors", token);
  ASSERT_EQ(connectors.status, 200) << connectors.body;
  const auto states = Poco::JSON::Parser().parse(connectors.body).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(states->size(), 1u) << connectors.body;
  const auto inbox_state = states->getObject(0);
  EXPECT_EQ(inbox_state->getValue<std::string>("source"), "bank-inbox");
  EXPECT_EQ(inbox_state->getValue<std::int64_t>("pages_read"), 3) << "one page per file";
  const std::int64_t read = inbox_state->getValue<std::int64_t>("records_read");
  EXPECT_GT(read, 0);
  EXPECT_EQ(inbox_state->getValue<std::int64_t>("consecutive_failures"), 0);
  EXPECT_FALSE(inbox_state->isNull("last_success"));
  EXPECT_NE(metrics.find("sfmon_connector_records_read_total{connector=\"bank-inbox\"} " +
                         std::to_string(read)),
            std::string::npos)
      << metrics;

  // Nothing changed: no second email after more passes.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(smtp.messages().size(), 1u);
  EXPECT_EQ(hook.requests().size(), 3u);

  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(10'000), 0) << read_text(log);
}

// Runs one SQL statement on the daemon's store from outside, as another
// process (an operator, a broken migration) would.
void run_sql(const std::string& database, const std::string& statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10'000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << statement << ": " << message;
}

// A notification pass that fails as a whole (here: its deliveries table is
// gone) is shown in /readyz and the log, ingest and evaluation go on, and
// once the store is whole again the next pass clears the error and delivers
// the notice of what arrived meanwhile: nothing is lost.
TEST(ServeE2E, FailingNotificationPassIsShownInReadyzAndRetried) {
  TempDir dir;
  WebhookReceiver hook({});  // accepts everything
  const Poco::UInt16 port = free_port();
  const std::string inbox = dir / "inbox/bank";
  const std::string config =
      write_serve_config(dir, port,
                         "notifications:\n"
                         "  interval: 1s\n"
                         "  channels:\n"
                         "    - {name: hook, type: webhook, url: \"" +
                             hook.url() +
                             "\"}\n"
                             "  routes:\n"
                             "    - {levels: [blue, yellow, orange, red], channels: [hook]}\n");
  const std::string token = add_supervisor_token(config);
  ASSERT_EQ(token.size(), 64u);

  const std::string log = dir / "serve.log";
  auto daemon = start_sfmon({"serve", "--config", config}, log);
  ASSERT_TRUE(eventually(10'000, [&] { return http(port, "GET", "/healthz").status == 200; }))
      << read_text(log);
  const auto failing = [&] {
    return http(port, "GET", "/readyz").body.find("notification_error") != std::string::npos;
  };
  EXPECT_FALSE(failing()) << http(port, "GET", "/readyz").body;

  run_sql(dir / "sfmon.db", "ALTER TABLE deliveries RENAME TO deliveries_away");
  ASSERT_TRUE(eventually(10'000, failing)) << read_text(log);
  const HttpAnswer ready = http(port, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << "ingest still works: the daemon stays ready";
  EXPECT_NE(ready.body.find("deliveries"), std::string::npos) << ready.body;
  EXPECT_NE(read_text(log).find("notification pass failed (will retry)"), std::string::npos)
      << read_text(log);

  // Files still become alerts while notices cannot be sent.
  ASSERT_EQ(drop_statements("43050180123400000702", inbox).size(), 3u);
  ASSERT_TRUE(eventually(15'000, [&] {
    return has_alert(http(port, "GET", "/api/v1/alerts", token).body, "FUND-ROUNDTRIP", "CS-0107");
  })) << read_text(log);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(hook.requests().empty());
  EXPECT_TRUE(failing());

  run_sql(dir / "sfmon.db", "ALTER TABLE deliveries_away RENAME TO deliveries");
  ASSERT_TRUE(eventually(10'000, [&] { return !failing(); })) << read_text(log);
  ASSERT_TRUE(eventually(10'000, [&] { return hook.requests().size() == 1; })) << read_text(log);
  const auto notice =
      Poco::JSON::Parser().parse(hook.requests()[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(notice->getObject("school")->getValue<std::string>("id"), "CS-0107");

  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(10'000), 0) << read_text(log);
}

// The value of a one-number query, run on the daemon's store from outside.
std::int64_t query_number(const std::string& database, const std::string& query) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 10'000);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &statement, nullptr), SQLITE_OK) << query;
  std::int64_t value = -1;
  if (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    value = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

// A day's bank statement and its fee records come through two connectors.
// Judged as soon as the bank inbox had stored the statement, the day's
// reconciliation would raise FEE-UNRECONCILED for credits whose fees are on
// their way (the next pass withdrawing it again, after the supervisors were
// told). The daemon waits until the fee inbox has had its pass.
TEST(ServeE2E, BankCreditsAreNotReconciledBeforeTheFeeInboxHadItsPass) {
  TempDir dir;
  const Poco::UInt16 port = free_port();
  fs::create_directories(dir / "inbox/fees");
  // The fee inbox looks once at the start and then not for an hour, so the
  // bank statement is stored while the fees are not yet looked for.
  const std::string config = write_serve_config(
      dir, port, "", "  - {name: fee-inbox, type: fee-files, path: inbox/fees, interval: 1h}\n");
  const std::string database = dir / "sfmon.db";
  const std::string log = dir / "serve.log";
  auto daemon = start_sfmon({"serve", "--config", config}, log);
  ASSERT_TRUE(eventually(10'000, [&] { return http(port, "GET", "/healthz").status == 200; }))
      << read_text(log);

  // CS-0101's statement for September: on 2024-09-03 it holds 14,400.00 of
  // fee credits, so alone it is unreconciled (see `sfmon ingest` of it).
  const std::string statement = "43050180123400000101-202409.csv";
  write_text(dir / "inbox/bank/.part", read_text(kDemo + "/inbox/bank/" + statement));
  fs::rename(dir / "inbox/bank/.part", dir / ("inbox/bank/" + statement));
  ASSERT_TRUE(eventually(10'000, [&] {
    return fs::exists(dir / ("inbox/bank/archive/" + statement));
  })) << read_text(log);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // more passes of the bank inbox
  EXPECT_EQ(query_number(database, "SELECT count(*) FROM alerts"), 0)
      << "judged before the fee inbox had its pass\n"
      << read_text(log);
  EXPECT_GT(query_number(database, "SELECT count(*) FROM evaluation_queue"), 0);

  // The fees arrive; a reload (SIGHUP) runs every connector at once.
  const std::string fees = "CS-0101-202409.csv";
  write_text(dir / "inbox/fees/.part", read_text(kDemo + "/inbox/fees/" + fees));
  fs::rename(dir / "inbox/fees/.part", dir / ("inbox/fees/" + fees));
  daemon->send_signal(SIGHUP);
  ASSERT_TRUE(eventually(15'000, [&] {
    return query_number(database,
                        "SELECT count(*) FROM alerts WHERE rule_id = 'FEE-OVER-CAP' AND "
                        "school_id = 'CS-0101'") == 1;
  })) << read_text(log);
  EXPECT_EQ(query_number(database, "SELECT count(*) FROM evaluation_queue"), 0);
  EXPECT_EQ(
      query_number(database, "SELECT count(*) FROM alerts WHERE rule_id = 'FEE-UNRECONCILED'"), 0)
      << "not even one raised and withdrawn again\n"
      << read_text(log);

  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait_exit(10'000), 0) << read_text(log);
}

TEST(ServeE2E, BrokenPackAtStartupExitsWithUsageCode) {
  TempDir dir;
  const std::string config = dir / "sfmon.yaml";
  write_text(dir / "rules/bad.yaml", "rules: [ {id: X, level: \n");
  write_text(config,
             "database: sfmon.db\n"
             "rules: [rules]\n"
             "api: {listen: \"127.0.0.1:" +
                 std::to_string(free_port()) + "\"}\n");
  auto daemon = start_sfmon({"serve", "--config", config}, dir / "serve.log");
  EXPECT_EQ(daemon->wait_exit(10'000), 2);
  EXPECT_NE(read_text(dir / "serve.log").find("bad.yaml"), std::string::npos)
      << read_text(dir / "serve.log");
}

}  // namespace
}  // namespace sfmon::e2e::serve_e2e_test
