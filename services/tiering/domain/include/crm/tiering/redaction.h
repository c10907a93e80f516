// What assistants may not see of tiering's answers (docs/DOMAIN.md §5): the profit input of a
// score card (its value and the level it reached) and the relationship budget of tier
// policies. The functions clear those fields for `role` and return their paths for the
// response's redacted_fields.
//
//   for (auto& path : RedactTier(role, *reply.mutable_tier())) reply.add_redacted_fields(path);
#pragma once

#include <string>
#include <vector>

#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// The factor whose input is a profit figure.
inline constexpr char kProfitFactor[] = "last_year_profit";

// The paths `role` may not see, whether or not an answer holds them.
std::vector<std::string> HiddenTierFields(crm::v1::Role role);
std::vector<std::string> HiddenTierPolicyFields(crm::v1::Role role);

// Clear them; return the paths.
std::vector<std::string> RedactTier(crm::v1::Role role, crm::v1::CustomerTier& tier);
std::vector<std::string> RedactTierPolicies(crm::v1::Role role, crm::v1::TierPolicies& policies);

}  // namespace crm::tiering
