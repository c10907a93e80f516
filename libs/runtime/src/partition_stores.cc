#include "crm/runtime/partition_stores.h"

#include <filesystem>
#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
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

absl::Status RecordCount(const std::string& data_dir, int32_t count) {
  const std::filesystem::path path = PartitionsDirectory(data_dir) / kCountFile;
  const std::filesystem::path temporary = path.string() + ".new";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << count << "\n";
    file.flush();
    if (!file) return absl::InternalError(absl::StrCat("cannot write ", temporary.string()));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot write ", path.string(), ": ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PartitionStores::PathOf(std::string_view data_dir, int32_t partitions,
                                    int32_t partition) {
  if (partitions == 1) return std::string(data_dir);
  return absl::StrCat(std::string(data_dir), "/", kPartitionsDirectory, "/", partition);
}

absl::StatusOr<std::unique_ptr<PartitionStores>> PartitionStores::Open(
    const eventstore::StoreOptions& options, int32_t partitions,
    const eventstore::StoreBudget& budget) {
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
  if (partitions > 1) {
    // RocksDB creates a store's own directory, not its parents.
    std::error_code error;
    std::filesystem::create_directories(PartitionsDirectory(options.path), error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create ", PartitionsDirectory(options.path).string(), ": ", error.message()));
    }
  }
  std::unique_ptr<PartitionStores> stores(new PartitionStores());
  stores->shared_ = eventstore::StoreResources::Create(budget);
  for (int32_t partition = 0; partition < partitions; ++partition) {
    eventstore::StoreOptions own = options;
    own.path = PathOf(options.path, partitions, partition);
    own.shared = stores->shared_;
    auto store = eventstore::EventStore::Open(own);
    if (!store.ok()) return store.status();
    stores->stores_.push_back(*std::move(store));
  }
  if (partitions > 1 && !found->has_value()) {
    if (absl::Status recorded = RecordCount(options.path, partitions); !recorded.ok()) {
      return recorded;
    }
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
