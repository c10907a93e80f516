// The check every name the store keeps goes through: stream, request, customer and event
// ids, topics, event types and read-model tables. They become parts of RocksDB keys, where
// a NUL separates parts and length is bounded.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace crm::eventstore::internal {

// INVALID_ARGUMENT naming `what` when `value` is empty (and `required`), longer than 512
// bytes or holds a NUL byte.
absl::Status ValidateName(std::string_view what, std::string_view value, bool required);

}  // namespace crm::eventstore::internal
