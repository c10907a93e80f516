// EventStore::RequeueLog: the whole log back into the outbox, for a topic that lost it.
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

namespace crm::eventstore {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

absl::StatusOr<uint64_t> EventStore::RequeueLog(std::string_view topic, size_t batch_size) {
  RETURN_IF_ERROR(internal::ValidateName("topic", topic, /*required=*/true));
  if (batch_size == 0) return absl::InvalidArgumentError("batch_size must be at least 1");
  std::unique_ptr<rocksdb::Iterator> log(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->log()));
  // Rows already waiting (unpublished events, or a prefix an interrupted call put back)
  // stay as they are; positions rise in both, so one iterator steps along the other.
  std::unique_ptr<rocksdb::Iterator> outbox(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->outbox()));
  outbox->SeekToFirst();
  internal::OutboxRecord record;
  record.set_topic(std::string(topic));
  crm::v1::EventMetadata metadata;
  uint64_t requeued = 0;
  rocksdb::WriteBatch batch;
  size_t in_batch = 0;
  // Not synced, as the relay's removals are not: a batch lost in a machine crash is put
  // back by the next call, which the next start makes when it finds the topic short.
  auto write_batch = [&]() -> absl::Status {
    if (in_batch == 0) return absl::OkStatus();
    RETURN_IF_ERROR(internal::FromRocks(db_->db()->Write(rocksdb::WriteOptions(), &batch),
                                        "putting the log back into the outbox"));
    commits_->AddOutboxDepth(static_cast<int64_t>(in_batch));
    requeued += in_batch;
    batch.Clear();
    in_batch = 0;
    return absl::OkStatus();
  };
  for (log->SeekToFirst(); log->Valid(); log->Next()) {
    while (outbox->Valid() && outbox->key().compare(log->key()) < 0) outbox->Next();
    if (outbox->Valid() && outbox->key() == log->key()) continue;
    RETURN_IF_ERROR(internal::FromRocks(outbox->status(), "reading the outbox"));
    if (!ParseEventMetadata(log->value().ToStringView(), metadata)) {
      return absl::DataLossError(absl::StrCat("the log holds an unreadable event at position ",
                                              *DecodeUint64(log->key().ToStringView())));
    }
    record.set_key(metadata.customer_id().empty() ? metadata.stream_id() : metadata.customer_id());
    batch.Put(db_->outbox(), log->key(), ToSlice(record.SerializeAsString()));
    if (++in_batch == batch_size) RETURN_IF_ERROR(write_batch());
  }
  RETURN_IF_ERROR(internal::FromRocks(log->status(), "reading the log"));
  RETURN_IF_ERROR(write_batch());
  return requeued;
}

}  // namespace crm::eventstore
