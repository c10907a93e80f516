// Plain value types of the event store's API. See event_store.h for how they are used.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "crm/v1/common.pb.h"
#include "google/protobuf/message.h"

namespace crm::eventstore {

// Expected version that skips the optimistic-concurrency check.
inline constexpr uint64_t kAnyVersion = std::numeric_limits<uint64_t>::max();
// Expected version of a stream that must not exist yet.
inline constexpr uint64_t kNoStream = 0;

// One event to append: the full protobuf name of its message and the message serialized
// without its metadata (field 1), which the store stamps.
struct NewEvent {
  std::string type;
  std::string payload;
  // The customer this event is about (its Kafka key and `ce_subject`) when it is not the
  // append's: each event of an evaluation run is about its own customer. Empty: the
  // append's.
  std::string customer_id;

  // Serializes `event` (whose metadata field must be unset) under its full type name.
  static NewEvent From(const google::protobuf::Message& event);
};

// A read-model row to put (value set) or delete (value empty) in `table` at `key`.
struct RowWrite {
  std::string table;
  std::string key;
  std::optional<std::string> value;
};

// Additions to the counters stored in `table` at `key` (see crm/eventstore/counters.h):
// `deltas[i]` is added to the i-th value, a value never counted being 0.
struct CounterAdd {
  std::string table;
  std::string key;
  std::vector<int64_t> deltas;
};

// Who asked for a change and why: stamped on every event it records.
struct CommandContext {
  // The client's request id. A second request with the same id returns the first one's
  // result and records nothing. Empty: no deduplication.
  std::string request_id;
  crm::v1::Actor actor;
  std::string correlation_id;
  std::string causation_id;
  // When the command decided: stamped as every event's `occurred_at`, so that folding the
  // events gives the very state the command computed at that time. Unset: the store's
  // clock when the append is made.
  std::optional<absl::Time> occurred_at;
};

// What one command records, all or nothing, in a single write.
struct AppendRequest {
  std::string stream_id;
  // The stream's version the decision was based on (kAnyVersion: no check).
  uint64_t expected_version = kAnyVersion;
  // The customer the events are about: the Kafka key and `ce_subject`. Empty: stream id.
  std::string customer_id;
  std::vector<NewEvent> events;
  // The aggregate's state after the events; unset keeps the previous state.
  std::optional<std::string> state;
  // Read-model rows written in the same batch.
  std::vector<RowWrite> rows;
  // Counter rows added to in the same batch.
  std::vector<CounterAdd> counters;
  // Topic the events are published to through the outbox; empty: not published.
  std::string topic;
  // Opaque reply kept with the request id and returned to a retry.
  std::string response;
  CommandContext context;
};

// A consumer's progress on one partition: the offset of the next message to read.
struct ConsumerOffset {
  std::string group;
  std::string topic;
  int32_t partition = 0;
  int64_t next_offset = 0;
};

// One command's events as another copy of the store recorded them, put back by a rebuild
// from the topics (see EventStore::Restore): each event whole, its metadata included, and
// the reply a retry of its request id gets.
struct RecordedCommand {
  std::string stream_id;
  // Consecutive versions of the stream.
  std::vector<std::string> events;
  // The request id the events name (empty: none) and the reply it is answered with.
  std::string request_id;
  std::string response;
};

// What a rebuild writes at once: commands in the order of the log that recorded them, and
// what they give together: each stream's state after them, the read-model rows and
// counters, and the offsets the rebuild reached.
struct RecordedBatch {
  std::vector<RecordedCommand> commands;
  // Stream → its state after the batch's commands; a stream not named keeps its state.
  std::vector<std::pair<std::string, std::string>> states;
  std::vector<RowWrite> rows;
  std::vector<CounterAdd> counters;
  std::vector<ConsumerOffset> progress;
};

// What a recompute of read models from the store's own log writes at once (see
// EventStore::WriteRecomputed): streams' states, read-model rows and counters, and how far
// the recompute has read.
struct RecomputedBatch {
  // Stream → its state as of the events recomputed so far; the stream keeps its version.
  std::vector<std::pair<std::string, std::string>> states;
  std::vector<RowWrite> rows;
  std::vector<CounterAdd> counters;
  // Where the next batch starts; with `finished`, this progress is removed instead.
  ConsumerOffset progress;
  bool finished = false;
};

// What an append recorded (or, for a retry, what the first request recorded).
struct AppendResult {
  std::string stream_id;
  // Versions of the first and last event appended; both the stream's version when the
  // command recorded no event.
  uint64_t first_version = 0;
  uint64_t last_version = 0;
  // Global positions of the first and last event; 0 when no event was recorded.
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  std::string response;
  // True when this is the stored result of an earlier request with the same id.
  bool deduplicated = false;
};

// The current version and state of a stream. Version 0: the stream does not exist.
struct StreamHead {
  uint64_t version = 0;
  std::string state;
};

// An event as recorded: its metadata and the full serialized message (metadata included),
// which parses as the message named by metadata.event_type().
struct StoredEvent {
  crm::v1::EventMetadata metadata;
  std::string bytes;
};

// A page of read-model rows in key order.
struct RowPage {
  std::vector<std::pair<std::string, std::string>> rows;
  // Opaque; pass back to get the next page. Empty on the last page.
  std::string next_page_token;
};

// An event waiting in the outbox to be published.
struct OutboxMessage {
  // Position in the outbox (the event's global position); increasing.
  uint64_t id = 0;
  std::string topic;
  std::string key;
  StoredEvent event;
};

// The newest version of another service's stream that a projection has applied.
struct AppliedVersion {
  std::string source;
  std::string stream_id;
  uint64_t version = 0;
};

// What a consumer writes for a batch of messages: the projection's rows, the versions
// applied and the offsets reached, in one write.
struct ConsumedBatch {
  std::vector<RowWrite> rows;
  std::vector<CounterAdd> counters;
  std::vector<AppliedVersion> applied;
  std::vector<ConsumerOffset> offsets;
};

}  // namespace crm::eventstore
