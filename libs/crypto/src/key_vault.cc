#include "crm/crypto/key_vault.h"

#include "absl/strings/str_cat.h"
#include "crm/crypto/sealed_box.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace crm::crypto {
namespace {

absl::Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("key vault: ", std::string(what), ": ", status.ToString()));
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

absl::StatusOr<std::unique_ptr<KeyVault>> KeyVault::Open(const KeyVaultOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  // Keys must be findable byte for byte by the purge (and by the tests that check it), and
  // random bytes do not compress anyway.
  db_options.compression = rocksdb::kNoCompression;
  db_options.bottommost_compression = rocksdb::kNoCompression;
  // A WAL file must be deleted, not kept or reused, once its keys are flushed.
  db_options.recycle_log_file_num = 0;
  db_options.WAL_ttl_seconds = 0;
  db_options.WAL_size_limit_MB = 0;
  db_options.keep_log_file_num = 2;
  db_options.write_buffer_size = 4 << 20;
  rocksdb::DB* raw = nullptr;
  absl::Status opened = FromRocks(rocksdb::DB::Open(db_options, options.path, &raw), "open");
  if (!opened.ok()) return opened;
  return std::unique_ptr<KeyVault>(new KeyVault(options, std::unique_ptr<rocksdb::DB>(raw)));
}

KeyVault::KeyVault(KeyVaultOptions options, std::unique_ptr<rocksdb::DB> db)
    : options_(std::move(options)), db_(std::move(db)) {}

KeyVault::~KeyVault() {
  if (db_) db_->Close().PermitUncheckedError();
}

absl::StatusOr<std::string> KeyVault::GetOrCreateKey(std::string_view subject) {
  absl::MutexLock lock(&write_mutex_);
  absl::StatusOr<std::optional<std::string>> existing = GetKey(subject);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return **existing;
  std::string key = NewKey();
  rocksdb::WriteOptions write;
  write.sync = options_.sync;
  absl::Status put = FromRocks(db_->Put(write, ToSlice(subject), key), "put");
  if (!put.ok()) return put;
  return key;
}

absl::StatusOr<std::optional<std::string>> KeyVault::GetKey(std::string_view subject) const {
  std::string key;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), ToSlice(subject), &key);
  if (status.IsNotFound()) return std::nullopt;
  absl::Status read = FromRocks(status, "get");
  if (!read.ok()) return read;
  return key;
}

absl::Status KeyVault::DestroyKey(std::string_view subject) {
  absl::MutexLock lock(&write_mutex_);
  rocksdb::WriteOptions write;
  write.sync = options_.sync;
  absl::Status deleted = FromRocks(db_->Delete(write, ToSlice(subject)), "delete");
  if (!deleted.ok()) return deleted;
  // The tombstone hides the key; the purge removes it. A flush retires the WAL that holds
  // it (and drops it from the memtable), a forced bottommost compaction of its range
  // rewrites every table file that holds it.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  absl::Status flushed = FromRocks(db_->Flush(flush), "flush");
  if (!flushed.ok()) return flushed;
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  std::string end = std::string(subject) + '\0';
  rocksdb::Slice begin_slice = ToSlice(subject), end_slice = ToSlice(end);
  return FromRocks(db_->CompactRange(compact, &begin_slice, &end_slice), "compact");
}

}  // namespace crm::crypto
