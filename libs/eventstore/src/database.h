// The RocksDB database of an event store: its column families and the layout of their
// keys. Every key is built here, so the layout is documented in one place:
//
//   log       BE64(position)                        -> serialized event
//   streams   stream NUL BE64(version)              -> BE64(position)
//   heads     stream                                -> HeadRecord
//   outbox    BE64(position)                        -> OutboxRecord (topic and key; the
//                                                      event's bytes are the log's)
//   rows      table NUL key                         -> read-model value, or counters
//                                                      (merged by CounterMergeOperator)
//   requests  request id                            -> RequestRecord
//   consumer  "o" NUL group NUL topic NUL BE64(partition) -> BE64(next offset)
//             "a" NUL source NUL stream NUL         -> BE64(applied version)
//
// Bulk appends write their table files in the subdirectory bulk/ before ingesting them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crm/eventstore/options.h"
#include "rocksdb/db.h"

namespace crm::eventstore::internal {

// RocksDB counts key comparisons, block reads and more into a perf context of each thread
// unless the thread says otherwise, and from a shared library every count first looks the
// thread-local up (__tls_get_addr): a tenth of an unsynced append's time. The store reads
// none of those counts, so a thread reaching the database through it turns them off, once.
void StopPerfCounting();

class Database {
 public:
  static absl::StatusOr<std::unique_ptr<Database>> Open(const StoreOptions& options);
  ~Database();

  // The database, for the calling thread's use (see StopPerfCounting).
  rocksdb::DB* db() const {
    StopPerfCounting();
    return db_.get();
  }
  rocksdb::ColumnFamilyHandle* log() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* streams() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* heads() const { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* outbox() const { return handles_[4]; }
  rocksdb::ColumnFamilyHandle* rows() const { return handles_[5]; }
  rocksdb::ColumnFamilyHandle* requests() const { return handles_[6]; }
  rocksdb::ColumnFamilyHandle* consumer() const { return handles_[7]; }

  static std::string StreamKey(std::string_view stream_id, uint64_t version);
  static std::string StreamPrefix(std::string_view stream_id);
  static std::string RowKey(std::string_view table, std::string_view key);
  static std::string OffsetKey(std::string_view group, std::string_view topic, int32_t partition);
  static std::string AppliedKey(std::string_view source, std::string_view stream_id);
  // The prefixes of a group's offsets and of every applied version.
  static std::string OffsetKey(std::string_view group);
  static std::string AppliedKey();

  // Reads one value; nullopt when absent.
  absl::StatusOr<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* cf,
                                                 std::string_view key) const;

  // Flushes memtables and closes. Idempotent.
  absl::Status Close();

 private:
  Database() = default;

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace crm::eventstore::internal
