// Order-preserving encodings for keys of sorted key-value stores: big-endian integers sort
// numerically as bytes, and a NUL byte separates string components (which therefore must
// not contain NUL).
//
//   std::string key = crm::JoinKey({"customer-1"}) + crm::EncodeUint64(7);
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace crm {

// 8 bytes, big-endian.
std::string EncodeUint64(uint64_t value);
void AppendUint64(std::string& out, uint64_t value);
// Reads 8 big-endian bytes; nullopt when `bytes` is shorter than 8.
std::optional<uint64_t> DecodeUint64(std::string_view bytes);

// The parts joined with a NUL after each, so that a prefix of parts is a key prefix.
std::string JoinKey(std::initializer_list<std::string_view> parts);

// The smallest key greater than every key that starts with `prefix` (empty when none
// exists, that is when the prefix is all 0xff bytes).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace crm
