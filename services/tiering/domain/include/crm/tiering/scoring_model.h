// The scoring model: validation when a version is published, and the default model built
// from the thirteen factors of docs/DOMAIN.md §4 with four levels each (see the service README).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// INVALID_ARGUMENT naming the field (factors[i].weight, …): a version; factors with unique
// ids, a group, a positive weight and at least two levels whose min_input strictly rises
// and whose points (0..100) do not fall; weights summing to 100; a tier rule, its shares
// (each at least 0) summing to 100 or its thresholds strictly falling from S to B.
absl::Status ValidateModel(const crm::v1::ScoringModel& model);

// Version "default-1": 50% explicit (profit 15, revenue 15, forecast 10, payment record 5,
// share of wallet 5) and 50% implicit (loyalty by NPS 5, importance of our product 8,
// industry influence 8, relationship length 5, relationship depth 8, growth prospects 6,
// impact of loss 5, strategic fit 5), levels worth 0, 40, 70 and 100 points, tiers by
// shares 5 / 20 / 30 / 45.
crm::v1::ScoringModel DefaultModel();

// The version of the current model that clients see: the one the models stream chose, or
// the built-in default's.
std::string CurrentVersionOf(const internal::TieringSettings& settings);

// The models stream after a change of the current model.
void EvolveSettings(const crm::v1::CurrentModelChanged& changed,
                    internal::TieringSettings& settings);

}  // namespace crm::tiering
