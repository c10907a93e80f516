// The single writer of an event store. Callers hand it units of work (one command's or
// one consumer batch's rows). The first caller that finds no commit in progress becomes the
// leader: it takes every unit waiting, assigns global positions in order, writes them all
// in one RocksDB WriteBatch with one WAL sync (group commit) and wakes their callers; the
// others wait, and one of them leads the next group. Because one leader at a time assigns
// positions and each group is one atomic write, the global log never has a gap, even after
// a crash; and a lone caller commits on its own thread, without a hand-off. A bulk unit
// (EventStore::AppendBulk) is a group of its own: its leader writes its events into the
// unit's table files and ingests them, instead of a WriteBatch.
//
// Thread-safe. After a failed write, every later unit fails with the same status until the
// store is reopened: the in-memory position counter can no longer be trusted.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "crm/eventstore/types.h"
#include "crm/v1/common.pb.h"
#include "database.h"

namespace crm::eventstore::internal {

class TableFiles;

// A put (value set) or delete of one key, independent of global positions; with `merge`,
// `value` is merged into the key's counters instead.
struct KeyWrite {
  rocksdb::ColumnFamilyHandle* cf = nullptr;
  std::string key;
  std::optional<std::string> value;
  bool merge = false;
};

// The merge that adds `counter`'s deltas to its row.
KeyWrite CounterWrite(rocksdb::ColumnFamilyHandle* rows, const CounterAdd& counter);
// The put that stores a consumer's offset; INVALID_ARGUMENT for a bad group or topic name.
absl::StatusOr<KeyWrite> OffsetWrite(rocksdb::ColumnFamilyHandle* consumer,
                                     const ConsumerOffset& offset);

// An event waiting for its global position: the caller's NewEvent, its customer id filled
// in from the append's (also the Kafka key; when empty, the stream id is). Its metadata is
// composed when it gets a position, from the unit's shared metadata and these fields: a
// bulk append of a million events does not hold a million copies of the stream id, actor
// and source meanwhile, and its events are handed over without being moved one by one.
using PendingEvent = NewEvent;

// Everything one caller commits atomically.
struct CommitUnit {
  // Events of one stream, versions consecutive; may be empty.
  std::string stream_id;
  std::vector<PendingEvent> events;
  // What the unit's events share: stream id, time, region, actor, correlation, causation,
  // request id and source. Each event adds its id, type, version, customer and position.
  crm::v1::EventMetadata shared_metadata;
  std::string outbox_topic;  // empty: the events are not published
  // When set, a RequestRecord with this id and response is written (it needs positions).
  std::string request_id;
  std::string response;
  uint64_t first_version = 0;
  uint64_t last_version = 0;
  // Rows that need no position.
  std::vector<KeyWrite> writes;
  // Set for a bulk unit: its writes are already in these files, and its events and
  // request record join them.
  TableFiles* files = nullptr;
  // The events' payloads are whole events another copy of the store recorded (a rebuild's,
  // EventStore::Restore): they keep their metadata but for the global position, which is
  // this log's.
  bool recorded = false;
  // For recorded events: the global position each had in the log that recorded it.
  std::vector<uint64_t> recorded_positions;
  // Units written together with this one, in the same atomic write (a rebuild's batch of
  // many streams); this unit's own events and writes come first.
  std::vector<CommitUnit> more;

  // Set by the leader that commits the unit, under the queue's mutex.
  absl::Status status;
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  bool done = false;
};

class CommitQueue {
 public:
  CommitQueue(Database& db, bool sync, size_t max_group_size);
  ~CommitQueue();

  // Queues `unit` and blocks until it is durable (or failed); returns its status.
  absl::Status Commit(CommitUnit& unit);

  uint64_t LastPosition() const { return last_position_.load(std::memory_order_acquire); }
  uint64_t WaitForCommit(uint64_t position, absl::Duration timeout) const;
  int64_t OutboxDepth() const { return outbox_depth_.load(std::memory_order_relaxed); }
  void AddOutboxDepth(int64_t delta) { outbox_depth_.fetch_add(delta, std::memory_order_relaxed); }
  uint64_t EventsAppended() const { return events_appended_.load(std::memory_order_relaxed); }

  // Refuses new units and waits for the group in progress. Idempotent.
  void Stop();

 private:
  absl::Status WriteGroup(std::vector<CommitUnit*>& group);
  // Adds `unit`'s events (from `position` on, which it moves on), request record and writes
  // to `batch`; returns how many outbox rows it added.
  int64_t AddToBatch(CommitUnit& unit, rocksdb::WriteBatch& batch, uint64_t& position);
  absl::Status WriteIngested(CommitUnit& unit);
  // After a group's write: moves the counters on and wakes WaitForCommit.
  void Committed(uint64_t next_position, int64_t outbox_added, uint64_t events);

  Database& db_;
  const bool sync_;
  const size_t max_group_size_;

  mutable absl::Mutex mu_;
  std::deque<CommitUnit*> queue_ ABSL_GUARDED_BY(mu_);
  bool leader_active_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failed_ ABSL_GUARDED_BY(mu_);

  // Touched only by the leader of the moment.
  uint64_t next_position_ = 1;

  std::atomic<uint64_t> last_position_{0};
  std::atomic<int64_t> outbox_depth_{0};
  std::atomic<uint64_t> events_appended_{0};
};

}  // namespace crm::eventstore::internal
