#include "commit_queue.h"

#include <algorithm>

#include "crm/base/ids.h"
#include "crm/base/key_encoding.h"
#include "crm/base/parallel_tasks.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/counters.h"
#include "crm/eventstore/event_codec.h"
#include "names.h"
#include "records.pb.h"
#include "rocks_status.h"
#include "rocksdb/write_batch.h"
#include "table_files.h"

namespace crm::eventstore::internal {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

std::string RequestRecordOf(const CommitUnit& unit) {
  RequestRecord record;
  record.set_stream_id(unit.stream_id);
  record.set_first_version(unit.first_version);
  record.set_last_version(unit.last_version);
  record.set_first_position(unit.first_position);
  record.set_last_position(unit.last_position);
  record.set_response(unit.response);
  return record.SerializeAsString();
}

// Where an event goes; its bytes stay in the log alone (the relay reads them there), so an
// append writes each event once.
std::string OutboxRecordOf(const CommitUnit& unit, const PendingEvent& event) {
  OutboxRecord record;
  record.set_topic(unit.outbox_topic);
  record.set_key(event.customer_id.empty() ? unit.stream_id : event.customer_id);
  return record.SerializeAsString();
}

// Composes a unit's events, as their positions are assigned, into the bytes the log
// keeps: the unit's shared metadata with each event's own fields, in one message reused
// for all of them.
class EventComposer {
 public:
  explicit EventComposer(const CommitUnit& unit) : unit_(unit), metadata_(unit.shared_metadata) {}

  // The unit's `index`-th event, at global `position`.
  std::string Compose(size_t index, uint64_t position) {
    const PendingEvent& event = unit_.events[index];
    metadata_.set_event_id(NewUuid());
    metadata_.set_event_type(event.type);
    metadata_.set_stream_version(unit_.first_version + index);
    metadata_.set_customer_id(event.customer_id);
    metadata_.set_global_position(position);
    return ComposeEvent(metadata_, event.payload);
  }

  // The unit's `index`-th event, recorded whole by another copy of the store, at global
  // `position` of this one: as it was when the positions agree (a log rebuilt in its
  // order), else with its metadata's position changed. Valid until the next call.
  std::string_view Recorded(size_t index, uint64_t position) {
    const std::string& bytes = unit_.events[index].payload;
    if (unit_.recorded_positions[index] == position) return bytes;
    crm::v1::EventMetadata metadata;
    if (!ParseEventMetadata(bytes, metadata)) return bytes;
    metadata.set_global_position(position);
    rewritten_ = ComposeEvent(metadata, EventPayload(bytes));
    return rewritten_;
  }

 private:
  const CommitUnit& unit_;
  crm::v1::EventMetadata metadata_;
  std::string rewritten_;
};

// A bulk unit's events are written on several threads once there are this many per thread.
constexpr size_t kEventsPerPart = 50000;

}  // namespace

KeyWrite CounterWrite(rocksdb::ColumnFamilyHandle* rows, const CounterAdd& counter) {
  return KeyWrite{.cf = rows,
                  .key = Database::RowKey(counter.table, counter.key),
                  .value = EncodeCounters(counter.deltas),
                  .merge = true};
}

absl::StatusOr<KeyWrite> OffsetWrite(rocksdb::ColumnFamilyHandle* consumer,
                                     const ConsumerOffset& offset) {
  RETURN_IF_ERROR(ValidateName("consumer group", offset.group, /*required=*/true));
  RETURN_IF_ERROR(ValidateName("topic", offset.topic, /*required=*/true));
  return KeyWrite{consumer, Database::OffsetKey(offset.group, offset.topic, offset.partition),
                  EncodeUint64(static_cast<uint64_t>(offset.next_offset))};
}

CommitQueue::CommitQueue(Database& db, bool sync, size_t max_group_size)
    : db_(db), sync_(sync), max_group_size_(max_group_size == 0 ? 1 : max_group_size) {
  // Resume numbering after the newest event in the log.
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(rocksdb::ReadOptions(), db_.log()));
  it->SeekToLast();
  if (it->Valid()) {
    next_position_ = *DecodeUint64(std::string_view(it->key().data(), it->key().size())) + 1;
  }
  last_position_.store(next_position_ - 1);
  // The outbox depth is counted once at open; afterwards it is kept as rows come and go.
  std::unique_ptr<rocksdb::Iterator> outbox(
      db_.db()->NewIterator(rocksdb::ReadOptions(), db_.outbox()));
  int64_t depth = 0;
  for (outbox->SeekToFirst(); outbox->Valid(); outbox->Next()) ++depth;
  outbox_depth_.store(depth);
}

CommitQueue::~CommitQueue() { Stop(); }

void CommitQueue::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  auto idle = [this]() {
    mu_.AssertReaderHeld();
    return !leader_active_ && queue_.empty();
  };
  mu_.Await(absl::Condition(&idle));
}

absl::Status CommitQueue::Commit(CommitUnit& unit) {
  absl::MutexLock lock(&mu_);
  if (!failed_.ok()) return failed_;
  if (stopping_) return absl::UnavailableError("the event store is closing");
  queue_.push_back(&unit);
  auto done_or_leaderless = [this, &unit]() {
    mu_.AssertReaderHeld();
    return unit.done || !leader_active_;
  };
  while (true) {
    mu_.Await(absl::Condition(&done_or_leaderless));
    if (unit.done) return unit.status;
    // No commit in progress: lead the next group, which holds this unit unless more than a
    // group's worth waited before it.
    leader_active_ = true;
    std::vector<CommitUnit*> group;
    while (!queue_.empty() && group.size() < max_group_size_) {
      const bool bulk = queue_.front()->files != nullptr;
      if (bulk && !group.empty()) break;  // a bulk unit is a group of its own
      group.push_back(queue_.front());
      queue_.pop_front();
      if (bulk) break;
    }
    mu_.Unlock();
    absl::Status status = WriteGroup(group);
    mu_.Lock();
    if (!status.ok() && failed_.ok()) failed_ = status;
    for (CommitUnit* member : group) {
      member->status = status;
      member->done = true;
    }
    leader_active_ = false;
  }
}

uint64_t CommitQueue::WaitForCommit(uint64_t position, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto advanced = [this, position]() {
    mu_.AssertReaderHeld();
    return last_position_.load(std::memory_order_acquire) > position || stopping_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&advanced), timeout);
  return last_position_.load(std::memory_order_acquire);
}

absl::Status CommitQueue::WriteGroup(std::vector<CommitUnit*>& group) {
  // Called by the leader without the mutex; a failure seen before leading is returned by
  // Commit before a unit is queued, and a leader's own failure ends the store's writes.
  if (group.size() == 1 && group.front()->files != nullptr) return WriteIngested(*group.front());
  rocksdb::WriteBatch batch;
  const uint64_t first_position = next_position_;
  uint64_t position = first_position;
  int64_t outbox_added = 0;
  for (CommitUnit* unit : group) {
    outbox_added += AddToBatch(*unit, batch, position);
    for (CommitUnit& part : unit->more) outbox_added += AddToBatch(part, batch, position);
  }
  rocksdb::WriteOptions options;
  options.sync = sync_;
  absl::Status status = FromRocks(db_.db()->Write(options, &batch), "appending to the event store");
  if (!status.ok()) return status;
  Committed(position, outbox_added, position - first_position);
  return absl::OkStatus();
}

int64_t CommitQueue::AddToBatch(CommitUnit& unit, rocksdb::WriteBatch& batch, uint64_t& position) {
  int64_t outbox_added = 0;
  unit.first_position = unit.events.empty() ? 0 : position;
  EventComposer composer(unit);
  for (size_t i = 0; i < unit.events.size(); ++i) {
    const PendingEvent& event = unit.events[i];
    const std::string position_key = EncodeUint64(position);
    batch.Put(db_.streams(), ToSlice(Database::StreamKey(unit.stream_id, unit.first_version + i)),
              ToSlice(position_key));
    if (!unit.outbox_topic.empty()) {
      batch.Put(db_.outbox(), ToSlice(position_key), ToSlice(OutboxRecordOf(unit, event)));
      ++outbox_added;
    }
    if (unit.recorded) {
      batch.Put(db_.log(), ToSlice(position_key), ToSlice(composer.Recorded(i, position)));
    } else {
      batch.Put(db_.log(), ToSlice(position_key), ToSlice(composer.Compose(i, position)));
    }
    ++position;
  }
  unit.last_position = unit.events.empty() ? 0 : position - 1;
  if (!unit.request_id.empty()) {
    batch.Put(db_.requests(), ToSlice(unit.request_id), ToSlice(RequestRecordOf(unit)));
  }
  for (const KeyWrite& write : unit.writes) {
    if (write.merge) {
      batch.Merge(write.cf, ToSlice(write.key), ToSlice(*write.value));
    } else if (write.value.has_value()) {
      batch.Put(write.cf, ToSlice(write.key), ToSlice(*write.value));
    } else {
      batch.Delete(write.cf, ToSlice(write.key));
    }
  }
  return outbox_added;
}

absl::Status CommitQueue::WriteIngested(CommitUnit& unit) {
  // The events are cut into parts of consecutive positions, one per writer thread, each
  // written into files of its own: keys rise in each (positions in the log and the outbox,
  // versions in the stream's index) and the parts' ranges do not overlap. Ingestion is
  // always synced, whatever sync_ says.
  TableFiles& files = *unit.files;
  const uint64_t first = next_position_;
  const size_t count = unit.events.size();
  // No part, and so no empty file, when there is no event.
  const size_t parts =
      std::min((count + kEventsPerPart - 1) / kEventsPerPart, WorkerThreadsForWrites());
  struct Part {
    TableFiles::File* streams = nullptr;
    TableFiles::File* outbox = nullptr;
    TableFiles::File* log = nullptr;
  };
  std::vector<Part> part_files(parts);
  for (Part& part : part_files) {
    ASSIGN_OR_RETURN(part.streams, files.NewFile(db_.streams()));
    if (!unit.outbox_topic.empty()) {
      ASSIGN_OR_RETURN(part.outbox, files.NewFile(db_.outbox()));
    }
    ASSIGN_OR_RETURN(part.log, files.NewFile(db_.log()));
  }
  RETURN_IF_ERROR(RunInParallel(parts, parts, [&](size_t p) -> absl::Status {
    const Part& part = part_files[p];
    EventComposer composer(unit);
    for (size_t i = count * p / parts; i < count * (p + 1) / parts; ++i) {
      PendingEvent& event = unit.events[i];
      const uint64_t position = first + i;
      const std::string position_key = EncodeUint64(position);
      const std::string bytes = composer.Compose(i, position);
      RETURN_IF_ERROR(part.streams->Put(Database::StreamKey(unit.stream_id, unit.first_version + i),
                                        position_key));
      if (part.outbox != nullptr) {
        RETURN_IF_ERROR(part.outbox->Put(position_key, OutboxRecordOf(unit, event)));
      }
      RETURN_IF_ERROR(part.log->Put(position_key, bytes));
      event.payload.clear();
      event.payload.shrink_to_fit();
    }
    return absl::OkStatus();
  }));
  unit.first_position = count == 0 ? 0 : first;
  unit.last_position = count == 0 ? 0 : first + count - 1;
  if (!unit.request_id.empty()) {
    ASSIGN_OR_RETURN(TableFiles::File * requests, files.NewFile(db_.requests()));
    RETURN_IF_ERROR(requests->Put(unit.request_id, RequestRecordOf(unit)));
  }
  RETURN_IF_ERROR(files.Ingest());
  Committed(first + count, unit.outbox_topic.empty() ? 0 : static_cast<int64_t>(count), count);
  return absl::OkStatus();
}

void CommitQueue::Committed(uint64_t next_position, int64_t outbox_added, uint64_t events) {
  next_position_ = next_position;
  outbox_depth_.fetch_add(outbox_added, std::memory_order_relaxed);
  events_appended_.fetch_add(events, std::memory_order_relaxed);
  // Under the mutex, so that WaitForCommit's condition sees the change.
  absl::MutexLock lock(&mu_);
  last_position_.store(next_position - 1, std::memory_order_release);
}

}  // namespace crm::eventstore::internal
