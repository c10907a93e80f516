// One side of a merge join over customer ids: walks a table's rows under a prefix in key
// order, each parsed once, without copying them. An evaluation run reads every table it
// needs this way beside the customers, instead of a point read per customer and table.
//
//   ASSIGN_OR_RETURN(auto tiers, RowCursor<StoredTier>::Open(store, kTiers, "", KeyIsId));
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

  // The rows under `prefix` whose key after it lies in [from, to) (no bound when empty).
  static absl::StatusOr<RowCursor> Open(const eventstore::EventStore& store, std::string_view table,
                                        std::string_view prefix, IdOf id_of,
                                        std::string_view from = "", std::string_view to = "") {
    ASSIGN_OR_RETURN(eventstore::RowReader rows, store.ReadRows(table, prefix, from, to));
    return RowCursor(std::string(table), std::move(rows), std::move(id_of));
  }

  // The row of `customer_id`, or nullptr; ids must be asked for in rising order.
  absl::StatusOr<const Row*> Find(std::string_view customer_id) {
    while (true) {
      if (!parsed_) {
        ASSIGN_OR_RETURN(bool more, ParseCurrent());
        if (!more) return nullptr;
      }
      const std::string_view id = id_of_(rows_.key(), row_);
      if (id == customer_id) return &row_;
      if (id > customer_id) return nullptr;
      parsed_ = false;
      rows_.Next();
    }
  }

 private:
  RowCursor(std::string table, eventstore::RowReader rows, IdOf id_of)
      : table_(std::move(table)), rows_(std::move(rows)), id_of_(std::move(id_of)) {}

  // Parses the row the reader stands on; false at the end of the table.
  absl::StatusOr<bool> ParseCurrent() {
    if (!rows_.Valid()) {
      RETURN_IF_ERROR(rows_.status());
      return false;
    }
    const std::string_view value = rows_.value();
    if (!row_.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::InternalError(absl::StrCat("a row of ", table_, " does not parse"));
    }
    parsed_ = true;
    return true;
  }

  std::string table_;
  eventstore::RowReader rows_;
  IdOf id_of_;
  bool parsed_ = false;
  Row row_;
};

}  // namespace crm::tiering
