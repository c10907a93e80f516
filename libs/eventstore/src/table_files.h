// Sorted table files for one bulk append: each column family's writes go, in ascending key
// order, into SST files beside the database, which are then ingested into RocksDB in one
// atomic step (IngestExternalFiles). A bulk append of a million rows and events costs one
// sequential write of its files, instead of the write-ahead log, the memtables' skip
// lists, their flushes and the compactions behind them.
//
//   TableFiles files(db, "/var/crm/tiering/bulk/7");   // names its files 7-<n>-<family>.sst
//   ASSIGN_OR_RETURN(TableFiles::File* log, files.NewFile(db.log()));
//   RETURN_IF_ERROR(log->Put(key, value));             // keys ascending per file
//   RETURN_IF_ERROR(files.AddRows(db.rows(), rows));   // any order, sorted as needed
//   RETURN_IF_ERROR(files.Ingest());                   // all or nothing, durable
//
// The files of a column family must cover key ranges that do not overlap. Making files and
// ingesting them is not thread-safe; different files may be written on different threads,
// which is how AddUnordered and AddRows use the machine's cores. The destructor removes the
// files (once ingested, the database holds links of its own); a crash leaves them behind,
// in a directory the store clears on opening.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "commit_queue.h"
#include "crm/eventstore/event_store.h"
#include "crm/eventstore/types.h"
#include "database.h"
#include "rocksdb/sst_file_writer.h"

namespace crm::eventstore::internal {

class TableFiles {
 public:
  // One file of a column family. Keys must rise strictly within it.
  class File {
   public:
    absl::Status Put(std::string_view key, std::string_view value);
    // A put (value set), delete or merge of `key`.
    absl::Status Write(std::string_view key, const std::optional<std::string>& value, bool merge);
    // Writes `row` under Database::RowKey(row.table, row.key), composed in a buffer the file
    // keeps; PutRow likewise.
    absl::Status WriteRow(const RowWrite& row);
    absl::Status PutRow(std::string_view table, std::string_view key, std::string_view value);

   private:
    friend class TableFiles;
    absl::Status CheckRising(std::string_view key) const;
    const std::string& RowKey(std::string_view table, std::string_view key);

    std::string path_;
    std::unique_ptr<rocksdb::SstFileWriter> writer_;
    std::string first_key_;
    std::string last_key_;
    std::string row_key_;
    size_t entries_ = 0;
  };

  // Files are named `path_prefix`-<n>-<family>.sst, in a directory on the database's file
  // system (ingestion links them).
  TableFiles(Database& db, std::string path_prefix);
  ~TableFiles();
  TableFiles(const TableFiles&) = delete;
  TableFiles& operator=(const TableFiles&) = delete;

  // A new, empty file of `cf`; valid until the TableFiles is destroyed. Safe to call from
  // several threads; each file is written by one thread at a time.
  absl::StatusOr<File*> NewFile(rocksdb::ColumnFamilyHandle* cf) ABSL_LOCKS_EXCLUDED(mu_);

  // Who adds a table's rows: a table may be added by one claimant only, which may add it
  // from several places (the parts of a producer's rows).
  using Claimant = uint64_t;
  Claimant NewClaimant() ABSL_LOCKS_EXCLUDED(mu_);

  // Adds `writes` in any order, keeping the last write of a key; each column family's
  // writes must stand together. Within a family, runs of rising keys that do not overlap
  // each other keep their order and become a file each, written side by side (a table's
  // rows stay apart from another's, which lets RocksDB place each file as deep in the tree
  // as nothing overlaps it); otherwise they are sorted first.
  absl::Status AddUnordered(std::span<const KeyWrite> writes);

  // Adds read-model rows to `cf` as AddUnordered adds writes, each table's in files of its
  // own, keyed by Database::RowKey: the keys are composed one at a time as they are
  // written, never all held at once. A table may be added once only.
  absl::Status AddRows(rocksdb::ColumnFamilyHandle* cf, std::span<const RowWrite> rows);

  // Rows put one at a time, in rising key order per table, into a file per table of `cf`.
  // A table may be added by one claimant only: by the streams it makes (each into files
  // of its own, whose key ranges must not overlap) or by AddRows.
  class RowStream : public EventStore::RowSink {
   public:
    RowStream(TableFiles& files, rocksdb::ColumnFamilyHandle* cf, Claimant claimant)
        : files_(files), cf_(cf), claimant_(claimant) {}
    absl::Status Put(std::string_view table, std::string_view key, std::string_view value) override;

   private:
    TableFiles& files_;
    rocksdb::ColumnFamilyHandle* const cf_;
    const Claimant claimant_;
    std::map<std::string, File*, std::less<>> by_table_;
  };

  // Finishes every file and ingests them all at once: durable when it returns OK; on an
  // error or a crash, none of them is in the database.
  absl::Status Ingest();

 private:
  struct Family {
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    std::vector<std::unique_ptr<File>> files;
  };

  // Adds the `count` writes of `cf`, ordered by `less(a, b)` on their indices and written by
  // `write(file, i)`, as AddUnordered describes.
  // Writes a and b may share a file only when `together(a, b)`.
  absl::Status AddFamily(rocksdb::ColumnFamilyHandle* cf, size_t count,
                         absl::FunctionRef<bool(size_t, size_t)> less,
                         absl::FunctionRef<bool(size_t, size_t)> together,
                         absl::FunctionRef<absl::Status(File&, size_t)> write);
  // Notes that `claimant` adds `table`'s rows; an error when another claimant did before.
  absl::Status ClaimTable(std::string_view table, Claimant claimant) ABSL_LOCKS_EXCLUDED(mu_);

  Database& db_;
  const std::string path_prefix_;
  absl::Mutex mu_;
  // By column family id. std::map: files are ingested in a fixed order.
  std::map<uint32_t, Family> families_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Claimant, std::less<>> row_tables_ ABSL_GUARDED_BY(mu_);
  Claimant next_claimant_ ABSL_GUARDED_BY(mu_) = 0;
  size_t next_file_ ABSL_GUARDED_BY(mu_) = 0;
  // Files are written with O_DIRECT where the file system allows it. A bulk append writes
  // hundreds of megabytes that are read again only much later, if at all, and copying
  // them into the page cache, only for ingestion's sync to write them out, was 13% of an
  // evaluation run's profile; most costly when the kernel must first supply the pages
  // (bench/RESULTS.md, 2026-12-06).
  bool direct_writes_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace crm::eventstore::internal
