// An instance's stores, one per partition: where each lives, which one a customer's
// events go to, and that a data directory keeps the partition count it was made with.
#include "crm/runtime/partition_stores.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "crm/kafka/partitioner.h"
#include "crm/testing/v1/testing.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace crm::runtime {
namespace {

using ::testing::HasSubstr;

absl::Status AppendNote(eventstore::EventStore& store, const std::string& customer_id) {
  crm::testing::v1::NoteRecorded note;
  note.set_text(customer_id);
  eventstore::AppendRequest request{.stream_id = customer_id, .customer_id = customer_id};
  request.events.push_back(eventstore::NewEvent::From(note));
  return store.Append(std::move(request)).status();
}

uint64_t VersionIn(const eventstore::EventStore& store, const std::string& stream_id) {
  auto head = store.LoadHead(stream_id);
  EXPECT_TRUE(head.ok()) << head.status();
  return head.ok() ? head->version : 0;
}

TEST(PartitionStoresTest, KeepsEachCustomerInTheStoreOfItsKafkaPartition) {
  crm::testing::TempDir dir;
  const eventstore::StoreOptions options{.path = dir.Sub("data"), .sync = false};
  std::vector<std::string> customers;
  for (int i = 0; i < 40; ++i) customers.push_back(absl::StrCat("cus_", i));
  {
    auto stores = PartitionStores::Open(options, 4);
    ASSERT_TRUE(stores.ok()) << stores.status();
    ASSERT_EQ((*stores)->count(), 4);
    for (const std::string& id : customers) ASSERT_TRUE(AppendNote((*stores)->ForKey(id), id).ok());
    ASSERT_TRUE((*stores)->Close().ok());
  }
  for (int p = 0; p < 4; ++p) {
    EXPECT_TRUE(std::filesystem::exists(dir.Sub(absl::StrCat("data/partitions/", p, "/CURRENT"))));
  }
  auto reopened = PartitionStores::Open(options, 4);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  std::set<int32_t> used;
  for (const std::string& id : customers) {
    const int32_t partition = kafka::KeyPartition(id, 4);
    used.insert(partition);
    for (int32_t p = 0; p < 4; ++p) {
      EXPECT_EQ(VersionIn((*reopened)->Of(p), id), p == partition ? 1u : 0u) << id << " in " << p;
    }
  }
  EXPECT_EQ(used.size(), 4u) << "40 customers should spread over every partition";
}

TEST(PartitionStoresTest, ASinglePartitionIsTheDataDirectoryItself) {
  crm::testing::TempDir dir;
  auto stores = PartitionStores::Open({.path = dir.Sub("data"), .sync = false}, 1);
  ASSERT_TRUE(stores.ok()) << stores.status();
  ASSERT_TRUE(AppendNote((*stores)->ForKey("cus_1"), "cus_1").ok());
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("data/CURRENT")));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data/partitions")));
  EXPECT_EQ(PartitionStores::PathOf(dir.Sub("data"), 1, 0), dir.Sub("data"));
}

TEST(PartitionStoresTest, RefusesADirectoryMadeForAnotherCount) {
  crm::testing::TempDir dir;
  const eventstore::StoreOptions options{.path = dir.Sub("data"), .sync = false};
  ASSERT_TRUE(PartitionStores::Open(options, 4).ok());

  for (int32_t other : {1, 2, 8}) {
    auto refused = PartitionStores::Open(options, other);
    ASSERT_FALSE(refused.ok()) << other;
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(refused.status().message(), HasSubstr("holds the stores of 4 partition(s)"));
  }
  // A single store is not silently taken for partition 0 of several.
  const eventstore::StoreOptions single{.path = dir.Sub("single"), .sync = false};
  ASSERT_TRUE(PartitionStores::Open(single, 1).ok());
  auto refused = PartitionStores::Open(single, 3);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("holds the stores of 1 partition(s), not 3"));
}

TEST(PartitionStoresTest, RefusesACountBelowOne) {
  crm::testing::TempDir dir;
  auto refused = PartitionStores::Open({.path = dir.Sub("data")}, 0);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("partitions must be at least 1"));
}

TEST(PartitionStoresTest, TheStoresShareOneBlockCacheOfTheSizeOneStoreWouldHave) {
  crm::testing::TempDir dir;
  auto stores = PartitionStores::Open(
      {.path = dir.Sub("data"), .sync = false, .block_cache_bytes = 8u << 20}, 3);
  ASSERT_TRUE(stores.ok()) << stores.status();
  ASSERT_NE((*stores)->resources(), nullptr);
  // Each store reports the shared 8 MiB cache, not a default cache of its own (256 MiB),
  // once for each of its eight column families (RocksDB sums the property over them).
  for (int32_t p = 0; p < 3; ++p) {
    EXPECT_EQ((*stores)->Of(p).RocksDbProperty("rocksdb.block-cache-capacity"), 8 * (8u << 20));
  }
}

TEST(PartitionStoresTest, UsesTheResourcesItIsGiven) {
  crm::testing::TempDir dir;
  const auto shared = eventstore::StoreResources::Create({.block_cache_bytes = 4u << 20});
  auto stores =
      PartitionStores::Open({.path = dir.Sub("data"), .sync = false, .shared = shared}, 2);
  ASSERT_TRUE(stores.ok()) << stores.status();
  EXPECT_EQ((*stores)->resources(), shared);
  EXPECT_EQ((*stores)->Of(1).RocksDbProperty("rocksdb.block-cache-capacity"), 8 * (4u << 20));
}

TEST(PartitionStoresTest, ASingleStoreKeepsTheCacheItWouldHaveAlone) {
  crm::testing::TempDir dir;
  auto stores = PartitionStores::Open({.path = dir.Sub("data"), .sync = false}, 1);
  ASSERT_TRUE(stores.ok()) << stores.status();
  EXPECT_EQ((*stores)->resources(), nullptr);
  EXPECT_EQ((*stores)->Of(0).RocksDbProperty("rocksdb.block-cache-capacity"), 8 * (256u << 20));
}

TEST(PartitionStoresTest, RefusesPartitionStoresWithoutARecordedCount) {
  crm::testing::TempDir dir;
  const eventstore::StoreOptions options{.path = dir.Sub("data"), .sync = false};
  ASSERT_TRUE(PartitionStores::Open(options, 4).ok());
  std::filesystem::remove(dir.Sub("data/partitions/COUNT"));
  auto refused = PartitionStores::Open(options, 4);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("no record of their partition count"));
}

}  // namespace
}  // namespace crm::runtime
