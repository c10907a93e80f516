#include "crm/kafka/partitioner.h"

namespace crm::kafka {

uint32_t Murmur2(std::string_view bytes) {
  // Unsigned arithmetic throughout: the Java original relies on int overflow wrapping,
  // which unsigned types give without undefined behaviour.
  constexpr uint32_t kSeed = 0x9747b28c;
  constexpr uint32_t kMultiplier = 0x5bd1e995;
  constexpr int kShift = 24;
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  const size_t length = bytes.size();
  uint32_t hash = kSeed ^ static_cast<uint32_t>(length);
  const size_t whole_words = length / 4;
  for (size_t word = 0; word < whole_words; ++word) {
    const size_t i = word * 4;
    // Little-endian, as Java reads the four bytes.
    uint32_t k = byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24);
    k *= kMultiplier;
    k ^= k >> kShift;
    k *= kMultiplier;
    hash *= kMultiplier;
    hash ^= k;
  }
  const size_t tail = length & ~size_t{3};
  switch (length % 4) {
    case 3:
      hash ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      hash ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      hash ^= byte(tail);
      hash *= kMultiplier;
      break;
    default:
      break;
  }
  hash ^= hash >> 13;
  hash *= kMultiplier;
  hash ^= hash >> 15;
  return hash;
}

int32_t KeyPartition(std::string_view key, int32_t partition_count) {
  // The Java client's toPositive: the sign bit cleared, not the absolute value.
  const uint32_t positive = Murmur2(key) & 0x7fffffffU;
  return static_cast<int32_t>(positive % static_cast<uint32_t>(partition_count));
}

}  // namespace crm::kafka
