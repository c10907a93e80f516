#include "crm/runtime/row_pages.h"

#include "crm/base/status_macros.h"

namespace crm::runtime {

absl::StatusOr<std::string> ReadRowPage(
    const eventstore::EventStore& store, std::string_view table, std::string_view prefix,
    std::string_view page_token, size_t page_size,
    absl::FunctionRef<absl::StatusOr<RowVerdict>(std::string_view key, std::string_view value)>
        offer) {
  std::string token(page_token);
  size_t kept = 0;
  size_t scanned = 0;
  // Each read asks for exactly the rows still missing, so that a page ends at the end of a
  // read and the store's token there is where the next page starts.
  while (true) {
    ASSIGN_OR_RETURN(eventstore::RowPage rows,
                     store.ScanRows(table, prefix, token, page_size - kept));
    for (const auto& [key, value] : rows.rows) {
      ASSIGN_OR_RETURN(RowVerdict verdict, offer(key, value));
      if (verdict == RowVerdict::kStop) return std::string();
      if (verdict == RowVerdict::kKeep) ++kept;
    }
    scanned += rows.rows.size();
    token = std::move(rows.next_page_token);
    if (token.empty() || kept == page_size || scanned >= kMaxRowsScanned) return token;
  }
}

}  // namespace crm::runtime
