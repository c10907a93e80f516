#include "crm/eventstore/event_store.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "commit_queue.h"
#include "crm/base/key_encoding.h"
#include "crm/base/parallel_tasks.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/counters.h"
#include "crm/eventstore/event_codec.h"
#include "database.h"
#include "google/protobuf/util/time_util.h"
#include "names.h"
#include "records.pb.h"
#include "rocks_status.h"
#include "row_reader_impl.h"
#include "stripe_locks.h"
#include "table_files.h"

namespace crm::eventstore {
namespace {

using internal::CommitUnit;
using internal::CounterWrite;
using internal::Database;
using internal::KeyWrite;
using internal::ValidateName;

// Tag of field 1 (LEN): a payload must not carry the metadata the store stamps.
constexpr char kMetadataTag = 0x0a;

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Where bulk appends write their table files before RocksDB ingests them.
std::string BulkDirectory(const std::string& path) { return path + "/bulk"; }

AppendResult ToResult(const internal::RequestRecord& record) {
  return AppendResult{.stream_id = record.stream_id(),
                      .first_version = record.first_version(),
                      .last_version = record.last_version(),
                      .first_position = record.first_position(),
                      .last_position = record.last_position(),
                      .response = record.response(),
                      .deduplicated = true};
}

absl::StatusOr<StoredEvent> ToStoredEvent(std::string_view bytes) {
  StoredEvent event;
  if (!ParseEventMetadata(bytes, event.metadata)) {
    // The store wrote these bytes itself: unreadable ones mean corruption.
    return absl::DataLossError("the event store holds an event whose metadata cannot be read");
  }
  event.bytes.assign(bytes);
  return event;
}

}  // namespace

NewEvent NewEvent::From(const google::protobuf::Message& event) {
  return NewEvent{.type = event.GetDescriptor()->full_name(), .payload = event.SerializeAsString()};
}

EventStore::EventStore(const StoreOptions& options)
    : options_(options), locks_(std::make_unique<internal::StripeLocks>()) {
  if (options_.clock == nullptr) options_.clock = &SystemClock::Instance();
}

EventStore::~EventStore() { (void)Close(); }

absl::StatusOr<std::unique_ptr<EventStore>> EventStore::Open(const StoreOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("event store path must be set");
  std::unique_ptr<EventStore> store(new EventStore(options));
  ASSIGN_OR_RETURN(store->db_, Database::Open(options));
  // Table files of bulk appends that a crash interrupted were never ingested.
  std::error_code error;
  std::filesystem::remove_all(BulkDirectory(options.path), error);
  if (!error) std::filesystem::create_directories(BulkDirectory(options.path), error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot prepare ", BulkDirectory(options.path),
                                            " for bulk appends: ", error.message()));
  }
  store->commits_ =
      std::make_unique<internal::CommitQueue>(*store->db_, options.sync, options.max_group_size);
  // Published: every event before the outbox's oldest row, or the whole log.
  uint64_t published = store->LastPosition();
  RETURN_IF_ERROR(store->VisitOutbox(
      0, 1, [&](uint64_t id, std::string_view, std::string_view, std::string_view) {
        published = id - 1;
      }));
  store->NotePublished(published);
  return store;
}

void EventStore::NotePublished(uint64_t position) {
  absl::MutexLock lock(&published_mu_);
  published_through_ = std::max(published_through_, position);
}

uint64_t EventStore::PublishedThrough() const {
  absl::MutexLock lock(&published_mu_);
  return published_through_;
}

bool EventStore::WaitForPublished(uint64_t position, absl::Time deadline) const {
  absl::MutexLock lock(&published_mu_);
  // Called by the mutex with it held.
  const auto published = [&] { return published_through_ >= position; };
  return published_mu_.AwaitWithDeadline(absl::Condition(&published), deadline);
}

absl::Status EventStore::Close() {
  if (commits_ != nullptr) commits_->Stop();
  if (db_ == nullptr) return absl::OkStatus();
  absl::Status status = db_->Close();
  return status;
}

absl::StatusOr<AppendResult> EventStore::Append(AppendRequest request) {
  return AppendChecked(std::move(request), Path::kWriteBatch);
}

absl::StatusOr<AppendResult> EventStore::AppendBulk(AppendRequest request) {
  return AppendChecked(std::move(request), Path::kIngestedFiles);
}

absl::StatusOr<AppendResult> EventStore::AppendBulk(AppendRequest request, RowWriter write_rows,
                                                    size_t parts) {
  if (parts == 0) return absl::InvalidArgumentError("a bulk append's rows need at least one part");
  const PartedRows rows{.write = write_rows, .parts = parts};
  return AppendChecked(std::move(request), Path::kIngestedFiles, &rows);
}

absl::StatusOr<AppendResult> EventStore::AppendChecked(AppendRequest request, Path path,
                                                       const PartedRows* write_rows) {
  RETURN_IF_ERROR(ValidateName("stream id", request.stream_id, /*required=*/true));
  RETURN_IF_ERROR(ValidateName("request id", request.context.request_id, /*required=*/false));
  internal::StripeLocks::Guard guard(*locks_, request.stream_id, request.context.request_id);
  if (!request.context.request_id.empty()) {
    ASSIGN_OR_RETURN(auto found, FindRequest(request.context.request_id));
    if (found.has_value()) return *std::move(found);
  }
  ASSIGN_OR_RETURN(StreamHead head, LoadHead(request.stream_id));
  return AppendLocked(std::move(request), head, path, write_rows);
}

absl::StatusOr<AppendResult> EventStore::Execute(std::string_view stream_id,
                                                 const CommandContext& context, Decider decide) {
  RETURN_IF_ERROR(ValidateName("stream id", stream_id, /*required=*/true));
  RETURN_IF_ERROR(ValidateName("request id", context.request_id, /*required=*/false));
  internal::StripeLocks::Guard guard(*locks_, stream_id, context.request_id);
  if (!context.request_id.empty()) {
    ASSIGN_OR_RETURN(auto found, FindRequest(context.request_id));
    if (found.has_value()) return *std::move(found);
  }
  ASSIGN_OR_RETURN(StreamHead head, LoadHead(stream_id));
  ASSIGN_OR_RETURN(AppendRequest request, decide(head));
  request.stream_id = std::string(stream_id);
  // The decider may say when it decided (see CommandContext::occurred_at); the rest of the
  // context is the command's.
  const std::optional<absl::Time> decided_at = request.context.occurred_at;
  request.context = context;
  if (decided_at.has_value()) request.context.occurred_at = decided_at;
  return AppendLocked(std::move(request), head);
}

absl::StatusOr<AppendResult> EventStore::AppendLocked(AppendRequest request, const StreamHead& head,
                                                      Path path, const PartedRows* write_rows) {
  if (request.expected_version != kAnyVersion && request.expected_version != head.version) {
    return absl::AbortedError(absl::StrCat("stream ", request.stream_id, " is at version ",
                                           head.version, ", not the expected ",
                                           request.expected_version));
  }
  RETURN_IF_ERROR(ValidateName("customer id", request.customer_id, /*required=*/false));
  RETURN_IF_ERROR(ValidateName("topic", request.topic, /*required=*/false));
  for (const NewEvent& event : request.events) {
    RETURN_IF_ERROR(ValidateName("event type", event.type, /*required=*/true));
    RETURN_IF_ERROR(ValidateName("event customer id", event.customer_id, /*required=*/false));
    if (!event.payload.empty() && event.payload[0] == kMetadataTag) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", event.type, " must not set its metadata: the store stamps it"));
    }
  }
  for (const RowWrite& row : request.rows) {
    RETURN_IF_ERROR(ValidateName("read-model table", row.table, /*required=*/true));
  }
  for (const CounterAdd& counter : request.counters) {
    RETURN_IF_ERROR(ValidateName("counter table", counter.table, /*required=*/true));
  }

  CommitUnit unit;
  unit.stream_id = request.stream_id;
  unit.first_version = request.events.empty() ? head.version : head.version + 1;
  unit.last_version = head.version + request.events.size();
  unit.request_id = request.context.request_id;
  unit.response = request.response;
  unit.outbox_topic = request.topic;

  crm::v1::EventMetadata& shared = unit.shared_metadata;
  shared.set_stream_id(request.stream_id);
  *shared.mutable_occurred_at() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(request.context.occurred_at.value_or(options_.clock->Now())));
  shared.set_region(options_.region);
  *shared.mutable_actor() = request.context.actor;
  shared.set_correlation_id(request.context.correlation_id.empty()
                                ? request.context.request_id
                                : request.context.correlation_id);
  shared.set_causation_id(request.context.causation_id);
  shared.set_request_id(request.context.request_id);
  shared.set_source(absl::StrCat("crm/", options_.service, "/", options_.region));
  unit.events = std::move(request.events);
  request.events = {};
  for (internal::PendingEvent& event : unit.events) {
    if (event.customer_id.empty()) event.customer_id = request.customer_id;
  }

  if (!unit.events.empty() || request.state.has_value()) {
    internal::HeadRecord record;
    record.set_version(unit.last_version);
    record.set_state(request.state.has_value() ? *request.state : head.state);
    unit.writes.push_back(KeyWrite{db_->heads(), request.stream_id, record.SerializeAsString()});
  }
  // A bulk append's rows go straight into its table files, their keys composed as they
  // are written.
  if (path == Path::kWriteBatch) {
    unit.writes.reserve(unit.writes.size() + request.rows.size());
    for (RowWrite& row : request.rows) {
      unit.writes.push_back(
          KeyWrite{db_->rows(), Database::RowKey(row.table, row.key), std::move(row.value)});
    }
  }
  for (const CounterAdd& counter : request.counters)
    unit.writes.push_back(CounterWrite(db_->rows(), counter));

  std::optional<internal::TableFiles> files;
  if (path == Path::kIngestedFiles) {
    // The rows need no position: they are written now, before the append waits its turn.
    files.emplace(*db_, absl::StrCat(BulkDirectory(options_.path), "/", bulk_appends_++));
    RETURN_IF_ERROR(files->AddUnordered(unit.writes));
    RETURN_IF_ERROR(files->AddRows(db_->rows(), request.rows));
    request.rows = {};
    if (write_rows != nullptr) {
      // The parts share their tables' claims; each writes files of its own.
      const internal::TableFiles::Claimant producer = files->NewClaimant();
      RETURN_IF_ERROR(RunInParallel(write_rows->parts, WorkerThreadsForWrites(), [&](size_t part) {
        internal::TableFiles::RowStream stream(*files, db_->rows(), producer);
        return write_rows->write(stream, part);
      }));
    }
    unit.writes = {};
    unit.files = &*files;
  }
  RETURN_IF_ERROR(commits_->Commit(unit));
  return AppendResult{.stream_id = request.stream_id,
                      .first_version = unit.first_version,
                      .last_version = unit.last_version,
                      .first_position = unit.first_position,
                      .last_position = unit.last_position,
                      .response = std::move(request.response),
                      .deduplicated = false};
}

absl::StatusOr<std::optional<AppendResult>> EventStore::FindRequest(
    std::string_view request_id) const {
  ASSIGN_OR_RETURN(auto value, db_->Get(db_->requests(), request_id));
  if (!value.has_value()) return std::nullopt;
  internal::RequestRecord record;
  if (!record.ParseFromString(*value)) {
    return absl::DataLossError(
        absl::StrCat("request record ", std::string(request_id), " is unreadable"));
  }
  return ToResult(record);
}

absl::StatusOr<StreamHead> EventStore::LoadHead(std::string_view stream_id) const {
  ASSIGN_OR_RETURN(auto value, db_->Get(db_->heads(), stream_id));
  if (!value.has_value()) return StreamHead{};
  internal::HeadRecord record;
  if (!record.ParseFromString(*value)) {
    return absl::DataLossError(
        absl::StrCat("head of stream ", std::string(stream_id), " is unreadable"));
  }
  return StreamHead{.version = record.version(), .state = std::move(*record.mutable_state())};
}

absl::StatusOr<std::vector<StoredEvent>> EventStore::ReadStream(std::string_view stream_id,
                                                                uint64_t from_version,
                                                                size_t max_count) const {
  const std::string prefix = Database::StreamPrefix(stream_id);
  const std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::vector<std::string> position_keys;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(read, db_->streams()));
  for (it->Seek(ToSlice(Database::StreamKey(stream_id, from_version)));
       it->Valid() && position_keys.size() < max_count; it->Next()) {
    position_keys.emplace_back(it->value().data(), it->value().size());
  }
  RETURN_IF_ERROR(internal::FromRocks(it->status(), "reading a stream"));

  std::vector<rocksdb::Slice> keys(position_keys.begin(), position_keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->db()->MultiGet(rocksdb::ReadOptions(), db_->log(), keys.size(), keys.data(), values.data(),
                      statuses.data());
  std::vector<StoredEvent> events;
  events.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    RETURN_IF_ERROR(internal::FromRocks(statuses[i], "reading a stream's event from the log"));
    ASSIGN_OR_RETURN(StoredEvent event, ToStoredEvent(values[i].ToStringView()));
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<std::vector<StoredEvent>> EventStore::ReadLog(uint64_t from_position,
                                                             size_t max_count) const {
  std::vector<StoredEvent> events;
  absl::Status decode_status;
  RETURN_IF_ERROR(ScanLog(from_position, [&](uint64_t, std::string_view bytes) {
    auto event = ToStoredEvent(bytes);
    if (!event.ok()) {
      decode_status = event.status();
      return false;
    }
    events.push_back(*std::move(event));
    return events.size() < max_count;
  }));
  RETURN_IF_ERROR(decode_status);
  return events;
}

absl::Status EventStore::ScanLog(uint64_t from_position,
                                 absl::FunctionRef<bool(uint64_t, std::string_view)> visit) const {
  rocksdb::ReadOptions read;
  // A replay reads each block once: do not evict the hot working set for it.
  read.fill_cache = false;
  read.readahead_size = 2u << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(read, db_->log()));
  for (it->Seek(ToSlice(EncodeUint64(from_position))); it->Valid(); it->Next()) {
    const uint64_t position = *DecodeUint64(it->key().ToStringView());
    if (!visit(position, it->value().ToStringView())) break;
  }
  return internal::FromRocks(it->status(), "reading the global log");
}

uint64_t EventStore::LastPosition() const { return commits_->LastPosition(); }

uint64_t EventStore::WaitForCommit(uint64_t position, absl::Duration timeout) const {
  return commits_->WaitForCommit(position, timeout);
}

uint64_t EventStore::EventsAppended() const { return commits_->EventsAppended(); }

uint64_t EventStore::RocksDbProperty(const std::string& name) const {
  uint64_t value = 0;
  if (!db_->db()->GetAggregatedIntProperty(name, &value)) return 0;
  return value;
}

absl::StatusOr<std::optional<std::string>> EventStore::GetRow(std::string_view table,
                                                              std::string_view key) const {
  RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
  return db_->Get(db_->rows(), Database::RowKey(table, key));
}

absl::StatusOr<RowPage> EventStore::ScanRows(std::string_view table, std::string_view prefix,
                                             std::string_view page_token, size_t page_size) const {
  if (page_size == 0) return absl::InvalidArgumentError("page size must be positive");
  RowPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      VisitRows(table, prefix, page_token, [&](std::string_view key, std::string_view value) {
        page.rows.emplace_back(std::string(key), std::string(value));
        return page.rows.size() < page_size;
      }));
  return page;
}

absl::StatusOr<std::string> EventStore::VisitRows(
    std::string_view table, std::string_view prefix, std::string_view page_token,
    absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const {
  RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
  std::string after;
  if (!page_token.empty() && !absl::WebSafeBase64Unescape(std::string(page_token), &after)) {
    return absl::InvalidArgumentError("page_token is not a token this service issued");
  }
  if (!page_token.empty() && !after.starts_with(prefix)) {
    return absl::InvalidArgumentError("page_token belongs to another query");
  }
  const std::string table_prefix = Database::RowKey(table, "");
  const std::string scan_prefix = Database::RowKey(table, prefix);
  const std::string upper = PrefixSuccessor(scan_prefix);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions read;
  if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(read, db_->rows()));
  it->Seek(ToSlice(page_token.empty() ? scan_prefix : Database::RowKey(table, after)));
  if (!page_token.empty() && it->Valid() &&
      it->key().ToStringView().substr(table_prefix.size()) == after) {
    it->Next();
  }
  std::string token;
  for (; it->Valid(); it->Next()) {
    const std::string_view key = it->key().ToStringView().substr(table_prefix.size());
    if (visit(key, it->value().ToStringView())) continue;
    // The visitor is done: a token when another row follows (the key first copied, since
    // moving the iterator invalidates it).
    const std::string last(key);
    it->Next();
    if (it->Valid()) token = absl::WebSafeBase64Escape(last);
    break;
  }
  RETURN_IF_ERROR(internal::FromRocks(it->status(), "scanning read-model rows"));
  return token;
}

absl::StatusOr<RowReader> EventStore::ReadRows(std::string_view table,
                                               std::string_view prefix) const {
  return ReadRows(table, prefix, "", "");
}

absl::StatusOr<RowReader> EventStore::ReadRows(std::string_view table, std::string_view prefix,
                                               std::string_view from, std::string_view to) const {
  RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
  const std::string scan_prefix = Database::RowKey(table, prefix);
  std::string upper =
      to.empty() ? PrefixSuccessor(scan_prefix) : absl::StrCat(scan_prefix, std::string(to));
  return RowReader(std::make_unique<RowReader::Impl>(
      *db_->db(), db_->rows(), Database::RowKey(table, ""),
      absl::StrCat(scan_prefix, std::string(from)), std::move(upper)));
}

absl::StatusOr<std::vector<std::string>> EventStore::SplitRows(std::string_view table,
                                                               std::string_view prefix,
                                                               size_t parts) const {
  RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
  const std::string scan_prefix = Database::RowKey(table, prefix);
  const std::string upper = PrefixSuccessor(scan_prefix);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(read, db_->rows()));
  it->Seek(ToSlice(scan_prefix));
  if (!it->Valid()) {
    RETURN_IF_ERROR(internal::FromRocks(it->status(), "splitting read-model rows"));
    return std::vector<std::string>{};
  }
  const std::string first(it->key().ToStringView().substr(scan_prefix.size()));
  it->SeekToLast();  // the last key below the upper bound
  if (!it->Valid()) {
    RETURN_IF_ERROR(internal::FromRocks(it->status(), "splitting read-model rows"));
    return std::vector<std::string>{};
  }
  const std::string last(it->key().ToStringView().substr(scan_prefix.size()));
  // The two bytes after the keys' common beginning, as numbers, cut evenly.
  size_t common = 0;
  while (common < first.size() && common < last.size() && first[common] == last[common]) ++common;
  const auto two_bytes = [&](const std::string& key) {
    const auto byte = [&](size_t i) {
      return i < key.size() ? static_cast<uint32_t>(static_cast<unsigned char>(key[i])) : 0u;
    };
    return byte(common) << 8 | byte(common + 1);
  };
  const uint32_t low = two_bytes(first);
  const uint32_t high = two_bytes(last);
  std::vector<std::string> splits;
  for (size_t p = 1; p < parts; ++p) {
    const uint32_t cut = low + static_cast<uint32_t>((uint64_t{high - low} * p) / parts);
    if (cut <= low || (!splits.empty() && cut <= two_bytes(splits.back()))) continue;
    std::string split = first.substr(0, common);
    split.push_back(static_cast<char>(cut >> 8));
    split.push_back(static_cast<char>(cut & 0xff));
    splits.push_back(std::move(split));
  }
  return splits;
}

absl::StatusOr<std::vector<OutboxMessage>> EventStore::ReadOutbox(uint64_t after_id,
                                                                  size_t max_count) const {
  std::vector<OutboxMessage> messages;
  absl::Status decoded;
  RETURN_IF_ERROR(VisitOutbox(
      after_id, max_count,
      [&](uint64_t id, std::string_view topic, std::string_view key, std::string_view bytes) {
        if (!decoded.ok()) return;
        auto event = ToStoredEvent(bytes);
        if (!event.ok()) {
          decoded = event.status();
          return;
        }
        messages.push_back(OutboxMessage{.id = id,
                                         .topic = std::string(topic),
                                         .key = std::string(key),
                                         .event = *std::move(event)});
      }));
  RETURN_IF_ERROR(decoded);
  return messages;
}

absl::Status EventStore::VisitOutbox(
    uint64_t after_id, size_t max_count,
    absl::FunctionRef<void(uint64_t, std::string_view, std::string_view, std::string_view)> visit)
    const {
  // One record reused for every row: protobuf keeps its string buffers between parses, so
  // a batch of thousands of rows allocates almost nothing.
  internal::OutboxRecord record;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->outbox()));
  // Made after the outbox's iterator, the log's sees every event whose row that one sees
  // (both are written in one batch, and the log is never trimmed). Positions rise in both,
  // mostly one after the other: the log's iterator steps along and seeks over a gap.
  std::unique_ptr<rocksdb::Iterator> log(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->log()));
  size_t count = 0;
  for (it->Seek(ToSlice(EncodeUint64(after_id + 1))); it->Valid() && count < max_count;
       it->Next(), ++count) {
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("the outbox holds an unreadable row");
    }
    std::string_view event = record.event();
    if (event.empty()) {
      if (log->Valid()) log->Next();
      if (!log->Valid() || log->key() != it->key()) log->Seek(it->key());
      if (!log->Valid() || log->key() != it->key()) {
        RETURN_IF_ERROR(internal::FromRocks(log->status(), "reading the log for the outbox"));
        return absl::DataLossError("an outbox row names a position missing from the log");
      }
      event = log->value().ToStringView();
    }
    visit(*DecodeUint64(it->key().ToStringView()), record.topic(), record.key(), event);
  }
  return internal::FromRocks(it->status(), "reading the outbox");
}

absl::Status EventStore::RemoveFromOutbox(std::span<const uint64_t> ids) {
  if (ids.empty()) return absl::OkStatus();
  rocksdb::WriteBatch batch;
  for (uint64_t id : ids) batch.Delete(db_->outbox(), ToSlice(EncodeUint64(id)));
  // Not synced: a removal lost in a machine crash only means a resend, which consumers
  // deduplicate anyway.
  RETURN_IF_ERROR(internal::FromRocks(db_->db()->Write(rocksdb::WriteOptions(), &batch),
                                      "clearing the outbox"));
  commits_->AddOutboxDepth(-static_cast<int64_t>(ids.size()));
  return absl::OkStatus();
}

int64_t EventStore::OutboxDepth() const { return commits_->OutboxDepth(); }

absl::Status EventStore::CommitConsumed(const ConsumedBatch& batch) {
  CommitUnit unit;
  for (const RowWrite& row : batch.rows) {
    RETURN_IF_ERROR(ValidateName("read-model table", row.table, /*required=*/true));
    unit.writes.push_back(KeyWrite{db_->rows(), Database::RowKey(row.table, row.key), row.value});
  }
  for (const CounterAdd& counter : batch.counters) {
    RETURN_IF_ERROR(ValidateName("counter table", counter.table, /*required=*/true));
    unit.writes.push_back(CounterWrite(db_->rows(), counter));
  }
  for (const AppliedVersion& applied : batch.applied) {
    RETURN_IF_ERROR(ValidateName("source", applied.source, /*required=*/true));
    RETURN_IF_ERROR(ValidateName("stream id", applied.stream_id, /*required=*/true));
    unit.writes.push_back(KeyWrite{db_->consumer(),
                                   Database::AppliedKey(applied.source, applied.stream_id),
                                   EncodeUint64(applied.version)});
  }
  for (const ConsumerOffset& offset : batch.offsets) {
    ASSIGN_OR_RETURN(KeyWrite write, internal::OffsetWrite(db_->consumer(), offset));
    unit.writes.push_back(std::move(write));
  }
  return commits_->Commit(unit);
}

absl::Status EventStore::ForgetConsumed(std::string_view group,
                                        std::span<const std::string_view> tables) {
  RETURN_IF_ERROR(ValidateName("consumer group", group, /*required=*/true));
  rocksdb::WriteBatch batch;
  auto forget = [&](rocksdb::ColumnFamilyHandle* family, const std::string& prefix) {
    return internal::FromRocks(
        batch.DeleteRange(family, ToSlice(prefix), ToSlice(PrefixSuccessor(prefix))),
        "forgetting consumed events");
  };
  for (std::string_view table : tables) {
    RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
    RETURN_IF_ERROR(forget(db_->rows(), Database::RowKey(table, "")));
  }
  RETURN_IF_ERROR(forget(db_->consumer(), Database::OffsetKey(group)));
  RETURN_IF_ERROR(forget(db_->consumer(), Database::AppliedKey()));
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return internal::FromRocks(db_->db()->Write(synced, &batch), "forgetting consumed events");
}

absl::StatusOr<std::optional<int64_t>> EventStore::LoadConsumerOffset(std::string_view group,
                                                                      std::string_view topic,
                                                                      int32_t partition) const {
  ASSIGN_OR_RETURN(auto value,
                   db_->Get(db_->consumer(), Database::OffsetKey(group, topic, partition)));
  if (!value.has_value()) return std::nullopt;
  return static_cast<int64_t>(*DecodeUint64(*value));
}

absl::StatusOr<uint64_t> EventStore::LoadAppliedVersion(std::string_view source,
                                                        std::string_view stream_id) const {
  ASSIGN_OR_RETURN(auto value, db_->Get(db_->consumer(), Database::AppliedKey(source, stream_id)));
  if (!value.has_value()) return 0;
  return *DecodeUint64(*value);
}

}  // namespace crm::eventstore
