// Runs independent tasks on a few threads, for the large passes a lone thread would make on
// one core: a bulk append's table files written side by side, an evaluation run's
// population gathered in parts.
//
//   RETURN_IF_ERROR(RunInParallel(files.size(), WorkerThreads(), [&](size_t i) {
//     return WriteFile(i);
//   }));
#pragma once

#include <cstddef>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace crm {

// How many threads such a pass runs on: the machine's cores, at most four.
size_t WorkerThreads();

// For passes whose threads wait on the disk as they go (table files written with O_DIRECT):
// twice WorkerThreads(), so that a core whose thread waits for a write runs another.
size_t WorkerThreadsForWrites();

// Calls task(0) … task(count - 1), on up to `threads` threads (the caller's among them),
// and returns when all have returned: OK, or the error of the lowest-numbered task that
// failed. After a failure no further task is started.
absl::Status RunInParallel(size_t count, size_t threads,
                           absl::FunctionRef<absl::Status(size_t)> task);

}  // namespace crm
