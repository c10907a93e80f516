// The weekly touchpoint counts of earlier releases (one EmployeeWeekCount row per week and
// employee, read and rewritten by every touchpoint) moved into the counter and role rows
// that replace them (crm/engagement/read_models.h), when the service starts.
//
//   process.AddStoreUpgrade(MoveLegacyWeekCounts);
#pragma once

#include "absl/status/status.h"
#include "crm/eventstore/event_store.h"

namespace crm::engagement {

// Moves every legacy row, a batch at a time: each batch adds the rows' counts, writes their
// roles and deletes them in one write, so that a stop midway leaves every count in one of
// the two forms, never both. Nothing to do once they are gone.
absl::Status MoveLegacyWeekCounts(eventstore::EventStore& store);

}  // namespace crm::engagement
