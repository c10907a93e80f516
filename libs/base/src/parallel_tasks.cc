#include "crm/base/parallel_tasks.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace crm {

size_t WorkerThreads() { return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4); }

size_t WorkerThreadsForWrites() { return 2 * WorkerThreads(); }

absl::Status RunInParallel(size_t count, size_t threads,
                           absl::FunctionRef<absl::Status(size_t)> task) {
  std::vector<absl::Status> statuses(count);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (size_t i = next++; i < count && !failed.load(); i = next++) {
      statuses[i] = task(i);
      if (!statuses[i].ok()) failed.store(true);
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < std::min(threads, count); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  for (absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace crm
