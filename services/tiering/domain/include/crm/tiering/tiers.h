// From scores to tiers: by percentile shares over a population (ties broken the same way
// every time) or by score thresholds; and which tier changes call for a retrospective.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// The tier of each of the customers scored `scores`, in their order. Customers are ranked
// by score, best first; the best round(N × s / 100) ranks are S, up to
// round(N × (s + a) / 100) A, up to round(N × (s + a + b) / 100) B, the rest C (halves
// round up). Customers with equal scores share the tier of the best ranked of them, so a
// tie never straddles a cut-off, and no order among them (by customer id, say) can change
// a result.
std::vector<crm::v1::Tier> TiersByShares(std::span<const double> scores,
                                         const crm::v1::PercentileShares& shares);

crm::v1::Tier TierByThresholds(double total_score, const crm::v1::ScoreThresholds& thresholds);

// Abnormal churn, which calls for a retrospective: a strategic or partner customer (S or
// A) lost, or any customer dropping two tiers or more (S to B or C, A to C).
bool IsAbnormalChurn(crm::v1::Tier before, crm::v1::Tier after, bool lost);

}  // namespace crm::tiering
