#include "crm/runtime/row_writes.h"

#include <string>
#include <utility>

namespace crm::runtime {

std::vector<eventstore::RowWrite> RowWritesOf(std::vector<RowChange> changes) {
  std::vector<eventstore::RowWrite> rows;
  AddRowWrites(std::move(changes), rows);
  return rows;
}

std::vector<eventstore::CounterAdd> CounterAddsOf(std::vector<CounterChange> changes) {
  std::vector<eventstore::CounterAdd> counters;
  AddCounterAdds(std::move(changes), counters);
  return counters;
}

void AddRowWrites(std::vector<RowChange> changes, std::vector<eventstore::RowWrite>& rows) {
  rows.reserve(rows.size() + changes.size());
  for (RowChange& row : changes) {
    rows.push_back({std::string(row.table), std::move(row.key), std::move(row.value)});
  }
}

void AddCounterAdds(std::vector<CounterChange> changes,
                    std::vector<eventstore::CounterAdd>& counters) {
  counters.reserve(counters.size() + changes.size());
  for (CounterChange& add : changes) {
    counters.push_back({std::string(add.table), std::move(add.key), std::move(add.deltas)});
  }
}

}  // namespace crm::runtime
