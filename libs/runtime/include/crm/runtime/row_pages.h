// One page of a list query over read-model rows: rows under a key prefix, in key order,
// each offered to the query, which keeps it, skips it (a filter) or ends the list there.
// The page ends when it is full, when the rows end, or after kMaxRowsScanned rows, so
// that a filter that matches little cannot make one call read the whole table; the token
// returned resumes right after the last row read.
//
//   ASSIGN_OR_RETURN(std::string next, ReadRowPage(store, "touchpoints_by_day", prefix,
//       request.page().page_token(), page_size, [&](std::string_view value) { ... }));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "crm/eventstore/event_store.h"

namespace crm::runtime {

// Rows a filtered list reads at most per call before it answers with what it found.
inline constexpr size_t kMaxRowsScanned = 5000;

enum class RowVerdict { kKeep, kSkip, kStop };

// Offers rows to `offer` until `page_size` are kept; returns the next page's token (empty
// when the list is complete). An error from `offer` ends the call with it.
absl::StatusOr<std::string> ReadRowPage(
    const eventstore::EventStore& store, std::string_view table, std::string_view prefix,
    std::string_view page_token, size_t page_size,
    absl::FunctionRef<absl::StatusOr<RowVerdict>(std::string_view key, std::string_view value)>
        offer);

}  // namespace crm::runtime
