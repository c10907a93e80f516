#pragma once

#include "grpcpp/server_builder.h"

namespace crm::runtime {

// Sizes the gRPC sync server's handler threads for handlers that block on a WAL sync.
//
// gRPC's default keeps at most two idle pollers: each thread beyond that exits when its
// call ends and a new one is spawned for the next call, so under load most of the CPU goes
// to creating and tearing down threads. Keeping up to 128 lets a thread that waited on a
// sync serve the next call. bench/RESULTS.md ("Registry under gRPC load") has the figures.
void SizeHandlerThreads(grpc::ServerBuilder& builder);

// Turns off abseil's mutex deadlock detection in this process. Debian's abseil is built
// with it on: every absl::Mutex (gRPC makes several per call) is entered into a global lock
// graph when first held and taken out again when destroyed, under one global lock. Tests
// keep it on, where it reports lock-order inversions; a serving process skips the cost.
void SkipMutexDeadlockDetection();

}  // namespace crm::runtime
