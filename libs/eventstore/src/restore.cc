// EventStore::Restore: events recorded by another copy of the store put back, for a
// rebuild from the topics.
#include <map>

#include "absl/strings/str_cat.h"
#include "commit_queue.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "database.h"
#include "names.h"
#include "records.pb.h"

namespace crm::eventstore {

using internal::CommitUnit;
using internal::Database;
using internal::KeyWrite;
using internal::ValidateName;

absl::Status EventStore::Restore(std::vector<RecordedAppend> appends,
                                 const std::vector<ConsumerOffset>& progress) {
  // The heads the batch moves, so that two appends of one stream follow each other.
  std::map<std::string, StreamHead, std::less<>> heads;
  CommitUnit batch;
  batch.more.reserve(appends.size());
  for (RecordedAppend& append : appends) {
    RETURN_IF_ERROR(ValidateName("stream id", append.stream_id, /*required=*/true));
    RETURN_IF_ERROR(ValidateName("request id", append.request_id, /*required=*/false));
    auto head = heads.find(append.stream_id);
    if (head == heads.end()) {
      ASSIGN_OR_RETURN(StreamHead loaded, LoadHead(append.stream_id));
      head = heads.emplace(append.stream_id, std::move(loaded)).first;
    }
    CommitUnit& unit = batch.more.emplace_back();
    unit.recorded = true;
    unit.stream_id = append.stream_id;
    unit.first_version = append.events.empty() ? head->second.version : head->second.version + 1;
    unit.last_version = head->second.version + append.events.size();
    crm::v1::EventMetadata metadata;
    for (size_t i = 0; i < append.events.size(); ++i) {
      if (!ParseEventMetadata(append.events[i], metadata) ||
          metadata.stream_id() != append.stream_id ||
          metadata.stream_version() != unit.first_version + i) {
        return absl::FailedPreconditionError(
            absl::StrCat("a recorded event of stream ", append.stream_id, " is not its version ",
                         unit.first_version + i, " (found stream ", metadata.stream_id(),
                         " version ", metadata.stream_version(), ")"));
      }
      unit.events.push_back({.type = metadata.event_type(),
                             .payload = std::move(append.events[i]),
                             .customer_id = metadata.customer_id()});
    }
    if (!append.events.empty() || append.state.has_value()) {
      if (append.state.has_value()) head->second.state = *std::move(append.state);
      head->second.version = unit.last_version;
      internal::HeadRecord record;
      record.set_version(head->second.version);
      record.set_state(head->second.state);
      unit.writes.push_back(KeyWrite{db_->heads(), append.stream_id, record.SerializeAsString()});
    }
    for (RowWrite& row : append.rows) {
      RETURN_IF_ERROR(ValidateName("read-model table", row.table, /*required=*/true));
      unit.writes.push_back(
          KeyWrite{db_->rows(), Database::RowKey(row.table, row.key), std::move(row.value)});
    }
    for (const CounterAdd& counter : append.counters) {
      RETURN_IF_ERROR(ValidateName("counter table", counter.table, /*required=*/true));
      unit.writes.push_back(internal::CounterWrite(db_->rows(), counter));
    }
    unit.request_id = std::move(append.request_id);
    unit.response = std::move(append.response);
  }
  for (const ConsumerOffset& offset : progress) {
    RETURN_IF_ERROR(ValidateName("consumer group", offset.group, /*required=*/true));
    RETURN_IF_ERROR(ValidateName("topic", offset.topic, /*required=*/true));
    batch.writes.push_back(
        KeyWrite{db_->consumer(), Database::OffsetKey(offset.group, offset.topic, offset.partition),
                 EncodeUint64(static_cast<uint64_t>(offset.next_offset))});
  }
  return commits_->Commit(batch);
}

}  // namespace crm::eventstore
