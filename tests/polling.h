#pragma once
// Waiting in a test for what another thread or process does, without a
// fixed sleep: poll until it holds or the time is up.

#include <chrono>
#include <functional>
#include <thread>

namespace sfmon::test_support {

// Polls `done` every `poll_ms` until it holds (true) or `timeout_ms` of
// polling has passed (false). The time `done` itself takes is not counted,
// so a slow check (an HTTP request) never shortens the wait.
inline bool eventually(int timeout_ms, const std::function<bool()>& done, int poll_ms = 100) {
  for (int waited = 0; waited <= timeout_ms; waited += poll_ms) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
  }
  return false;
}

}  // namespace sfmon::test_support
