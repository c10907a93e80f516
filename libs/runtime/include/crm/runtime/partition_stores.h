// The event stores of an instance, one per partition of the service's customers
// (docs/ARCHITECTURE.md, "Partition tasks inside an instance"). Partition p's store is at
// `<data_dir>/partitions/<p>/`; with a single partition the store is `<data_dir>` itself,
// opened as a one-store instance opens it, so that its volume needs no migration. Several
// stores share one block cache (and, given StoreOptions::shared, a write-buffer budget).
//
// The partition count is fixed for a data directory (recorded durably in partitions/COUNT
// before any store is made): opening one with another count than it was made for is refused
// (changing it is a migration, a rebuild of every service into an empty directory), since
// the customers' partitions would change under them.
//
//   ASSIGN_OR_RETURN(auto stores, PartitionStores::Open({.path = dir}, 12));
//   eventstore::EventStore& store = stores->ForKey(customer_id);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crm/eventstore/event_store.h"
#include "crm/eventstore/store_resources.h"

namespace crm::runtime {

class PartitionStores {
 public:
  // Opens (creating when missing) `partitions` stores under `options.path`, each opened
  // with `options` but its own path; they share `options.shared` when set, else (with
  // more than one) a cache of `options.block_cache_bytes`. INVALID_ARGUMENT for a count
  // below 1; FAILED_PRECONDITION when the directory holds stores of another partition
  // count, or partition stores without a recorded count.
  static absl::StatusOr<std::unique_ptr<PartitionStores>> Open(
      const eventstore::StoreOptions& options, int32_t partitions);

  // Where partition `partition` of `partitions` keeps its store under `data_dir`.
  static std::string PathOf(std::string_view data_dir, int32_t partitions, int32_t partition);

  int32_t count() const { return static_cast<int32_t>(stores_.size()); }
  // The store of partition `partition`, in [0, count()).
  eventstore::EventStore& Of(int32_t partition) const { return *stores_[partition]; }
  // The store of the partition that holds `key` (kafka::KeyPartition).
  eventstore::EventStore& ForKey(std::string_view key) const;
  // What the stores share; null for a single store with resources of its own.
  const std::shared_ptr<eventstore::StoreResources>& resources() const { return shared_; }
  // Closes every store; the first failure is returned after all were tried.
  absl::Status Close();

 private:
  PartitionStores() = default;
  std::shared_ptr<eventstore::StoreResources> shared_;
  std::vector<std::unique_ptr<eventstore::EventStore>> stores_;
};

}  // namespace crm::runtime
