#include "crm/eventstore/counters.h"

#include <algorithm>

namespace crm::eventstore {
namespace {

constexpr size_t kValueBytes = sizeof(int64_t);

int64_t ValueAt(std::string_view row, size_t index) {
  const size_t offset = index * kValueBytes;
  if (offset + kValueBytes > row.size()) return 0;
  uint64_t value = 0;
  for (size_t byte = 0; byte < kValueBytes; ++byte) {
    value |= uint64_t{static_cast<unsigned char>(row[offset + byte])} << (8 * byte);
  }
  return static_cast<int64_t>(value);
}

void StoreAt(std::string& row, size_t index, int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  for (size_t byte = 0; byte < kValueBytes; ++byte) {
    row[index * kValueBytes + byte] = static_cast<char>((bits >> (8 * byte)) & 0xff);
  }
}

}  // namespace

std::string EncodeCounters(std::span<const int64_t> values) {
  std::string row(values.size() * kValueBytes, '\0');
  for (size_t i = 0; i < values.size(); ++i) StoreAt(row, i, values[i]);
  return row;
}

std::vector<int64_t> DecodeCounters(std::string_view row) {
  std::vector<int64_t> values(row.size() / kValueBytes);
  for (size_t i = 0; i < values.size(); ++i) values[i] = ValueAt(row, i);
  return values;
}

void AddToCounters(std::string& row, std::string_view deltas) {
  const size_t count = std::max(row.size(), deltas.size()) / kValueBytes;
  row.resize(count * kValueBytes, '\0');
  for (size_t i = 0; i < count; ++i) {
    // Wrapping addition: counters never come near the limit, and a wrap must not be
    // undefined behaviour inside RocksDB's compaction.
    const uint64_t sum =
        static_cast<uint64_t>(ValueAt(row, i)) + static_cast<uint64_t>(ValueAt(deltas, i));
    StoreAt(row, i, static_cast<int64_t>(sum));
  }
}

}  // namespace crm::eventstore
