#include "sfmon/connectors/retry_policy.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace sfmon {

bool SystemSleeper::sleep_for(Milliseconds duration) {
  std::this_thread::sleep_for(duration);
  return true;
}

SystemRandom::SystemRandom() : engine_(std::random_device{}()) {}

std::int64_t SystemRandom::uniform(std::int64_t max_inclusive) {
  return std::uniform_int_distribution<std::int64_t>(0, max_inclusive)(engine_);
}

std::string validate(const RetrySettings& settings) {
  if (settings.max_attempts < 1) {
    return "max_attempts must be at least 1 (value " + std::to_string(settings.max_attempts) + ")";
  }
  if (settings.base_delay.count() <= 0) return "base_delay must be positive";
  if (settings.max_delay < settings.base_delay) return "max_delay must not be below base_delay";
  if (settings.max_elapsed.count() <= 0) return "max_elapsed must be positive";
  return "";
}

RetryPolicy::RetryPolicy(RetrySettings settings) : settings_(settings) {
  const std::string problem = validate(settings_);
  if (!problem.empty()) throw std::invalid_argument("retry settings: " + problem);
}

Milliseconds RetryPolicy::ceiling(int retry) const {
  // Doubling stops at the cap, so the shift never overflows.
  Milliseconds bound = settings_.base_delay;
  for (int i = 1; i < retry && bound < settings_.max_delay; ++i) bound *= 2;
  return std::min(bound, settings_.max_delay);
}

RetryRun::RetryRun(const RetryPolicy& policy, Clock& clock, RandomSource& random)
    : policy_(policy), clock_(clock), random_(random), started_(clock.now()) {}

RetryDecision RetryRun::after_failure(std::optional<Milliseconds> server_delay) {
  const RetrySettings& settings = policy_.settings();
  RetryDecision decision;
  if (attempts_ >= settings.max_attempts) {
    decision.reason =
        "gave up after " + std::to_string(attempts_) + (attempts_ == 1 ? " attempt" : " attempts");
    return decision;
  }
  if (server_delay && *server_delay > settings.max_delay) {
    decision.reason = "the server asked to retry after " +
                      std::to_string(server_delay->count() / 1000) + " s, more than the " +
                      std::to_string(settings.max_delay.count() / 1000) + " s allowed";
    return decision;
  }
  const Milliseconds delay =
      server_delay ? std::max(*server_delay, Milliseconds{0})
                   : Milliseconds{random_.uniform(policy_.ceiling(attempts_).count())};
  const auto elapsed = std::chrono::duration_cast<Milliseconds>(clock_.now() - started_) + delay;
  if (elapsed > settings.max_elapsed) {
    decision.reason = "gave up after " + std::to_string(attempts_) +
                      " attempts: the next would start after the " +
                      std::to_string(settings.max_elapsed.count()) + " ms retry budget";
    return decision;
  }
  ++attempts_;
  decision.retry = true;
  decision.delay = delay;
  return decision;
}

}  // namespace sfmon
