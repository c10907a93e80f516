// The inputs derived from the other services' events: what each event tells about a
// customer (its signals), and the factor inputs they give.
//   relationship_length  years since the registry registered the customer;
//   relationship_depth   percent of the decision makers met at a touchpoint;
//   loyalty              the customer's NPS: over the responses of the last twelve months
//                        (crm/nps/nps.h).
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "crm/internal/known_customer.pb.h"
#include "crm/nps/nps.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// Which service's topic an event came from.
enum class SignalSource { kRegistry, kEngagement, kSatisfaction };

// Applies an event (by its full type name) to the customer's signals; events that tell
// nothing leave them as they are. INVALID_ARGUMENT when the bytes do not parse.
absl::Status ApplySignalEvent(SignalSource source, std::string_view event_type,
                              std::string_view bytes, const crm::v1::EventMetadata& metadata,
                              internal::CustomerSignals& signals);

// The customer's responses that "a customer's NPS" counts at `now`: those of the twelve
// months up to `now`'s (crm/nps/nps.h); every response in a row kept before the months
// were (whose months do not add up to its totals).
nps::NpsCounts CustomerNpsCounts(const internal::CustomerSignals& signals, absl::Time now);

// The derived inputs the signals give at `now`, by factor id; a factor they say nothing
// about (no responses, no decision makers, not registered) is left out, so it scores as
// missing.
std::vector<crm::v1::FactorInput> DerivedInputs(const internal::CustomerSignals& signals,
                                                const crm::internal::KnownCustomer& customer,
                                                absl::Time now);

}  // namespace crm::tiering
