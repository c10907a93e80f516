// Time as a seam: domain code and stores read the time from a Clock they are given, never
// from the system, so that tests control it.
//
//   crm::SystemClock clock;            // production
//   crm::ManualClock test_clock(t0);   // tests: test_clock.Advance(absl::Hours(5));
#pragma once

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace crm {

// Source of the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance, for code that is not given a clock of its own.
  static const SystemClock& Instance();
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_ns_(absl::ToUnixNanos(start)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(now_ns_.load()); }
  void Set(absl::Time t) { now_ns_.store(absl::ToUnixNanos(t)); }
  void Advance(absl::Duration d) { now_ns_.fetch_add(absl::ToInt64Nanoseconds(d)); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace crm
