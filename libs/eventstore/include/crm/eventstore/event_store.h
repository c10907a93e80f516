// The event store of a service, on one RocksDB database: event streams, the global log,
// aggregate state, the transactional outbox, read-model rows, request ids for
// deduplication, and consumers' offsets — each command's changes in one atomic, durable
// write.
//
//   ASSIGN_OR_RETURN(auto store, EventStore::Open({.path = "/var/crm/registry"}));
//   ASSIGN_OR_RETURN(AppendResult result, store->Execute(
//       "customer-42", context, [&](const StreamHead& head) -> absl::StatusOr<AppendRequest> {
//         if (head.version != 0) return absl::AlreadyExistsError("customer exists");
//         return AppendRequest{.events = {NewEvent::From(registered)}, .topic = topic};
//       }));
//
// Thread-safe. Appends to one stream are serialised (a lock stripe per stream); appends to
// different streams run concurrently and share one synced write (group commit). Global
// positions are assigned in commit order, so the log has no gap even after a crash.
// After a failed write the store refuses further writes until it is reopened.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "crm/eventstore/options.h"
#include "crm/eventstore/row_reader.h"
#include "crm/eventstore/types.h"

namespace crm::eventstore {

namespace internal {
class Database;
class CommitQueue;
class StripeLocks;
}  // namespace internal

class EventStore {
 public:
  // Decides what a command records, given the stream's head, while the stream is locked.
  // Returns the append (its stream id and context are filled in by Execute, except the
  // time it decided at, context.occurred_at, which it may set; an expected version it sets
  // is checked against the head) or the error to return to the caller. It
  // may read the store but must not append to it: it runs under the stream's lock.
  using Decider = absl::FunctionRef<absl::StatusOr<AppendRequest>(const StreamHead&)>;

  static absl::StatusOr<std::unique_ptr<EventStore>> Open(const StoreOptions& options);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Appends `request` atomically and durably. ABORTED when the stream's version is not
  // `expected_version`; a known request id returns the first result and writes nothing.
  absl::StatusOr<AppendResult> Append(AppendRequest request);

  // Appends `request` as Append does (atomic, durable, the same checks and deduplication),
  // but written as sorted table files that RocksDB ingests at once, bypassing the
  // write-ahead log and the memtables: for appends of hundreds of thousands of rows and
  // events, such as an evaluation run over every customer, which it writes several times
  // faster. Other appends wait while its events are written and the files ingested; its
  // rows are written before, while only its stream is locked.
  absl::StatusOr<AppendResult> AppendBulk(AppendRequest request);

  // Where AppendBulk's producer puts rows as it makes them, straight into the append's
  // table files, instead of holding them all in the request first.
  class RowSink {
   public:
    virtual ~RowSink() = default;
    // Puts `value` at `key` of `table`. Each table's rows must come in rising key order,
    // and a table written here must not be written elsewhere in the append.
    virtual absl::Status Put(std::string_view table, std::string_view key,
                             std::string_view value) = 0;
  };
  // Writes the rows of one part of a bulk append's rows: write_rows(sink, part).
  using RowWriter = absl::FunctionRef<absl::Status(RowSink&, size_t)>;

  // AppendBulk(request), with more rows from `write_rows`, which runs under the stream's
  // lock before the append waits its turn and must not append to the store. It is called
  // once for each of `parts` parts, side by side on up to WorkerThreadsForWrites() threads, each
  // part with a sink of its own. Parts may write the same tables, in the parts' order: a
  // table's keys in part p must all come before its keys in part p + 1. An error it
  // returns, or parts whose keys overlap, fail the append, which then writes nothing.
  absl::StatusOr<AppendResult> AppendBulk(AppendRequest request, RowWriter write_rows,
                                          size_t parts = 1);

  // Loads the stream's head, runs `decide` and appends what it returns, with the stream
  // locked throughout, so that no other command on the stream interleaves. A known request
  // id returns the first result without calling `decide`.
  absl::StatusOr<AppendResult> Execute(std::string_view stream_id, const CommandContext& context,
                                       Decider decide);

  // The stored result of an earlier request, if `request_id` is known.
  absl::StatusOr<std::optional<AppendResult>> FindRequest(std::string_view request_id) const;

  absl::StatusOr<StreamHead> LoadHead(std::string_view stream_id) const;

  // Events of a stream from `from_version` (1 = the first), at most `max_count`.
  absl::StatusOr<std::vector<StoredEvent>> ReadStream(std::string_view stream_id,
                                                      uint64_t from_version,
                                                      size_t max_count) const;

  // Events of the global log from `from_position` (1 = the first), at most `max_count`.
  absl::StatusOr<std::vector<StoredEvent>> ReadLog(uint64_t from_position, size_t max_count) const;

  // Calls `visit(position, bytes)` for every event of the global log from `from_position`
  // in order, without copying, until it returns false: the fast path for rebuilding
  // projections. `bytes` is valid during the call only.
  absl::Status ScanLog(uint64_t from_position,
                       absl::FunctionRef<bool(uint64_t, std::string_view)> visit) const;

  // Position of the newest event committed; 0 when the log is empty.
  uint64_t LastPosition() const;

  // Waits until an event after `position` is committed or `timeout` passes; returns
  // LastPosition().
  uint64_t WaitForCommit(uint64_t position, absl::Duration timeout) const;

  absl::StatusOr<std::optional<std::string>> GetRow(std::string_view table,
                                                    std::string_view key) const;

  // Rows of `table` whose key starts with `prefix`, in key order, `page_size` at most,
  // after the row named by `page_token` (from the previous page; empty: from the start).
  absl::StatusOr<RowPage> ScanRows(std::string_view table, std::string_view prefix,
                                   std::string_view page_token, size_t page_size) const;

  // The same rows, after the row named by `page_token`, handed to `visit` without copying
  // (key within its table, value; valid during the call) until it returns false. Returns
  // the token that resumes after the last row visited, or empty when no row follows it.
  absl::StatusOr<std::string> VisitRows(
      std::string_view table, std::string_view prefix, std::string_view page_token,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const;

  // A reader over the rows of `table` whose key starts with `prefix`, in key order,
  // without copying them: the fast path for a pass over a whole table.
  absl::StatusOr<RowReader> ReadRows(std::string_view table, std::string_view prefix) const;
  // The same over the part of those rows whose key, after `prefix`, is at least `from` and
  // below `to` (no bound when empty): one part of a pass cut by SplitRows.
  absl::StatusOr<RowReader> ReadRows(std::string_view table, std::string_view prefix,
                                     std::string_view from, std::string_view to) const;

  // Up to `parts` - 1 rising keys (after `prefix`) that cut the rows of `table` under
  // `prefix` into `parts` ranges of about equal width, for a pass over them on several
  // threads. Estimated from the first and last keys alone, without reading the rest: the
  // ranges are even when keys are spread evenly (sequential or random ids), and only
  // uneven otherwise. Empty when there are too few rows to cut.
  absl::StatusOr<std::vector<std::string>> SplitRows(std::string_view table,
                                                     std::string_view prefix, size_t parts) const;

  // The oldest outbox messages with an id above `after_id`, at most `max_count`.
  absl::StatusOr<std::vector<OutboxMessage>> ReadOutbox(uint64_t after_id, size_t max_count) const;
  // The same without copying: calls `visit(id, topic, key, event bytes)` for each; the
  // views are valid during the call only. The relay's hot path.
  absl::Status VisitOutbox(
      uint64_t after_id, size_t max_count,
      absl::FunctionRef<void(uint64_t, std::string_view, std::string_view, std::string_view)> visit)
      const;
  // Removes delivered messages from the outbox.
  absl::Status RemoveFromOutbox(std::span<const uint64_t> ids);
  // Messages in the outbox now.
  int64_t OutboxDepth() const;
  // Puts every event of the log that is not waiting in the outbox back into it for
  // `topic`, keyed as its append was (its customer, else its stream), so that the relay
  // publishes the whole log again, in order, with the events' own ids: for a topic that
  // lost what it held. Writes `batch_size` positions at a time, each batch in one write,
  // so that an interrupted call has put back a prefix and a second call completes it.
  // Call before the relay starts: it reads the outbox from the start only then. Returns
  // how many events it put back.
  absl::StatusOr<uint64_t> RequeueLog(std::string_view topic, size_t batch_size = 10'000);

  // Puts back events recorded by another copy of this store (read from the service's
  // topic by a rebuild): the batch's commands in their order, each with its request id and
  // reply, the streams' states, the rows and counters and the rebuild's progress, in one
  // durable write, each stream's head written once. An event keeps its bytes, but for its
  // global position, which is this log's; nothing goes to the outbox (the events are on
  // their topic already). FAILED_PRECONDITION, with nothing written, when an event is not
  // the next version of its stream or names another stream. Call while no command runs:
  // the streams are not locked.
  absl::Status Restore(RecordedBatch batch);

  // Empties `tables` (their rows and counters) and stores `progress` in one durable write:
  // the start of a recompute of read models from the log, which the progress marks as
  // under way until its last batch. Call while no command runs.
  absl::Status ClearTables(std::span<const std::string_view> tables,
                           const ConsumerOffset& progress);
  // Writes a batch of that recompute in one durable write: each stream's state keeps its
  // version (FAILED_PRECONDITION for a stream with no event), rows in their order (the last
  // write of a key wins), counters, and the progress. Events, replies and the outbox stay
  // as they are. Call while no command runs: the streams are not locked.
  absl::Status WriteRecomputed(RecomputedBatch batch);

  // Writes a consumer's batch (rows, applied versions, offsets) in one durable write.
  absl::Status CommitConsumed(const ConsumedBatch& batch);
  // Forgets what the consumers of `group` applied: every row of `tables` (the projections
  // of other services' topics), the group's offsets and every applied version, in one
  // durable write, so that the consumers read their topics again from the start and make
  // the projections anew (after a release changed how one is made). Call before a consumer
  // of the group starts.
  absl::Status ForgetConsumed(std::string_view group, std::span<const std::string_view> tables);
  // The next offset stored for a partition; nullopt when none is stored.
  absl::StatusOr<std::optional<int64_t>> LoadConsumerOffset(std::string_view group,
                                                            std::string_view topic,
                                                            int32_t partition) const;
  // The newest version of `stream_id` from `source` applied; 0 when none.
  absl::StatusOr<uint64_t> LoadAppliedVersion(std::string_view source,
                                              std::string_view stream_id) const;

  // Events appended since the store was opened.
  uint64_t EventsAppended() const;

  // Writes acknowledged by Kafka. The relay tells the store how far the broker has
  // confirmed the log (every event up to `position`); the mark only rises. At open it is
  // the position before the outbox's oldest row (everything else was published before).
  void NotePublished(uint64_t position);
  uint64_t PublishedThrough() const;
  // Waits until every event up to `position` is published or `deadline` passes; returns
  // whether they are.
  bool WaitForPublished(uint64_t position, absl::Time deadline) const;
  // Whether commands are acknowledged only once published (StoreOptions).
  bool acknowledges_when_published() const { return options_.acknowledge_when_published; }
  absl::Duration publication_timeout() const { return options_.publication_timeout; }

  // A RocksDB integer property summed over the store's column families (for example
  // "rocksdb.estimate-live-data-size"); 0 when unknown.
  uint64_t RocksDbProperty(const std::string& name) const;

  // Stops the commit thread, flushes memtables and closes RocksDB. Idempotent; called by
  // the destructor.
  absl::Status Close();

 private:
  explicit EventStore(const StoreOptions& options);

  enum class Path { kWriteBatch, kIngestedFiles };
  // `write_rows` is only for kIngestedFiles.
  // The producer of a bulk append's further rows, and in how many parts it writes them.
  struct PartedRows {
    RowWriter write;
    size_t parts;
  };
  absl::StatusOr<AppendResult> AppendChecked(AppendRequest request, Path path,
                                             const PartedRows* write_rows = nullptr);
  absl::StatusOr<AppendResult> AppendLocked(AppendRequest request, const StreamHead& head,
                                            Path path = Path::kWriteBatch,
                                            const PartedRows* write_rows = nullptr);

  StoreOptions options_;
  std::unique_ptr<internal::Database> db_;
  std::unique_ptr<internal::CommitQueue> commits_;
  std::unique_ptr<internal::StripeLocks> locks_;
  // Numbers the table files of bulk appends.
  std::atomic<uint64_t> bulk_appends_{0};
  mutable absl::Mutex published_mu_;
  uint64_t published_through_ ABSL_GUARDED_BY(published_mu_) = 0;
};

}  // namespace crm::eventstore
