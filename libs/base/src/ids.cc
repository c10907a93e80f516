#include "crm/base/ids.h"

#include <cstdint>

#include "absl/random/random.h"

namespace crm {

namespace {

// The 128 bits, high first, as 32 lowercase hex digits grouped 8-4-4-4-12. Written by hand
// rather than with a format string: the store makes one per event, a million in a run.
std::string FormatUuid(uint64_t hi, uint64_t lo) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (int nibble = 0; nibble < 32; ++nibble) {
    if (at == 8 || at == 13 || at == 18 || at == 23) ++at;  // the dashes
    const uint64_t word = nibble < 16 ? hi : lo;
    out[at++] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xf];
  }
  return out;
}

}  // namespace

std::string NewUuid() {
  // absl::BitGen is seeded from the OS's entropy and is not thread-safe: one per thread.
  thread_local absl::BitGen gen;
  uint64_t hi = absl::Uniform<uint64_t>(gen);
  uint64_t lo = absl::Uniform<uint64_t>(gen);
  hi = (hi & ~uint64_t{0xf000}) | uint64_t{0x4000};            // version 4
  lo = (lo & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);  // variant 10xx
  return FormatUuid(hi, lo);
}

}  // namespace crm
