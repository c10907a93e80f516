#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "absl/time/clock.h"

namespace crm::crmctl {

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)), total_(std::max<int64_t>(total, 1)), terminal_(isatty(2) == 1) {
  absl::MutexLock lock(&mutex_);
  if (terminal_) Draw();
}

void Progress::Advance(int64_t by) {
  absl::MutexLock lock(&mutex_);
  done_ = std::min(done_ + by, total_);
  if (terminal_ && absl::Now() - drawn_at_ >= absl::Milliseconds(100)) Draw();
}

void Progress::Finish() {
  absl::MutexLock lock(&mutex_);
  if (finished_) return;
  finished_ = true;
  Draw();
  std::fputc('\n', stderr);
}

void Progress::Draw() {
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(done_ * kWidth / total_);
  std::fprintf(stderr, "%s%-14s [%s%s] %3d%%  %lld/%lld", terminal_ ? "\r" : "", label_.c_str(),
               std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
               static_cast<int>(done_ * 100 / total_), static_cast<long long>(done_),
               static_cast<long long>(total_));
  std::fflush(stderr);
  drawn_at_ = absl::Now();
}

}  // namespace crm::crmctl
