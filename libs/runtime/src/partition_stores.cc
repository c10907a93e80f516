#include "crm/runtime/partition_stores.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/kafka/partitioner.h"

namespace crm::runtime {
namespace {

constexpr char kPartitionsDirectory[] = "partitions";
// Written once every store of a new layout exists: the count the directory was made for.
constexpr char kCountFile[] = "COUNT";

std::filesystem::path PartitionsDirectory(const std::string& data_dir) {
  return std::filesystem::path(data_dir) / kPartitionsDirectory;
}

// The partition count `data_dir` was made for: 1 when it is a single store (RocksDB's
// CURRENT file at its top), the recorded count of a partitions/ layout, or nullopt when it
// holds neither (new, or a layout whose creation a crash interrupted).
absl::StatusOr<std::optional<int32_t>> CountFound(const std::string& data_dir) {
  std::error_code error;
  if (std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT", error)) return 1;
  std::ifstream file(PartitionsDirectory(data_dir) / kCountFile);
  if (!file.is_open()) return std::nullopt;
  int32_t count = 0;
  if (!(file >> count) || count < 2) {
    return absl::FailedPreconditionError(absl::StrCat(
        (PartitionsDirectory(data_dir) / kCountFile).string(), " does not hold a count"));
  }
  return count;
}

// Writes `contents` to `path` so that a crash leaves either the old file or the whole new
// one, and a power loss does not take it back once this returns: written and synced
// beside it, renamed over it, and the directory synced.
absl::Status WriteFileDurably(const std::filesystem::path& path, const std::string& contents) {
  const std::string temporary = path.string() + ".new";
  const auto failed = [&](const std::string& what) {
    return absl::UnavailableError(
        absl::StrCat("cannot ", what, " ", path.string(), ": ", std::strerror(errno)));
  };
  const int file = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (file < 0) return failed("create");
  const bool written =
      ::write(file, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      ::fsync(file) == 0;
  ::close(file);
  if (!written) return failed("write");
  if (::rename(temporary.c_str(), path.c_str()) != 0) return failed("rename onto");
  const int directory = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) return failed("open the directory of");
  const bool synced = ::fsync(directory) == 0;
  ::close(directory);
  if (!synced) return failed("sync the directory of");
  return absl::OkStatus();
}

// Whether any partition store exists under partitions/ (RocksDB's CURRENT file in it).
bool AnyStoreUnder(const std::string& data_dir) {
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(PartitionsDirectory(data_dir), error)) {
    if (std::filesystem::exists(entry.path() / "CURRENT", error)) return true;
  }
  return false;
}

}  // namespace

std::string PartitionStores::PathOf(std::string_view data_dir, int32_t partitions,
                                    int32_t partition) {
  if (partitions == 1) return std::string(data_dir);
  return absl::StrCat(std::string(data_dir), "/", kPartitionsDirectory, "/", partition);
}

absl::StatusOr<std::unique_ptr<PartitionStores>> PartitionStores::Open(
    const eventstore::StoreOptions& options, int32_t partitions) {
  if (partitions < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("partitions must be at least 1, not ", partitions));
  }
  absl::StatusOr<std::optional<int32_t>> found = CountFound(options.path);
  if (!found.ok()) return found.status();
  if (found->has_value() && **found != partitions) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.path, " holds the stores of ", **found, " partition(s), not ", partitions,
        ": a customer's partition depends on the count, so changing it means rebuilding "
        "every service into an empty data directory"));
  }
  if (partitions > 1 && !found->has_value()) {
    // The count is recorded before any store exists, so a store is never found without
    // it; partition stores without it were not made here.
    if (AnyStoreUnder(options.path)) {
      return absl::FailedPreconditionError(
          absl::StrCat(PartitionsDirectory(options.path).string(),
                       " holds stores but no record of their partition count (", kCountFile, ")"));
    }
    std::error_code error;
    std::filesystem::create_directories(PartitionsDirectory(options.path), error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create ", PartitionsDirectory(options.path).string(), ": ", error.message()));
    }
    RETURN_IF_ERROR(WriteFileDurably(PartitionsDirectory(options.path) / kCountFile,
                                     absl::StrCat(partitions, "\n")));
  }
  std::unique_ptr<PartitionStores> stores(new PartitionStores());
  stores->shared_ = options.shared;
  if (stores->shared_ == nullptr && partitions > 1) {
    // One cache of the size a single store would have, shared, rather than one each.
    stores->shared_ =
        eventstore::StoreResources::Create({.block_cache_bytes = options.block_cache_bytes});
  }
  for (int32_t partition = 0; partition < partitions; ++partition) {
    eventstore::StoreOptions own = options;
    own.path = PathOf(options.path, partitions, partition);
    own.shared = stores->shared_;
    auto store = eventstore::EventStore::Open(own);
    if (!store.ok()) return store.status();
    stores->stores_.push_back(*std::move(store));
  }
  return stores;
}

eventstore::EventStore& PartitionStores::ForKey(std::string_view key) const {
  return Of(kafka::KeyPartition(key, count()));
}

absl::Status PartitionStores::Close() {
  absl::Status first;
  for (const auto& store : stores_) first.Update(store->Close());
  return first;
}

}  // namespace crm::runtime
