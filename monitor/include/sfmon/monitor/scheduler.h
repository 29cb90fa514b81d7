#pragma once
// The daemon's work loop. ConnectorSchedule decides when each connector runs
// (pure, clock injected); IngestWorker is the one thread that pulls,
// ingests, evaluates, notifies and reloads, owning the AppContext and so its
// own SqliteDb connection (sqlite_db.h: one connection per thread).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sfmon/monitor/app_context.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/metrics.h"

namespace sfmon {

// Milliseconds on a monotonic clock (never jumps with the wall clock).
using ScheduleClock = std::function<std::int64_t()>;
std::int64_t steady_now_ms();

struct BackoffPolicy {
  // A failing connector waits interval × 2^failures, but never longer than
  // this (nor shorter than its interval).
  std::int64_t cap_ms = 15 * 60 * 1000;
};

// When each connector is due. A new connector is due at once; one that
// succeeds runs again an interval later; one that fails backs off
// exponentially. Connectors never affect each other. Not thread-safe.
class ConnectorSchedule {
 public:
  explicit ConnectorSchedule(ScheduleClock clock, BackoffPolicy backoff = {});

  // `interval_ms` must be positive; adding a name again replaces it.
  void add(const std::string& name, std::int64_t interval_ms);
  // The connectors due now, in the order they were added.
  std::vector<std::string> due() const;
  void succeeded(const std::string& name);
  void failed(const std::string& name);

  // Milliseconds from now until the next connector is due (0: one is due),
  // or nullopt with no connectors. Throws std::out_of_range for an unknown name
  // in the per-connector getters.
  std::optional<std::int64_t> ms_until_next() const;
  std::int64_t next_run_ms(const std::string& name) const;
  int failures(const std::string& name) const;

 private:
  struct Entry {
    std::string name;
    std::int64_t interval_ms = 0;
    std::int64_t next_run_ms = 0;
    int failures = 0;
  };
  Entry& entry(const std::string& name);
  const Entry& entry(const std::string& name) const;

  ScheduleClock clock_;
  BackoffPolicy backoff_;
  std::vector<Entry> entries_;
};

// When the daemon's next notification pass runs: at once after an evaluation
// changed alerts (a new red alert must not wait for the interval), otherwise
// an interval after the previous pass, which retries due deliveries and
// escalates. The first pass is due at once. Not thread-safe.
class NotificationSchedule {
 public:
  // `interval_ms` must be positive.
  NotificationSchedule(ScheduleClock clock, std::int64_t interval_ms);

  void alerts_changed() { alerts_changed_ = true; }
  bool due() const { return ms_until_due() == 0; }
  // 0 when due.
  std::int64_t ms_until_due() const;
  // A pass ran now.
  void ran();

 private:
  ScheduleClock clock_;
  std::int64_t interval_ms_;
  std::int64_t next_ms_;
  bool alerts_changed_ = false;
};

// When the daemon judges what its connectors stored. One delivery often
// comes through several connectors a moment apart: a day's bank statements
// in one inbox, its fee records in another or from the fee API. Judged after
// the first connector alone, the day's reconciliation of fees against bank
// credits (FEE-UNRECONCILED) fires on credits whose fees are still on their
// way, and supervisors are told of alerts that the next pass withdraws. So,
// as `run-once` judges after every connector, the daemon judges once every
// other connector has completed a pass (successful or not) since the last
// pass that stored something, or `max_wait_ms` after the first store not yet
// judged, whichever comes first: a feed that never goes quiet, or a source
// that keeps failing and backs off, delays judging by at most that much.
// Not thread-safe.
class EvaluationGate {
 public:
  EvaluationGate(ScheduleClock clock, std::int64_t max_wait_ms);

  // Start and reload: the store may hold changes nobody judged yet (a run
  // that stopped, a registry change), so judging is due once every
  // connector in `connectors` has had a pass; at once with none.
  void restart(const std::vector<std::string>& connectors);
  // `connector` completed a pass; `stored` when it stored records.
  void passed(const std::string& connector, bool stored);
  bool due() const;
  // The changes were judged.
  void judged();
  // Judging failed: the changes stay pending until every connector has had
  // another pass, or max_wait_ms from now.
  void retry();

 private:
  void wait_for_others(const std::string& except);

  ScheduleClock clock_;
  std::int64_t max_wait_ms_;
  std::vector<std::string> connectors_;
  std::vector<std::string> waiting_;  // connectors still to pass before judging
  bool pending_ = false;
  std::int64_t pending_since_ms_ = 0;
};

// The errors of a failed load (config, registry, rule pack, database), one
// line each, as the CLI prints them. Call inside a catch block.
std::vector<std::string> describe_load_error(const std::exception_ptr& error);

struct ReloadOutcome {
  bool ok = false;
  std::int64_t at = 0;              // UTC seconds
  std::vector<std::string> errors;  // when !ok; the daemon kept what it had
};

struct WorkerStatus {
  bool running = false;
  std::optional<ReloadOutcome> last_reload;             // none before the first reload
  std::map<std::string, std::string> connector_errors;  // name → last failure, while failing
  std::string notification_error;  // the last notification pass's failure, while failing
};

class IngestWorker {
 public:
  // Builds a fresh, complete AppContext with rules loaded (open_app +
  // load_rules); throws on any problem. Called on the worker thread.
  using Loader = std::function<AppContext()>;
  using Log = std::function<void(const std::string& line)>;

  IngestWorker(Loader loader, Metrics& metrics, Log log, ScheduleClock clock = steady_now_ms,
               BackoffPolicy backoff = {});
  ~IngestWorker();  // stop()
  IngestWorker(const IngestWorker&) = delete;
  IngestWorker& operator=(const IngestWorker&) = delete;

  // Starts the thread on `initial` (already loaded; ownership moves to the
  // worker thread, which alone uses it from now on).
  void start(AppContext initial);
  // Finishes the connector in hand (its files are committed one by one),
  // evaluates what it stored, and joins. Idempotent.
  void stop();

  // Asks for a reload between two connectors (SIGHUP); returns at once.
  void request_reload();
  // The same, waiting up to `timeout` for the outcome (POST /admin/reload);
  // nullopt on timeout (the reload still happens).
  std::optional<ReloadOutcome> reload(std::chrono::milliseconds timeout);

  // The configuration in use (after the last successful load).
  std::shared_ptr<const Config> config() const;
  WorkerStatus status() const;

 private:
  void loop();
  void run_due_connectors();
  struct ConnectorPass {
    bool ok = false;
    bool stored = false;  // records were stored (and marked for judging)
  };
  ConnectorPass run_connector(const ConnectorConfig& connector);
  // Judges the marked changes when evaluation_ says so, or when `stopping`.
  void evaluate_if_due(bool stopping);
  // Whether the pass created, updated or withdrew alerts; nullopt when it
  // failed (logged; the marks stay for the next try).
  std::optional<bool> evaluate();
  // One notification pass (notifier.h): escalations, notices, deliveries.
  void notify();
  void do_reload();
  void reset_schedule();

  Loader loader_;
  Metrics& metrics_;
  Log log_;
  ScheduleClock clock_;
  BackoffPolicy backoff_;

  AppContext app_;  // worker thread only
  // Judging never waits longer than this for the connectors to go quiet.
  static constexpr std::int64_t kMaxJudgingDelayMs = 10 * 60 * 1000;

  ConnectorSchedule schedule_;
  NotificationSchedule notifications_;
  EvaluationGate evaluation_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  bool stop_requested_ = false;
  bool reload_requested_ = false;
  std::int64_t reloads_started_ = 0;
  std::int64_t reloads_done_ = 0;
  std::shared_ptr<const Config> config_;
  WorkerStatus status_;
  std::thread thread_;
};

}  // namespace sfmon
