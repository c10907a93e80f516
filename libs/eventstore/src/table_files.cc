#include "table_files.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "rocks_status.h"

namespace crm::eventstore::internal {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Runs of strictly rising keys among `count` writes, as [begin, end) index pairs.
std::vector<std::pair<size_t, size_t>> RisingRuns(size_t count,
                                                  absl::FunctionRef<bool(size_t, size_t)> less) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t begin = 0;
  for (size_t i = 1; i <= count; ++i) {
    if (i == count || !less(i - 1, i)) {
      runs.emplace_back(begin, i);
      begin = i;
    }
  }
  return runs;
}

}  // namespace

TableFiles::TableFiles(Database& db, std::string path_prefix)
    : db_(db), path_prefix_(std::move(path_prefix)) {}

TableFiles::~TableFiles() {
  for (auto& [id, family] : families_) {
    for (File& file : family.files) {
      file.writer.reset();
      std::error_code ignored;
      std::filesystem::remove(file.path, ignored);
    }
  }
}

absl::StatusOr<TableFiles::File*> TableFiles::Current(rocksdb::ColumnFamilyHandle* cf) {
  Family& family = families_[cf->GetID()];
  family.handle = cf;
  if (!family.files.empty() && !family.ended) return &family.files.back();
  File file;
  file.path = absl::StrCat(path_prefix_, "-", next_file_++, "-", cf->GetName(), ".sst");
  // The column family's own options: its table format, Bloom filter and merge operator.
  // The page cache is kept: what a bulk append wrote is what is read next.
  file.writer = std::make_unique<rocksdb::SstFileWriter>(
      rocksdb::EnvOptions(), rocksdb::Options(db_.db()->GetDBOptions(), db_.db()->GetOptions(cf)),
      cf, /*invalidate_page_cache=*/false);
  RETURN_IF_ERROR(FromRocks(file.writer->Open(file.path), "creating a table file"));
  family.files.push_back(std::move(file));
  family.ended = false;
  return &family.files.back();
}

void TableFiles::StartFile(rocksdb::ColumnFamilyHandle* cf) {
  auto family = families_.find(cf->GetID());
  if (family != families_.end()) family->second.ended = true;
}

absl::Status TableFiles::Put(rocksdb::ColumnFamilyHandle* cf, std::string_view key,
                             std::string_view value) {
  ASSIGN_OR_RETURN(File * file, Current(cf));
  if (!file->empty && key <= file->last_key) {
    return absl::InternalError("a bulk append's keys must rise within a table file");
  }
  RETURN_IF_ERROR(
      FromRocks(file->writer->Put(ToSlice(key), ToSlice(value)), "writing a table file"));
  file->last_key.assign(key);
  file->empty = false;
  ++entries_;
  return absl::OkStatus();
}

absl::Status TableFiles::Add(const KeyWrite& write) {
  return Write(write.cf, write.key, write.value, write.merge);
}

absl::Status TableFiles::Write(rocksdb::ColumnFamilyHandle* cf, std::string_view key,
                               const std::optional<std::string>& value, bool merge) {
  if (!merge && value.has_value()) return Put(cf, key, *value);
  ASSIGN_OR_RETURN(File * file, Current(cf));
  if (!file->empty && key <= file->last_key) {
    return absl::InternalError("a bulk append's keys must rise within a table file");
  }
  const rocksdb::Status status = merge ? file->writer->Merge(ToSlice(key), ToSlice(*value))
                                       : file->writer->Delete(ToSlice(key));
  RETURN_IF_ERROR(FromRocks(status, "writing a table file"));
  file->last_key.assign(key);
  file->empty = false;
  ++entries_;
  return absl::OkStatus();
}

absl::Status TableFiles::AddUnordered(std::span<const KeyWrite> writes) {
  size_t begin = 0;
  for (size_t i = 1; i <= writes.size(); ++i) {
    if (i < writes.size() && writes[i].cf == writes[begin].cf) continue;
    const std::span<const KeyWrite> family = writes.subspan(begin, i - begin);
    RETURN_IF_ERROR(AddFamily(
        family.front().cf, family.size(),
        [&](size_t a, size_t b) { return family[a].key < family[b].key; },
        [&](size_t w) { return Add(family[w]); }));
    begin = i;
  }
  return absl::OkStatus();
}

absl::Status TableFiles::AddRows(rocksdb::ColumnFamilyHandle* cf, std::span<const RowWrite> rows) {
  if (rows.empty()) return absl::OkStatus();
  // Database::RowKey is the table, a NUL and the key, and a table holds no NUL: row keys
  // order as (table, key) pairs, so they are composed only as they are written.
  std::string key;
  return AddFamily(
      cf, rows.size(),
      [&](size_t a, size_t b) {
        return std::tie(rows[a].table, rows[a].key) < std::tie(rows[b].table, rows[b].key);
      },
      [&](size_t r) {
        key.assign(rows[r].table);
        key.push_back('\0');
        key.append(rows[r].key);
        return Write(cf, key, rows[r].value, /*merge=*/false);
      });
}

absl::Status TableFiles::AddFamily(rocksdb::ColumnFamilyHandle* cf, size_t count,
                                   absl::FunctionRef<bool(size_t, size_t)> less,
                                   absl::FunctionRef<absl::Status(size_t)> write) {
  // Files of a family added twice could overlap, which ingestion refuses.
  if (families_.contains(cf->GetID())) {
    return absl::InternalError("a bulk append's writes of a column family must stand together");
  }
  std::vector<std::pair<size_t, size_t>> runs = RisingRuns(count, less);
  std::sort(runs.begin(), runs.end(),
            [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  bool apart = true;
  for (size_t r = 1; r < runs.size() && apart; ++r) {
    apart = less(runs[r - 1].second - 1, runs[r].first);
  }
  if (apart) {
    for (const auto& [begin, end] : runs) {
      StartFile(cf);
      for (size_t i = begin; i < end; ++i) RETURN_IF_ERROR(write(i));
    }
    return absl::OkStatus();
  }
  // Overlapping runs: sort it all, the last write of a key winning (a stable sort keeps
  // the writes of a key in the order given).
  std::vector<size_t> order(count);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), less);
  StartFile(cf);
  for (size_t i = 0; i < order.size(); ++i) {
    const bool superseded = i + 1 < order.size() && !less(order[i], order[i + 1]);
    if (!superseded) RETURN_IF_ERROR(write(order[i]));
  }
  return absl::OkStatus();
}

absl::Status TableFiles::Ingest() {
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& [id, family] : families_) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = family.handle;
    // Linked into the database, not copied; RocksDB syncs each file and the directory.
    arg.options.move_files = true;
    // The sequence number lives in the MANIFEST rather than rewritten into each file.
    arg.options.write_global_seqno = false;
    for (File& file : family.files) {
      if (file.empty) continue;
      RETURN_IF_ERROR(FromRocks(file.writer->Finish(), "finishing a table file"));
      arg.external_files.push_back(file.path);
    }
    if (!arg.external_files.empty()) args.push_back(std::move(arg));
  }
  if (args.empty()) return absl::OkStatus();
  return FromRocks(db_.db()->IngestExternalFiles(args), "ingesting table files");
}

}  // namespace crm::eventstore::internal
