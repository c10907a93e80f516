// Checks every handler makes on its request, with messages that name the field, and the
// ids and page sizes every service hands out the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crm/v1/common.pb.h"

namespace crm::runtime {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// INVALID_ARGUMENT unless `request_id` is given, at most 128 bytes, printable.
absl::Status CheckRequestId(std::string_view request_id);

// INVALID_ARGUMENT naming `field` unless `id` is given and looks like an id of ours
// (letters, digits, '_' and '-', at most 64).
absl::Status CheckId(std::string_view field, std::string_view id);

// "<prefix>_" and 20 random hex digits.
std::string NewId(std::string_view prefix);

// The page size asked for: 0 means kDefaultPageSize; INVALID_ARGUMENT naming
// page.page_size outside 0..kMaxPageSize.
absl::StatusOr<size_t> PageSizeOf(const crm::v1::PageRequest& page);

// INVALID_ARGUMENT for a page token that this query did not hand out.
absl::Status BadPageToken();

}  // namespace crm::runtime
