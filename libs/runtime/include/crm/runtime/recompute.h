// A service's own read models recomputed from its own log, the events left as they are
// (docs/ARCHITECTURE.md, "Rebuild from the topics"): after a release changed how a read
// model follows from the events, or to repair rows that went wrong. The replayer's tables
// are emptied, then every event of the store's log is replayed in the log's order with the
// same Evolve and Project a rebuild from the topics uses, and each stream's state, the
// rows and the counters are written anew, a batch of events at a time. Request ids keep
// the replies they were answered with.
//
// The first write empties the tables and marks the recompute as under way, each batch
// moves the mark on, and the last removes it: a recompute killed midway and started again
// goes on from its last batch; a process must not serve while the mark is there
// (RecomputeUnderWay).
//
//   ASSIGN_OR_RETURN(RecomputeSummary summary, RecomputeReadModels(store, replayer, {}));
#pragma once

#include <cstdint>
#include <cstdio>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/rebuild.h"

namespace crm::runtime {

struct RecomputeOptions {
  // Events per written batch (each batch one durable write with its progress), and the
  // most bytes of events per batch (as RebuildOptions::batch_bytes); a batch ends at
  // whichever limit it reaches first, and holds at least one command.
  size_t batch_events = 5000;
  size_t batch_bytes = size_t{16} << 20;
  // Where progress lines and the summary go; null: nowhere.
  std::FILE* progress = stdout;
  absl::Duration progress_every = absl::Seconds(5);
};

struct RecomputeSummary {
  // Events replayed by this call (a resumed recompute counts from where it resumed).
  uint64_t events = 0;
  // Commands and streams those events belong to.
  uint64_t commands = 0;
  uint64_t streams = 0;
  // Durable writes they took.
  uint64_t batches = 0;
  bool resumed = false;
  absl::Duration elapsed;
};

absl::StatusOr<RecomputeSummary> RecomputeReadModels(eventstore::EventStore& store,
                                                     EventReplayer& replayer,
                                                     const RecomputeOptions& options);

// Whether a recompute began and has not finished: the store's read models are half made.
absl::StatusOr<bool> RecomputeUnderWay(const eventstore::EventStore& store);

// The summary as the line printed at the end.
std::string RecomputeSummaryLine(const RecomputeSummary& summary);

}  // namespace crm::runtime
