// A domain's row and counter changes (crm/base/row_changes.h) as the event store's
// writes, for a command's Decision and a rebuild's replayed commands alike.
//
//   decision.rows = RowWritesOf(IssueRows(issue, &before));
#pragma once

#include <vector>

#include "crm/base/row_changes.h"
#include "crm/eventstore/types.h"

namespace crm::runtime {

std::vector<eventstore::RowWrite> RowWritesOf(std::vector<RowChange> changes);
std::vector<eventstore::CounterAdd> CounterAddsOf(std::vector<CounterChange> changes);

// Appends `changes` to `rows` (`counters`).
void AddRowWrites(std::vector<RowChange> changes, std::vector<eventstore::RowWrite>& rows);
void AddCounterAdds(std::vector<CounterChange> changes,
                    std::vector<eventstore::CounterAdd>& counters);

}  // namespace crm::runtime
