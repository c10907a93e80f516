#include "crm/eventstore/store_resources.h"

#include "rocksdb/cache.h"
#include "rocksdb/write_buffer_manager.h"

namespace crm::eventstore {

std::shared_ptr<StoreResources> StoreResources::Create(const StoreBudget& budget) {
  std::shared_ptr<StoreResources> resources(new StoreResources());
  resources->cache_ = rocksdb::NewLRUCache(budget.block_cache_bytes);
  // Not charged to the cache and never stalling writes: the budget only makes RocksDB
  // flush the largest memtables sooner, which is what bounds memory across stores.
  resources->write_buffers_ =
      std::make_shared<rocksdb::WriteBufferManager>(budget.write_buffer_bytes);
  return resources;
}

StoreResources::~StoreResources() = default;

}  // namespace crm::eventstore
