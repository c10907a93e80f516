// A key's partition as this project computes it, against Kafka's published murmur2 values
// and against where librdkafka's murmur2_random partitioner puts the same keys on
// crm-devbroker.
#include "crm/kafka/partitioner.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "support/dev_broker.h"
#include "topic_reader.h"

namespace crm::kafka {
namespace {

TEST(Murmur2Test, GivesTheJavaClientsValues) {
  // The values of Kafka's own tests of Utils.murmur2 (as Java ints).
  EXPECT_EQ(static_cast<int32_t>(Murmur2("21")), -973932308);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("foobar")), -790332482);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("a-little-bit-long-string")), -985981536);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("a-little-bit-longer-string")), -1486304829);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")),
            -58897971);
  EXPECT_EQ(static_cast<int32_t>(Murmur2("abc")), 479470107);
}

TEST(KeyPartitionTest, ClearsTheSignBitRatherThanTakingTheAbsoluteValue) {
  // murmur2("21") is negative: 0x7fffffff & -973932308 = 1173551340, not 973932308.
  EXPECT_EQ(KeyPartition("21", 1000), 1173551340 % 1000);
  EXPECT_EQ(KeyPartition("21", 1), 0);
}

TEST(KeyPartitionTest, AgreesWithLibrdkafkaOnTheBroker) {
  crm::testing::DevBroker* broker = crm::testing::DevBroker::Shared();
  const std::string topic = crm::testing::UniqueTopic("crm.partitioner.v1");
  std::vector<std::pair<std::string, std::string>> messages;
  for (int i = 0; i < 200; ++i) {
    // Customer ids as the registry draws them, and keys of every length modulo four.
    messages.emplace_back(absl::StrCat("cus_", i * 7919, std::string(i % 4, 'x')), "v");
  }
  crm::kafka::testing::ProduceRaw(broker->bootstrap(), topic, messages);
  const std::vector<crm::kafka::testing::Record> records =
      crm::kafka::testing::ReadTopic(broker->bootstrap(), topic, messages.size());
  ASSERT_EQ(records.size(), messages.size());
  int32_t partition_count = 0;
  for (const auto& record : records)
    partition_count = std::max(partition_count, record.partition + 1);
  // The shared broker's topics have 4 partitions; 200 keys reach every one of them.
  ASSERT_EQ(partition_count, 4);
  for (const auto& record : records) {
    EXPECT_EQ(KeyPartition(record.key, partition_count), record.partition) << record.key;
  }
}

}  // namespace
}  // namespace crm::kafka
