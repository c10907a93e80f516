// What a touchpoint's correction or cancellation gathers from the rows before it decides:
// the latest contacts the touchpoint held, found anew among the customer's other
// touchpoints (its events carry them, see crm/engagement/touchpoint_events.h).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "crm/engagement/touchpoints.h"
#include "crm/eventstore/event_store.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

// For each contact `removed` holds in `state` (ContactsHeldBy), the newest other contact
// row of the customer, or none. Read under the customer's stream lock, or by a rebuild
// from the rows it restored.
absl::StatusOr<std::vector<crm::v1::LatestContact>> ContactsFoundAnew(
    const eventstore::EventStore& store, const crm::v1::Touchpoint& removed,
    const CustomerEngagement& state);

}  // namespace crm::engagement
