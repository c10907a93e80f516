// A progress bar on stderr for long loads, safe to advance from several threads:
//
//   registry      [##########..........]  50%  1000/2000
//
// Redrawn at most ten times a second on a terminal; elsewhere (a log, CI) one line per
// finished step.
#pragma once

#include <cstdint>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace crm::crmctl {

class Progress {
 public:
  Progress(std::string label, int64_t total);
  ~Progress() { Finish(); }

  void Advance(int64_t by = 1);
  // Draws the final state and ends the line (once).
  void Finish();

 private:
  void Draw() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::string label_;
  const int64_t total_;
  const bool terminal_;
  absl::Mutex mutex_;
  int64_t done_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Time drawn_at_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace crm::crmctl
