// One side of a merge join over customer ids: walks a table's rows under a prefix in key
// order, a page at a time, each parsed once. An evaluation run reads every table it needs
// this way beside the customers, instead of a point read per customer and table.
//
//   RowCursor<StoredTier> tiers(store, kTiers, "", RowCursor<StoredTier>::KeyIsId);
//   for (…each customer in id order…) ASSIGN_OR_RETURN(const StoredTier* tier, tiers.Find(id));
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/event_store.h"

namespace crm::tiering {

template <class Row>
class RowCursor {
 public:
  // The customer id of a row, from its key (relative to the table) or its contents.
  using IdOf = std::function<std::string_view(std::string_view key, const Row& row)>;
  static std::string_view KeyIsId(std::string_view key, const Row&) { return key; }

  RowCursor(const eventstore::EventStore& store, std::string_view table, std::string prefix,
            IdOf id_of)
      : store_(store), table_(table), prefix_(std::move(prefix)), id_of_(std::move(id_of)) {}

  // The row of `customer_id`, or nullptr; ids must be asked for in rising order.
  absl::StatusOr<const Row*> Find(std::string_view customer_id) {
    while (true) {
      if (!parsed_) {
        ASSIGN_OR_RETURN(bool more, ParseNext());
        if (!more) return nullptr;
      }
      const std::string_view id = id_of_(page_.rows[next_ - 1].first, row_);
      if (id == customer_id) return &row_;
      if (id > customer_id) return nullptr;
      parsed_ = false;
    }
  }

 private:
  static constexpr size_t kPageSize = 10000;

  // Parses the next row; false at the end of the table.
  absl::StatusOr<bool> ParseNext() {
    if (next_ == page_.rows.size()) {
      if (fetched_ && page_.next_page_token.empty()) return false;
      ASSIGN_OR_RETURN(page_, store_.ScanRows(table_, prefix_, page_.next_page_token, kPageSize));
      fetched_ = true;
      next_ = 0;
      if (page_.rows.empty()) return false;
    }
    const std::string& value = page_.rows[next_++].second;
    if (!row_.ParseFromString(value)) {
      return absl::InternalError(absl::StrCat("a row of ", table_, " does not parse"));
    }
    parsed_ = true;
    return true;
  }

  const eventstore::EventStore& store_;
  std::string table_;
  std::string prefix_;
  IdOf id_of_;
  eventstore::RowPage page_;
  size_t next_ = 0;
  bool fetched_ = false;
  bool parsed_ = false;
  Row row_;
};

}  // namespace crm::tiering
