// The one place where RocksDB's statuses become absl::Status.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace crm::eventstore::internal {

// Maps a RocksDB status to the absl code a caller can act on, prefixing `context`.
absl::Status FromRocks(const rocksdb::Status& status, std::string_view context);

}  // namespace crm::eventstore::internal
