// Runs independent tasks on a few threads: a bulk append's table files are written side by
// side, one file per task, on the cores a lone writer would leave idle.
//
//   RETURN_IF_ERROR(RunInParallel(files.size(), WriterThreads(), [&](size_t i) {
//     return WriteFile(i);
//   }));
#pragma once

#include <cstddef>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace crm::eventstore::internal {

// How many threads a bulk append writes its files on: the machine's cores, at most four.
size_t WriterThreads();

// Calls task(0) … task(count - 1), on up to `threads` threads (the caller's among them),
// and returns when all have returned: OK, or the error of the lowest-numbered task that
// failed. After a failure no further task is started.
absl::Status RunInParallel(size_t count, size_t threads,
                           absl::FunctionRef<absl::Status(size_t)> task);

}  // namespace crm::eventstore::internal
