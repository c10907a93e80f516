// Tier policies (docs/DOMAIN.md §4): what each tier is owed. Validation and the decision
// when a version is published, and the built-in version in force until one is.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// INVALID_ARGUMENT naming the field (policies.policies[i].contact_every_days, …): a
// version of id shape; exactly one policy for each of S, A, B and C; response hours
// 1..720; cadences 1..3650 days; a finite budget of at least 0; investment text of at most
// 200 characters.
absl::Status ValidateTierPolicies(const crm::v1::TierPolicies& policies);

// Publishing `policies` (their published_at set): INVALID_ARGUMENT naming the field for bad
// policies (ValidateTierPolicies), ALREADY_EXISTS when the version is published already
// (`published_already`, or the built-in version's).
absl::StatusOr<crm::v1::TierPoliciesPublished> DecidePublishTierPolicies(
    const crm::v1::TierPolicies& policies, bool published_already);

// The policies stream after a publication: the published version is in force.
void EvolvePolicies(const crm::v1::TierPoliciesPublished& published,
                    internal::TierPolicyState& state);

// "policies-default": the cadences and response times engagement and satisfaction use
// when no version was published (S 4 h, every 14 days, decision makers every 30; A 8 h,
// 30, 60; B 24 h, 60, 90; C 72 h, 90, 180), an executive sponsor for S and A, and budgets
// of 200000, 50000, 10000 and 0.
crm::v1::TierPolicies DefaultTierPolicies();

// The policy of `tier` (C for UNSPECIFIED); the default's when the version lacks it.
crm::v1::TierPolicy PolicyOf(const crm::v1::TierPolicies& policies, crm::v1::Tier tier);

}  // namespace crm::tiering
