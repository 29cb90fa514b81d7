#include "sfmon/monitor/scheduler.h"

#include <algorithm>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/http_transport.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/connectors/retry_policy.h"
#include "sfmon/monitor/fee_http_puller.h"
#include "sfmon/monitor/ingest_pipeline.h"
#include "sfmon/monitor/notifier.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/rules/diagnostic.h"

namespace sfmon {

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ConnectorSchedule::ConnectorSchedule(ScheduleClock clock, BackoffPolicy backoff)
    : clock_(std::move(clock)), backoff_(backoff) {}

void ConnectorSchedule::add(const std::string& name, std::int64_t interval_ms) {
  if (interval_ms <= 0) {
    throw std::invalid_argument("connector " + name + ": interval must be positive (" +
                                std::to_string(interval_ms) + " ms)");
  }
  const auto found = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& e) { return e.name == name; });
  Entry fresh{name, interval_ms, clock_(), 0};
  if (found != entries_.end()) {
    *found = fresh;
  } else {
    entries_.push_back(fresh);
  }
}

std::vector<std::string> ConnectorSchedule::due() const {
  const std::int64_t now = clock_();
  std::vector<std::string> names;
  for (const Entry& e : entries_) {
    if (e.next_run_ms <= now) names.push_back(e.name);
  }
  return names;
}

void ConnectorSchedule::succeeded(const std::string& name) {
  Entry& e = entry(name);
  e.failures = 0;
  e.next_run_ms = clock_() + e.interval_ms;
}

void ConnectorSchedule::failed(const std::string& name) {
  Entry& e = entry(name);
  ++e.failures;
  const std::int64_t cap = std::max(backoff_.cap_ms, e.interval_ms);
  std::int64_t delay = e.interval_ms;
  // Doubling stops at the cap, so the shift never overflows.
  for (int i = 0; i < e.failures && delay < cap; ++i) delay *= 2;
  e.next_run_ms = clock_() + std::min(delay, cap);
}

std::optional<std::int64_t> ConnectorSchedule::ms_until_next() const {
  if (entries_.empty()) return std::nullopt;
  std::int64_t earliest = entries_.front().next_run_ms;
  for (const Entry& e : entries_) earliest = std::min(earliest, e.next_run_ms);
  return std::max<std::int64_t>(0, earliest - clock_());
}

std::int64_t ConnectorSchedule::next_run_ms(const std::string& name) const {
  return entry(name).next_run_ms;
}

int ConnectorSchedule::failures(const std::string& name) const {
  return entry(name).failures;
}

ConnectorSchedule::Entry& ConnectorSchedule::entry(const std::string& name) {
  for (Entry& e : entries_) {
    if (e.name == name) return e;
  }
  throw std::out_of_range("no connector named '" + name + "' in the schedule");
}

const ConnectorSchedule::Entry& ConnectorSchedule::entry(const std::string& name) const {
  return const_cast<ConnectorSchedule*>(this)->entry(name);
}

std::vector<std::string> describe_load_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const ConfigError& e) {
    return e.problems();
  } catch (const RegistryError& e) {
    return e.problems();
  } catch (const rules::PackError& e) {
    std::vector<std::string> lines;
    for (const rules::Diagnostic& problem : e.errors()) lines.push_back(problem.to_string());
    return lines;
  } catch (const StoreError& e) {
    return {std::string("database error: ") + e.what()};
  } catch (const std::exception& e) {
    return {e.what()};
  }
}

NotificationSchedule::NotificationSchedule(ScheduleClock clock, std::int64_t interval_ms)
    : clock_(std::move(clock)), interval_ms_(interval_ms), next_ms_(clock_()) {
  if (interval_ms <= 0) {
    throw std::invalid_argument("notifications: interval must be positive (" +
                                std::to_string(interval_ms) + " ms)");
  }
}

std::int64_t NotificationSchedule::ms_until_due() const {
  if (alerts_changed_) return 0;
  return std::max<std::int64_t>(next_ms_ - clock_(), 0);
}

void NotificationSchedule::ran() {
  alerts_changed_ = false;
  next_ms_ = clock_() + interval_ms_;
}

EvaluationGate::EvaluationGate(ScheduleClock clock, std::int64_t max_wait_ms)
    : clock_(std::move(clock)), max_wait_ms_(max_wait_ms) {}

void EvaluationGate::restart(const std::vector<std::string>& connectors) {
  connectors_ = connectors;
  waiting_ = connectors;
  pending_ = true;
  pending_since_ms_ = clock_();
}

void EvaluationGate::passed(const std::string& connector, bool stored) {
  if (stored) {
    if (!pending_) pending_since_ms_ = clock_();
    pending_ = true;
    wait_for_others(connector);
    return;
  }
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), connector), waiting_.end());
}

bool EvaluationGate::due() const {
  return pending_ && (waiting_.empty() || clock_() - pending_since_ms_ >= max_wait_ms_);
}

void EvaluationGate::judged() {
  pending_ = false;
  waiting_.clear();
}

void EvaluationGate::retry() {
  waiting_ = connectors_;
  pending_since_ms_ = clock_();  // and not on every tick once max_wait has passed
}

void EvaluationGate::wait_for_others(const std::string& except) {
  waiting_.clear();
  for (const std::string& name : connectors_) {
    if (name != except) waiting_.push_back(name);
  }
}

namespace {

std::int64_t utc_seconds() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

IngestWorker::IngestWorker(Loader loader, Metrics& metrics, Log log, ScheduleClock clock,
                           BackoffPolicy backoff)
    : loader_(std::move(loader)),
      metrics_(metrics),
      log_(std::move(log)),
      clock_(std::move(clock)),
      backoff_(backoff),
      schedule_(clock_, backoff_),
      notifications_(clock_, NotificationsConfig{}.interval_seconds * 1000),
      evaluation_(clock_, kMaxJudgingDelayMs) {}

IngestWorker::~IngestWorker() {
  stop();
}

void IngestWorker::start(AppContext initial) {
  app_ = std::move(initial);
  reset_schedule();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    config_ = std::make_shared<const Config>(app_.config);
    status_.running = true;
  }
  thread_ = std::thread([this] { loop(); });
}

void IngestWorker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  status_.running = false;
}

void IngestWorker::request_reload() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reload_requested_ = true;
  }
  wake_.notify_all();
}

std::optional<ReloadOutcome> IngestWorker::reload(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  // The first reload to start after this request; one already running may
  // have read the files before they changed.
  const std::int64_t wanted = reloads_started_ + 1;
  reload_requested_ = true;
  wake_.notify_all();
  if (!wake_.wait_for(lock, timeout, [&] { return reloads_done_ >= wanted || stop_requested_; }) ||
      reloads_done_ < wanted) {
    return std::nullopt;
  }
  return status_.last_reload;
}

std::shared_ptr<const Config> IngestWorker::config() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return config_;
}

WorkerStatus IngestWorker::status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

void IngestWorker::reset_schedule() {
  schedule_ = ConnectorSchedule(clock_, backoff_);
  for (const ConnectorConfig& connector : app_.config.connectors) {
    schedule_.add(connector.name, std::int64_t{connector.interval_seconds} * 1000);
  }
  // A reload may change the interval, routes or channels: a pass at once.
  notifications_ = NotificationSchedule(clock_, app_.config.notifications.interval_seconds * 1000);
  std::vector<std::string> names;
  for (const ConnectorConfig& connector : app_.config.connectors) names.push_back(connector.name);
  evaluation_.restart(names);
}

void IngestWorker::loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stop_requested_) {
        lock.unlock();
        evaluate_if_due(true);  // what was stored is judged before the exit
        break;
      }
    }
    bool reload = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      reload = reload_requested_;
      reload_requested_ = false;
      if (reload) ++reloads_started_;
    }
    if (reload) do_reload();
    run_due_connectors();
    evaluate_if_due(false);
    // A new or changed alert is announced at once; otherwise the pass runs on
    // its interval, which also retries failed deliveries and escalates.
    if (notifications_.due()) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        // A stopping daemon judges what it stored (at the top) and leaves
        // the notices to the next start.
        if (stop_requested_) continue;
      }
      notify();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    // Wake at least once a second so a clock that is not the steady clock
    // (tests) is still honoured.
    const std::int64_t wait = std::min<std::int64_t>(
        {schedule_.ms_until_next().value_or(1000), notifications_.ms_until_due(), 1000});
    wake_.wait_for(lock, std::chrono::milliseconds(wait),
                   [&] { return stop_requested_ || reload_requested_; });
  }
}

void IngestWorker::run_due_connectors() {
  const std::vector<std::string> due = schedule_.due();
  if (due.empty()) return;
  for (const std::string& name : due) {
    const auto connector =
        std::find_if(app_.config.connectors.begin(), app_.config.connectors.end(),
                     [&](const ConnectorConfig& c) { return c.name == name; });
    const ConnectorPass pass = run_connector(*connector);
    evaluation_.passed(name, pass.stored);
    if (pass.ok) {
      schedule_.succeeded(name);
      metrics_.set_connector_last_success(name, utc_seconds());
    } else {
      schedule_.failed(name);
      log_("connector " + name + ": failed " + std::to_string(schedule_.failures(name)) +
           " time(s) in a row; next try in " +
           std::to_string(schedule_.next_run_ms(name) - clock_()) + " ms");
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_requested_) break;  // the rest wait for the next start
  }
}

void IngestWorker::evaluate_if_due(bool stopping) {
  if (!stopping && !evaluation_.due()) return;
  const std::optional<bool> changed = evaluate();
  if (!changed) {
    evaluation_.retry();
    return;
  }
  evaluation_.judged();
  if (*changed) notifications_.alerts_changed();
}

IngestWorker::ConnectorPass IngestWorker::run_connector(const ConnectorConfig& connector) {
  std::string failure;
  bool stored = false;
  try {
    if (connector.type == ConnectorType::FeeHttp) {
      PocoHttpTransport transport;
      SystemClock clock;
      SystemSleeper sleeper;
      SystemRandom random;
      FeeHttpPullOptions options;
      options.retry_log = [this](const std::string& message) { log_("warning: " + message); };
      FeeHttpPuller puller(*app_.db, *app_.store, app_.registry, app_.config.zone, transport,
                           RetryContext{clock, sleeper, random}, options);
      const FeeHttpPullReport pulled = puller.pull(connector);
      for (const Warning& warning : pulled.warnings) log_("warning: " + warning.to_string());
      metrics_.add_records_ingested(connector.name, "fee", pulled.added);
      if (pulled.added > 0 || !pulled.ok) {
        log_("connector " + connector.name + ": " + std::to_string(pulled.pages) + " pages, " +
             std::to_string(pulled.added) + " new records");
      }
      failure = pulled.ok ? "" : pulled.error;
      stored = pulled.records_read > 0;  // every record read is marked, new or not
    } else {
      LocalFileSystem fs;
      IngestPipeline pipeline(fs, *app_.db, *app_.store, app_.registry, app_.watchlist,
                              app_.config.zone);
      const char* kind = connector.type == ConnectorType::BankFiles ? "bank" : "fee";
      for (const FileOutcome& outcome : pipeline.drain_inbox(connector)) {
        for (const Warning& warning : outcome.warnings) log_("warning: " + warning.to_string());
        metrics_.add_records_ingested(connector.name, kind, outcome.result.added);
        switch (outcome.verdict) {
          case FileVerdict::Accepted:
            stored = true;
            log_(outcome.path + ": accepted, " + std::to_string(outcome.result.added) + " new");
            break;
          case FileVerdict::Duplicate:
            log_(outcome.path + ": already ingested, nothing added");
            break;
          case FileVerdict::Rejected:
            // Bad input is the file's fault, not the source's: no backoff.
            log_("rejected: " + outcome.error + " (moved to " + outcome.moved_to + ")");
            break;
          case FileVerdict::Failed:
            log_("failed: " + outcome.error);
            failure = outcome.error;
            break;
        }
      }
    }
  } catch (const std::exception& e) {
    // One failing source must not stop the others: logged, backed off.
    failure = e.what();
    log_("connector " + connector.name + ": " + failure);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure.empty()) {
    status_.connector_errors.erase(connector.name);
  } else {
    status_.connector_errors[connector.name] = failure;
  }
  return ConnectorPass{failure.empty(), stored};
}

std::optional<bool> IngestWorker::evaluate() {
  const auto started = std::chrono::steady_clock::now();
  try {
    RuleRunner runner(*app_.db, *app_.pack, app_.registry, app_.listed, app_.config.zone);
    const RunSummary summary = runner.run_pending();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics_.add_rule_evaluations(summary.schools);
    metrics_.observe_evaluation_seconds(took.count());
    if (summary.schools > 0) {
      log_("rules: " + std::to_string(summary.schools) +
           " schools evaluated, alerts: " + std::to_string(summary.merged.new_alerts) + " new, " +
           std::to_string(summary.merged.updated_alerts) + " updated, " +
           std::to_string(summary.merged.withdrawn_alerts) + " withdrawn");
    }
    return summary.merged.new_alerts + summary.merged.updated_alerts +
               summary.merged.withdrawn_alerts >
           0;
  } catch (const std::exception& e) {
    // The marks stay in the queue, so the next pass evaluates them again.
    log_(std::string("evaluation failed (will retry): ") + e.what());
    return std::nullopt;
  }
}

void IngestWorker::notify() {
  notifications_.ran();
  std::string error;
  try {
    const NotifySummary summary = run_notifications(app_);
    for (const std::string& failure : summary.failures) log_("notification failed: " + failure);
    for (const EscalationStep& step : summary.escalations) {
      log_("escalated alert " + std::to_string(step.alert_id) + " (step " +
           std::to_string(step.step) + "): " +
           (step.notified.empty() ? std::string(rules::to_string(step.from_level)) + " -> " +
                                        rules::to_string(step.to_level)
                                  : "notified " + step.notified));
    }
    if (summary.notices_created > 0 || summary.sent > 0 || summary.dead > 0) {
      log_("notices: " + std::to_string(summary.notices_created) + " new; deliveries: " +
           std::to_string(summary.sent) + " sent, " + std::to_string(summary.retrying) +
           " to retry, " + std::to_string(summary.dead) + " dead");
    }
    metrics_.add_notifications(summary.sent, static_cast<std::int64_t>(summary.failures.size()),
                               summary.dead);
    metrics_.add_escalations(static_cast<std::int64_t>(summary.escalations.size()));
  } catch (const std::exception& e) {
    // Nothing of a failed pass is half done (each step commits on its own);
    // the next pass starts over.
    error = e.what();
    log_("notification pass failed (will retry): " + error);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  status_.notification_error = error;
}

void IngestWorker::do_reload() {
  ReloadOutcome outcome;
  outcome.at = utc_seconds();
  try {
    AppContext next = loader_();
    app_ = std::move(next);
    reset_schedule();
    outcome.ok = true;
    log_("reload: configuration, registry and rules reloaded from " + app_.config.file);
  } catch (...) {
    outcome.errors = describe_load_error(std::current_exception());
    for (const std::string& line : outcome.errors) log_("reload rejected: " + line);
    log_("reload rejected: still running on the previous configuration and rules");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (outcome.ok) config_ = std::make_shared<const Config>(app_.config);
    status_.last_reload = outcome;
    ++reloads_done_;
  }
  wake_.notify_all();
}

}  // namespace sfmon
