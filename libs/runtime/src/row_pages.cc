#include "crm/runtime/row_pages.h"

#include "crm/base/status_macros.h"

namespace crm::runtime {

absl::StatusOr<std::string> ReadRowPage(
    const eventstore::EventStore& store, std::string_view table, std::string_view prefix,
    std::string_view page_token, size_t page_size,
    absl::FunctionRef<absl::StatusOr<RowVerdict>(std::string_view key, std::string_view value)>
        offer) {
  if (page_size == 0) return absl::InvalidArgumentError("page size must be positive");
  size_t kept = 0;
  size_t scanned = 0;
  bool stopped = false;
  absl::Status offered;
  // The rows are offered straight from the store's iterator, never copied.
  ASSIGN_OR_RETURN(
      std::string token,
      store.VisitRows(table, prefix, page_token, [&](std::string_view key, std::string_view value) {
        absl::StatusOr<RowVerdict> verdict = offer(key, value);
        if (!verdict.ok()) {
          offered = verdict.status();
          return false;
        }
        if (*verdict == RowVerdict::kStop) {
          stopped = true;
          return false;
        }
        if (*verdict == RowVerdict::kKeep) ++kept;
        ++scanned;
        return kept < page_size && scanned < kMaxRowsScanned;
      }));
  RETURN_IF_ERROR(offered);
  if (stopped) return std::string();
  return token;
}

}  // namespace crm::runtime
