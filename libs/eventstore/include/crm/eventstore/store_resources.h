// What the stores of one process share when it holds several (one per partition of its
// customers): one block cache and one budget for the write buffers of all of them, so that
// P stores take the memory one store would rather than P times it.
//
//   auto shared = StoreResources::Create({.block_cache_bytes = 256 << 20,
//                                         .write_buffer_bytes = 128 << 20});
//   EventStore::Open({.path = ".../partitions/3", .shared = shared});
#pragma once

#include <cstddef>
#include <memory>

namespace rocksdb {
class Cache;
class WriteBufferManager;
}  // namespace rocksdb

namespace crm::eventstore {

struct StoreBudget {
  // The block cache all the stores read through.
  size_t block_cache_bytes = 256u << 20;
  // The memtables of all the stores together: past it, a store that writes flushes its
  // memtables sooner (stores that do not write keep theirs).
  size_t write_buffer_bytes = 128u << 20;
};

class StoreResources {
 public:
  static std::shared_ptr<StoreResources> Create(const StoreBudget& budget);
  ~StoreResources();

  const std::shared_ptr<rocksdb::Cache>& cache() const { return cache_; }
  const std::shared_ptr<rocksdb::WriteBufferManager>& write_buffers() const {
    return write_buffers_;
  }

 private:
  StoreResources() = default;
  std::shared_ptr<rocksdb::Cache> cache_;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers_;
};

}  // namespace crm::eventstore
