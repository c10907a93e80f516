#include "table_files.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "crm/base/parallel_tasks.h"
#include "crm/base/status_macros.h"
#include "names.h"
#include "rocks_status.h"

namespace crm::eventstore::internal {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Runs of strictly rising keys among `count` writes that may share a file, as [begin, end)
// index pairs.
std::vector<std::pair<size_t, size_t>> RisingRuns(
    size_t count, absl::FunctionRef<bool(size_t, size_t)> less,
    absl::FunctionRef<bool(size_t, size_t)> together) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t begin = 0;
  for (size_t i = 1; i <= count; ++i) {
    if (i == count || !less(i - 1, i) || !together(i - 1, i)) {
      runs.emplace_back(begin, i);
      begin = i;
    }
  }
  return runs;
}

// Past this many runs of rising keys, a family's writes are sorted into one file instead:
// keys given in falling order would otherwise make a file of each.
constexpr size_t kMaxRunsKept = 16;

}  // namespace

TableFiles::TableFiles(Database& db, std::string path_prefix)
    : db_(db), path_prefix_(std::move(path_prefix)) {}

TableFiles::~TableFiles() {
  absl::MutexLock lock(&mu_);
  for (auto& [id, family] : families_) {
    for (const std::unique_ptr<File>& file : family.files) {
      file->writer_.reset();
      std::error_code ignored;
      std::filesystem::remove(file->path_, ignored);
    }
  }
}

absl::StatusOr<TableFiles::File*> TableFiles::NewFile(rocksdb::ColumnFamilyHandle* cf) {
  absl::MutexLock lock(&mu_);
  Family& family = families_[cf->GetID()];
  family.handle = cf;
  auto file = std::make_unique<File>();
  file->path_ = absl::StrCat(path_prefix_, "-", next_file_++, "-", cf->GetName(), ".sst");
  // The column family's own options: its table format, Bloom filter and merge operator.
  const rocksdb::Options options(db_.db()->GetDBOptions(), db_.db()->GetOptions(cf));
  auto open_writer = [&](bool direct) {
    rocksdb::EnvOptions env;
    env.use_direct_writes = direct;
    file->writer_ = std::make_unique<rocksdb::SstFileWriter>(env, options, cf,
                                                             /*invalidate_page_cache=*/false);
    return file->writer_->Open(file->path_);
  };
  rocksdb::Status opened = open_writer(direct_writes_);
  if (!opened.ok() && direct_writes_) {
    // The file system refuses O_DIRECT (tmpfs does): buffered writes, for every file.
    direct_writes_ = false;
    opened = open_writer(false);
  }
  RETURN_IF_ERROR(FromRocks(opened, "creating a table file"));
  family.files.push_back(std::move(file));
  return family.files.back().get();
}

absl::Status TableFiles::File::CheckRising(std::string_view key) const {
  if (entries_ > 0 && key <= last_key_) {
    return absl::InternalError("a bulk append's keys must rise within a table file");
  }
  return absl::OkStatus();
}

absl::Status TableFiles::File::Put(std::string_view key, std::string_view value) {
  RETURN_IF_ERROR(CheckRising(key));
  if (entries_ == 0) first_key_.assign(key);
  RETURN_IF_ERROR(FromRocks(writer_->Put(ToSlice(key), ToSlice(value)), "writing a table file"));
  last_key_.assign(key);
  ++entries_;
  return absl::OkStatus();
}

absl::Status TableFiles::File::Write(std::string_view key, const std::optional<std::string>& value,
                                     bool merge) {
  if (!merge && value.has_value()) return Put(key, *value);
  RETURN_IF_ERROR(CheckRising(key));
  if (entries_ == 0) first_key_.assign(key);
  const rocksdb::Status status =
      merge ? writer_->Merge(ToSlice(key), ToSlice(*value)) : writer_->Delete(ToSlice(key));
  RETURN_IF_ERROR(FromRocks(status, "writing a table file"));
  last_key_.assign(key);
  ++entries_;
  return absl::OkStatus();
}

const std::string& TableFiles::File::RowKey(std::string_view table, std::string_view key) {
  // Database::RowKey: the table, a NUL, the key.
  row_key_.assign(table);
  row_key_.push_back('\0');
  row_key_.append(key);
  return row_key_;
}

absl::Status TableFiles::File::WriteRow(const RowWrite& row) {
  return Write(RowKey(row.table, row.key), row.value, /*merge=*/false);
}

absl::Status TableFiles::File::PutRow(std::string_view table, std::string_view key,
                                      std::string_view value) {
  return Put(RowKey(table, key), value);
}

absl::Status TableFiles::AddUnordered(std::span<const KeyWrite> writes) {
  size_t begin = 0;
  for (size_t i = 1; i <= writes.size(); ++i) {
    if (i < writes.size() && writes[i].cf == writes[begin].cf) continue;
    const std::span<const KeyWrite> family = writes.subspan(begin, i - begin);
    RETURN_IF_ERROR(AddFamily(
        family.front().cf, family.size(),
        [&](size_t a, size_t b) { return family[a].key < family[b].key; },
        [](size_t, size_t) { return true; },
        [&](File& file, size_t w) {
          return file.Write(family[w].key, family[w].value, family[w].merge);
        }));
    begin = i;
  }
  return absl::OkStatus();
}

TableFiles::Claimant TableFiles::NewClaimant() {
  absl::MutexLock lock(&mu_);
  return next_claimant_++;
}

absl::Status TableFiles::AddRows(rocksdb::ColumnFamilyHandle* cf, std::span<const RowWrite> rows) {
  std::set<std::string_view> tables;
  for (const RowWrite& row : rows) tables.insert(row.table);
  const Claimant claimant = NewClaimant();
  for (std::string_view table : tables) RETURN_IF_ERROR(ClaimTable(table, claimant));
  if (rows.empty()) return absl::OkStatus();
  // A table holds no NUL: row keys order as (table, key) pairs.
  return AddFamily(
      cf, rows.size(),
      [&](size_t a, size_t b) {
        return std::tie(rows[a].table, rows[a].key) < std::tie(rows[b].table, rows[b].key);
      },
      [&](size_t a, size_t b) { return rows[a].table == rows[b].table; },
      [&](File& file, size_t r) { return file.WriteRow(rows[r]); });
}

absl::Status TableFiles::ClaimTable(std::string_view table, Claimant claimant) {
  absl::MutexLock lock(&mu_);
  const auto [at, claimed] = row_tables_.emplace(table, claimant);
  if (!claimed && at->second != claimant) {
    return absl::InternalError(absl::StrCat("a bulk append writes the rows of table ",
                                            std::string(table), " in more than one place"));
  }
  return absl::OkStatus();
}

absl::Status TableFiles::RowStream::Put(std::string_view table, std::string_view key,
                                        std::string_view value) {
  auto at = by_table_.find(table);
  if (at == by_table_.end()) {
    RETURN_IF_ERROR(ValidateName("read-model table", table, /*required=*/true));
    RETURN_IF_ERROR(files_.ClaimTable(table, claimant_));
    ASSIGN_OR_RETURN(File * file, files_.NewFile(cf_));
    at = by_table_.emplace(std::string(table), file).first;
  }
  return at->second->PutRow(table, key, value);
}

absl::Status TableFiles::AddFamily(rocksdb::ColumnFamilyHandle* cf, size_t count,
                                   absl::FunctionRef<bool(size_t, size_t)> less,
                                   absl::FunctionRef<bool(size_t, size_t)> together,
                                   absl::FunctionRef<absl::Status(File&, size_t)> write) {
  std::vector<std::pair<size_t, size_t>> runs = RisingRuns(count, less, together);
  std::sort(runs.begin(), runs.end(),
            [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  bool apart = runs.size() <= kMaxRunsKept;
  for (size_t r = 1; r < runs.size() && apart; ++r) {
    apart = less(runs[r - 1].second - 1, runs[r].first);
  }
  if (apart) {
    std::vector<File*> files;
    for (size_t r = 0; r < runs.size(); ++r) {
      ASSIGN_OR_RETURN(files.emplace_back(), NewFile(cf));
    }
    // The longest runs first, so that the threads finish together.
    std::vector<size_t> by_length(runs.size());
    for (size_t r = 0; r < by_length.size(); ++r) by_length[r] = r;
    std::sort(by_length.begin(), by_length.end(), [&](size_t a, size_t b) {
      return runs[a].second - runs[a].first > runs[b].second - runs[b].first;
    });
    return RunInParallel(runs.size(), WorkerThreads(), [&](size_t task) {
      const size_t r = by_length[task];
      for (size_t i = runs[r].first; i < runs[r].second; ++i) RETURN_IF_ERROR(write(*files[r], i));
      return absl::OkStatus();
    });
  }
  // Overlapping runs: sort it all, the last write of a key winning (a stable sort keeps
  // the writes of a key in the order given).
  std::vector<size_t> order(count);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), less);
  File* file = nullptr;
  for (size_t i = 0; i < order.size(); ++i) {
    const bool superseded = i + 1 < order.size() && !less(order[i], order[i + 1]);
    if (superseded) continue;
    if (file == nullptr || !together(order[i - 1], order[i])) {
      ASSIGN_OR_RETURN(file, NewFile(cf));
    }
    RETURN_IF_ERROR(write(*file, order[i]));
  }
  return absl::OkStatus();
}

absl::Status TableFiles::Ingest() {
  absl::MutexLock lock(&mu_);
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& [id, family] : families_) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = family.handle;
    // Linked into the database, not copied; RocksDB syncs each file and the directory.
    arg.options.move_files = true;
    // The sequence number lives in the MANIFEST rather than rewritten into each file.
    arg.options.write_global_seqno = false;
    std::vector<File*> written;
    for (const std::unique_ptr<File>& file : family.files) {
      if (file->entries_ > 0) written.push_back(file.get());
    }
    // Ingestion refuses overlapping files of a family, less clearly than this.
    std::sort(written.begin(), written.end(),
              [](const File* a, const File* b) { return a->first_key_ < b->first_key_; });
    for (size_t i = 1; i < written.size(); ++i) {
      if (written[i]->first_key_ <= written[i - 1]->last_key_) {
        return absl::InternalError(
            absl::StrCat("a bulk append's table files of ", family.handle->GetName(), " overlap"));
      }
    }
    for (File* file : written) {
      RETURN_IF_ERROR(FromRocks(file->writer_->Finish(), "finishing a table file"));
      arg.external_files.push_back(file->path_);
    }
    if (!arg.external_files.empty()) args.push_back(std::move(arg));
  }
  if (args.empty()) return absl::OkStatus();
  return FromRocks(db_.db()->IngestExternalFiles(args), "ingesting table files");
}

}  // namespace crm::eventstore::internal
