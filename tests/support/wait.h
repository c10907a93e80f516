// Waiting for a condition that another thread or process makes true, with a deadline:
// the tests' alternative to sleeping for a guessed time.
#pragma once

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace crm::testing {

// Checks `condition` every few milliseconds until it holds (true) or `timeout` passes.
inline bool WaitFor(const std::function<bool()>& condition,
                    absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

}  // namespace crm::testing
