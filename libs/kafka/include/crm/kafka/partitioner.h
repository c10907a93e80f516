// Which partition of a topic a key belongs to: murmur2 of the key's bytes, its sign bit
// cleared, modulo the partition count. This is the Java client's default partitioner and
// librdkafka's "murmur2_random" (which the relay uses) for every non-empty key, so that a
// customer's partition is the same for this project's producers, Kafka Streams or any
// other Kafka client, and an instance can tell which partition holds a customer without
// asking the broker.
//
//   const int32_t p = KeyPartition(customer_id, 12);
#pragma once

#include <cstdint>
#include <string_view>

namespace crm::kafka {

// Kafka's murmur2 (32-bit, seed 0x9747b28c) of `bytes`.
uint32_t Murmur2(std::string_view bytes);

// The partition, in [0, partition_count), of a non-empty `key`; partition_count > 0.
int32_t KeyPartition(std::string_view key, int32_t partition_count);

}  // namespace crm::kafka
