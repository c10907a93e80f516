#include "database.h"

#include "counter_merge.h"
#include "crm/base/key_encoding.h"
#include "rocks_status.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/perf_level.h"
#include "rocksdb/table.h"
#include "rocksdb/write_buffer_manager.h"

namespace crm::eventstore::internal {
namespace {

// Order matters: the accessors index handles_ by it.
constexpr const char* kColumnFamilies[] = {"default", "log",  "streams",  "heads",
                                           "outbox",  "rows", "requests", "consumer"};

rocksdb::ColumnFamilyOptions FamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache,
                                           bool point_lookups) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  if (point_lookups) {
    // Heads, requests and rows are read by key: a Bloom filter skips files without it.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kNoCompression;
  if (point_lookups) {
    // Every command looks up its request id, which is almost always new: a Bloom filter on
    // the memtable answers those misses without searching it.
    options.memtable_whole_key_filtering = true;
    options.memtable_prefix_bloom_size_ratio = 0.05;
  }
  return options;
}

}  // namespace

void StopPerfCounting() {
  thread_local bool stopped = false;
  if (stopped) return;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  stopped = true;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const StoreOptions& options) {
  const std::string& path = options.path;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // Keep RocksDB's own LOG files small; the service logs what matters.
  db_options.keep_log_file_num = 3;
  db_options.max_log_file_size = 8u << 20;

  std::shared_ptr<rocksdb::Cache> cache;
  if (options.shared != nullptr) {
    cache = options.shared->cache();
    db_options.write_buffer_manager = options.shared->write_buffers();
  } else {
    cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kColumnFamilies) {
    const std::string_view n = name;
    const bool point_lookups = n == "heads" || n == "requests" || n == "rows" || n == "consumer";
    descriptors.emplace_back(name, FamilyOptions(cache, point_lookups));
    // Counter rows are added to by merging (crm/eventstore/counters.h); other rows are
    // only put and deleted, which the operator never sees.
    if (n == "rows") {
      descriptors.back().options.merge_operator = CounterMergeOperator();
      // A busy counter (a region's month) gets thousands of additions between flushes; a
      // read would fold them all. Past this many, the write folds them into one value.
      descriptors.back().options.max_successive_merges = 64;
    }
  }

  std::unique_ptr<Database> database(new Database());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status =
      rocksdb::DB::Open(db_options, path, descriptors, &database->handles_, &raw);
  if (!status.ok()) return FromRocks(status, "opening the event store at " + path);
  database->db_.reset(raw);
  return database;
}

Database::~Database() { (void)Close(); }

absl::Status Database::Close() {
  if (db_ == nullptr) return absl::OkStatus();
  rocksdb::FlushOptions flush;
  rocksdb::Status status = db_->Flush(flush, handles_);
  for (auto* handle : handles_) {
    rocksdb::Status s = db_->DestroyColumnFamilyHandle(handle);
    if (status.ok()) status = s;
  }
  handles_.clear();
  rocksdb::Status close = db_->Close();
  if (status.ok()) status = close;
  db_.reset();
  return FromRocks(status, "closing the event store");
}

std::string Database::StreamPrefix(std::string_view stream_id) { return JoinKey({stream_id}); }

std::string Database::StreamKey(std::string_view stream_id, uint64_t version) {
  std::string key = StreamPrefix(stream_id);
  AppendUint64(key, version);
  return key;
}

std::string Database::RowKey(std::string_view table, std::string_view key) {
  std::string out = JoinKey({table});
  out.append(key);
  return out;
}

std::string Database::OffsetKey(std::string_view group, std::string_view topic, int32_t partition) {
  std::string key = JoinKey({"o", group, topic});
  AppendUint64(key, static_cast<uint64_t>(partition));
  return key;
}

std::string Database::OffsetKey(std::string_view group) { return JoinKey({"o", group}); }

std::string Database::AppliedKey() { return JoinKey({"a"}); }

std::string Database::AppliedKey(std::string_view source, std::string_view stream_id) {
  return JoinKey({"a", source, stream_id});
}

absl::StatusOr<std::optional<std::string>> Database::Get(rocksdb::ColumnFamilyHandle* cf,
                                                         std::string_view key) const {
  std::string value;
  rocksdb::Status status =
      db()->Get(rocksdb::ReadOptions(), cf, rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocks(status, "reading the event store");
  return value;
}

}  // namespace crm::eventstore::internal
