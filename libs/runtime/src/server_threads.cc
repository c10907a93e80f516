#include "crm/runtime/server_threads.h"

#include "absl/synchronization/mutex.h"

namespace crm::runtime {

void SizeHandlerThreads(grpc::ServerBuilder& builder) {
  constexpr int kMinPollers = 4;
  constexpr int kMaxPollers = 128;
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, kMinPollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kMaxPollers);
}

void SkipMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace crm::runtime
