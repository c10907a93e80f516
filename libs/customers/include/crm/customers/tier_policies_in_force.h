// The tier policies tiering published last, as the services that apply them (engagement's
// contact cadence, satisfaction's response times) keep them: one row the projection of
// tiering's topic replaces with each TierPoliciesPublished.
//
//   ASSIGN_OR_RETURN(std::optional<crm::v1::TierPolicies> in_force,
//                    LoadTierPoliciesInForce(store));
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/projection_batch.h"
#include "crm/v1/tiering.pb.h"

namespace crm::customers {

// The one row's table.
inline constexpr std::string_view kTierPoliciesInForceTable = "tier_policies_in_force";

// Applies a tiering event: TierPoliciesPublished replaces the row. Returns whether the
// event was one; INVALID_ARGUMENT when its bytes do not parse.
absl::StatusOr<bool> ApplyTierPoliciesEvent(std::string_view event_type, std::string_view bytes,
                                            kafka::ProjectionBatch& batch);

// The policies in force; nullopt until tiering publishes a version.
absl::StatusOr<std::optional<crm::v1::TierPolicies>> LoadTierPoliciesInForce(
    const eventstore::EventStore& store);

// OK while tiering has published no policies; once it has, FAILED_PRECONDITION saying
// that `what` ("cadence rules") follows the version in force, for the services' own
// setters of what the policies now decide.
absl::Status RequireNoTierPolicies(const eventstore::EventStore& store, std::string_view what);

}  // namespace crm::customers
