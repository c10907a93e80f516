// The writes of the rebuilds: EventStore::Restore puts back events recorded by another copy
// of the store (a rebuild from the topics); ClearTables and WriteRecomputed recompute read
// models from the store's own log.
#include <map>
#include <string_view>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "commit_queue.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "database.h"
#include "names.h"
#include "records.pb.h"
#include "rocks_status.h"
#include "rocksdb/write_batch.h"

namespace crm::eventstore {

using internal::CommitUnit;
using internal::Database;
using internal::KeyWrite;
using internal::ValidateName;

namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// The writes of `rows` and `counters`. A row written several times (a list row rewritten
// by each command of a batch) is written once, with the value it ends with.
absl::Status AddRowWrites(rocksdb::ColumnFamilyHandle* family, std::vector<RowWrite>& rows,
                          const std::vector<CounterAdd>& counters, std::vector<KeyWrite>& writes) {
  std::vector<std::string> row_keys;
  row_keys.reserve(rows.size());
  for (const RowWrite& row : rows) {
    RETURN_IF_ERROR(ValidateName("read-model table", row.table, /*required=*/true));
    row_keys.push_back(Database::RowKey(row.table, row.key));
  }
  std::unordered_set<std::string_view> written;
  written.reserve(row_keys.size());
  for (size_t i = rows.size(); i-- > 0;) {
    if (!written.insert(row_keys[i]).second) continue;
    writes.push_back(KeyWrite{family, row_keys[i], std::move(rows[i].value)});
  }
  for (const CounterAdd& counter : counters) {
    RETURN_IF_ERROR(ValidateName("counter table", counter.table, /*required=*/true));
    writes.push_back(internal::CounterWrite(family, counter));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status EventStore::Restore(RecordedBatch batch) {
  // Each stream's head as the batch leaves it; a state the batch does not give is kept.
  std::map<std::string, StreamHead, std::less<>> heads;
  CommitUnit unit;
  unit.more.reserve(batch.commands.size());
  crm::v1::EventMetadata metadata;
  for (RecordedCommand& command : batch.commands) {
    RETURN_IF_ERROR(ValidateName("stream id", command.stream_id, /*required=*/true));
    RETURN_IF_ERROR(ValidateName("request id", command.request_id, /*required=*/false));
    auto head = heads.find(command.stream_id);
    if (head == heads.end()) {
      ASSIGN_OR_RETURN(StreamHead loaded, LoadHead(command.stream_id));
      head = heads.emplace(command.stream_id, std::move(loaded)).first;
    }
    CommitUnit& part = unit.more.emplace_back();
    part.recorded = true;
    part.stream_id = command.stream_id;
    part.first_version = command.events.empty() ? head->second.version : head->second.version + 1;
    part.last_version = head->second.version + command.events.size();
    for (size_t i = 0; i < command.events.size(); ++i) {
      if (!ParseEventMetadata(command.events[i], metadata) ||
          metadata.stream_id() != command.stream_id ||
          metadata.stream_version() != part.first_version + i) {
        return absl::FailedPreconditionError(
            absl::StrCat("a recorded event of stream ", command.stream_id, " is not its version ",
                         part.first_version + i, " (found stream ", metadata.stream_id(),
                         " version ", metadata.stream_version(), ")"));
      }
      part.recorded_positions.push_back(metadata.global_position());
      part.events.push_back({.type = metadata.event_type(),
                             .payload = std::move(command.events[i]),
                             .customer_id = metadata.customer_id()});
    }
    head->second.version = part.last_version;
    part.request_id = std::move(command.request_id);
    part.response = std::move(command.response);
  }
  // The heads, the rows, the counters and the progress after every event, in the same write.
  for (auto& [stream_id, state] : batch.states) {
    RETURN_IF_ERROR(ValidateName("stream id", stream_id, /*required=*/true));
    auto head = heads.find(stream_id);
    if (head == heads.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("a state is given for stream ", stream_id, ", which no command touches"));
    }
    head->second.state = std::move(state);
  }
  for (const auto& [stream_id, head] : heads) {
    internal::HeadRecord record;
    record.set_version(head.version);
    record.set_state(head.state);
    unit.writes.push_back(KeyWrite{db_->heads(), stream_id, record.SerializeAsString()});
  }
  RETURN_IF_ERROR(AddRowWrites(db_->rows(), batch.rows, batch.counters, unit.writes));
  for (const ConsumerOffset& offset : batch.progress) {
    ASSIGN_OR_RETURN(KeyWrite write, internal::OffsetWrite(db_->consumer(), offset));
    unit.writes.push_back(std::move(write));
  }
  return commits_->Commit(unit);
}

absl::Status EventStore::ClearTables(std::span<const std::string_view> tables,
                                     const ConsumerOffset& progress) {
  rocksdb::WriteBatch batch;
  for (std::string_view table : tables) {
    RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
    const std::string prefix = Database::RowKey(table, "");
    RETURN_IF_ERROR(internal::FromRocks(
        batch.DeleteRange(db_->rows(), ToSlice(prefix), ToSlice(PrefixSuccessor(prefix))),
        "clearing read-model tables"));
  }
  ASSIGN_OR_RETURN(const KeyWrite marker, internal::OffsetWrite(db_->consumer(), progress));
  const std::string next_offset = marker.value.value_or(std::string());
  RETURN_IF_ERROR(internal::FromRocks(batch.Put(db_->consumer(), marker.key, next_offset),
                                      "clearing read-model tables"));
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return internal::FromRocks(db_->db()->Write(synced, &batch), "clearing read-model tables");
}

absl::Status EventStore::WriteRecomputed(RecomputedBatch batch) {
  CommitUnit unit;
  for (auto& [stream_id, state] : batch.states) {
    RETURN_IF_ERROR(ValidateName("stream id", stream_id, /*required=*/true));
    ASSIGN_OR_RETURN(StreamHead head, LoadHead(stream_id));
    if (head.version == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("a state is recomputed for stream ", stream_id, ", which has no event"));
    }
    internal::HeadRecord record;
    record.set_version(head.version);
    record.set_state(std::move(state));
    unit.writes.push_back(KeyWrite{db_->heads(), stream_id, record.SerializeAsString()});
  }
  RETURN_IF_ERROR(AddRowWrites(db_->rows(), batch.rows, batch.counters, unit.writes));
  ASSIGN_OR_RETURN(KeyWrite progress, internal::OffsetWrite(db_->consumer(), batch.progress));
  if (batch.finished) progress.value.reset();
  unit.writes.push_back(std::move(progress));
  return commits_->Commit(unit);
}

}  // namespace crm::eventstore
