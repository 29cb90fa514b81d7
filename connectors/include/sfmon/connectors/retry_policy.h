#pragma once
// Retries with exponential backoff and full jitter, for connectors that pull
// from remote sources. Time and randomness come in through small interfaces
// (Clock, Sleeper, RandomSource), so tests drive them without real waits and
// the daemon can wake a sleeping retry when it shuts down.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace sfmon {

using Milliseconds = std::chrono::milliseconds;

// Wall-clock time (UTC). Used for the retry budget and to turn an HTTP-date
// Retry-After into a wait.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
};

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits `duration`. Returns false when the wait was cut short because the
  // caller should stop (e.g. the daemon is shutting down): give up, do not retry.
  virtual bool sleep_for(Milliseconds duration) = 0;
};

// Sleeps the calling thread; never interrupted.
class SystemSleeper final : public Sleeper {
 public:
  bool sleep_for(Milliseconds duration) override;
};

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A uniformly distributed value in [0, max_inclusive].
  virtual std::int64_t uniform(std::int64_t max_inclusive) = 0;
};

// A Mersenne twister seeded from std::random_device. Not thread-safe: one
// per thread.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  std::int64_t uniform(std::int64_t max_inclusive) override;

 private:
  std::mt19937_64 engine_;
};

// The effects a retry loop needs; all borrowed, and they must outlive the
// objects they are given to.
struct RetryContext {
  Clock& clock;
  Sleeper& sleeper;
  RandomSource& random;
};

struct RetrySettings {
  int max_attempts = 4;               // including the first; at least 1
  Milliseconds base_delay{500};       // the first retry waits up to this
  Milliseconds max_delay{30'000};     // cap of one wait, also of a server's Retry-After
  Milliseconds max_elapsed{120'000};  // an operation gives up once its next wait would end later
};

// Empty when `settings` is usable, else what is wrong (one line).
std::string validate(const RetrySettings& settings);

// What to do after a failed, retryable attempt.
struct RetryDecision {
  bool retry = false;
  Milliseconds delay{0};  // wait this long before the next attempt (when retry)
  std::string reason;     // why not (when !retry), e.g. "gave up after 4 attempts"
};

// Full jitter ("Exponential Backoff And Jitter", AWS architecture blog): the
// wait before retry n (n = 1 after the first failure) is uniform in
// [0, min(max_delay, base_delay * 2^(n-1))]. Spreading retries over the whole
// interval keeps many clients from hammering a recovering server in step.
class RetryPolicy {
 public:
  // Throws std::invalid_argument when validate(settings) is not empty.
  explicit RetryPolicy(RetrySettings settings);

  const RetrySettings& settings() const { return settings_; }

  // The upper bound of the wait before retry `retry` (>= 1).
  Milliseconds ceiling(int retry) const;

 private:
  RetrySettings settings_;
};

// One operation's sequence of attempts: create it before the first attempt
// (it notes the start time for max_elapsed) and ask it after each failure.
class RetryRun {
 public:
  RetryRun(const RetryPolicy& policy, Clock& clock, RandomSource& random);

  // After a failed attempt that may be retried. `server_delay` is the wait
  // the server asked for (Retry-After): it replaces the jittered wait, and a
  // server asking for more than max_delay makes the run give up rather than
  // come back early.
  RetryDecision after_failure(std::optional<Milliseconds> server_delay = std::nullopt);

  int attempts() const { return attempts_; }  // attempts made so far

 private:
  const RetryPolicy& policy_;
  Clock& clock_;
  RandomSource& random_;
  std::chrono::system_clock::time_point started_;
  int attempts_ = 1;
};

}  // namespace sfmon
