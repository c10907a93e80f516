// A service's store rebuilt from its own events topic (docs/ARCHITECTURE.md, "Rebuild from
// the topics"): every event the service published is read back in the log's order and
// put into the store with what it gives (the stream's state, the read-model rows and
// counters, the reply a retry of its request gets), computed by the service's domain, the
// same Evolve and Project its commands use, once per stream and batch. Nothing goes to the
// outbox. Batches are written with the offsets they reach, so a rebuild killed midway and
// started again goes on where its last batch ended; events already in the store (a resend
// on the topic, a batch read again) are skipped by stream version.
//
//   RegistryReplayer replayer(vault);
//   ASSIGN_OR_RETURN(RebuildSummary summary,
//                    RebuildOwnEvents(store, replayer, {.topic = {.brokers = b, .topic = t}}));
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/topic_log_reader.h"

namespace crm::runtime {

// One command's events on a stream, as recorded (each with its metadata).
using RecordedEvents = std::vector<eventstore::StoredEvent>;

// What one command gives besides the stream's state.
struct ReplayedCommand {
  std::vector<eventstore::RowWrite> rows;
  std::vector<eventstore::CounterAdd> counters;
  // The serialized reply the command gave, for a retry of its request id.
  std::string reply;
};

// What a run of a stream's commands gives (see EventReplayer::Replay).
struct Replayed {
  // The stream's state after the commands; unset: unchanged.
  std::optional<std::string> state;
  // One per command, in their order.
  std::vector<ReplayedCommand> commands;
};

// A service's domain as a rebuild needs it.
class EventReplayer {
 public:
  virtual ~EventReplayer() = default;
  // What `commands` give to a stream at `head`: consecutive commands of the stream, each
  // the events it recorded (consecutive versions, the first after head.version). The same
  // Evolve and Project as the command path; the state is decoded and encoded once for
  // the run.
  virtual absl::StatusOr<Replayed> Replay(const eventstore::StreamHead& head,
                                          std::span<const RecordedEvents> commands) = 0;
  // Every table and counter table Replay writes: the read models the service's own events
  // give, which a recompute from the log empties first (crm/runtime/recompute.h).
  virtual std::vector<std::string_view> Tables() const = 0;
};

// Replays `commands` in order, each with `replay`: the outcomes, the state left unset
// (the caller sets it when its stream keeps one).
absl::StatusOr<Replayed> ReplayEachCommand(
    std::span<const RecordedEvents> commands,
    absl::FunctionRef<absl::StatusOr<ReplayedCommand>(const RecordedEvents&)> replay);

struct RebuildOptions {
  // The service's own events topic and how to reach it.
  kafka::TopicLogReaderOptions topic;
  // Events per written batch (each batch one durable write with its offsets).
  size_t batch_events = 5000;
  // Most bytes of events per batch: a batch ends at whichever limit it reaches first, so
  // that large events (an evaluation run's result parts, up to 256 kB and two rows per
  // customer each) do not make one write of millions of rows.
  size_t batch_bytes = size_t{16} << 20;
  // Where progress lines and the summary go; null: nowhere.
  std::FILE* progress = stdout;
  // Least time between two progress lines (the first comes after the first batch).
  absl::Duration progress_every = absl::Seconds(5);
};

// A stream whose events stop short: a version missing on the topic, with later ones there.
struct StreamGap {
  std::string stream_id;
  // The version the stream was restored to, and the first later version the topic holds.
  uint64_t restored_to = 0;
  uint64_t next_found = 0;
};

struct RebuildSummary {
  // Messages read from the topic, events put into the store, and messages skipped as
  // already there (resends, or a batch read again after an interruption).
  uint64_t messages_read = 0;
  uint64_t events_restored = 0;
  uint64_t duplicates = 0;
  // Streams the restored events belong to, and request ids recorded with their replies.
  uint64_t streams = 0;
  uint64_t requests = 0;
  // Durable writes the restored events took.
  uint64_t batches = 0;
  std::vector<StreamGap> gaps;
  absl::Duration elapsed;
};

// The consumer group under which a rebuild stores its offsets.
inline constexpr char kRebuildGroup[] = "crm-rebuild";

// Rebuilds `store`'s own events from the topic, and prints progress and the summary to
// options.progress. FAILED_PRECONDITION when the store already holds events it did not
// get from a rebuild (a rebuild fills an empty data directory, or finishes its own).
absl::StatusOr<RebuildSummary> RebuildOwnEvents(eventstore::EventStore& store,
                                                EventReplayer& replayer,
                                                const RebuildOptions& options);

// The summary as the line printed at the end.
std::string SummaryLine(const RebuildSummary& summary);

}  // namespace crm::runtime
