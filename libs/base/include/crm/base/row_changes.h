// What a domain's projection writes besides events, as plain values: rows of its read
// models and additions to its counter rows. The domain libraries return these (they know
// no store); the runtime turns them into the event store's writes (crm/runtime/row_writes.h).
//
//   std::vector<RowChange> rows = {{kSurveys, survey_id, header.SerializeAsString()}};
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

// A row to put (value set) or delete (value unset) in `table` (a name with static storage).
struct RowChange {
  std::string_view table;
  std::string key;
  std::optional<std::string> value;
};

// Additions to the counters of `table` at `key`: deltas[i] is added to the i-th value.
struct CounterChange {
  std::string_view table;
  std::string key;
  std::vector<int64_t> deltas;
};

}  // namespace crm
