// A run's results as stored (crm.tiering.internal.StoredTier: the inputs by factor order)
// and as the API shows them (crm.v1.CustomerTier with its whole score card, rebuilt from
// the inputs and the model).
#pragma once

#include "crm/tiering/internal/state.pb.h"
#include "crm/tiering/scoring.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// The stored inputs by factor order.
FactorValues ValuesOf(const internal::StoredTier& stored);

// The stored result with its explanation; `model` is the one of stored.model_version().
crm::v1::CustomerTier CustomerTierOf(const internal::StoredTier& stored,
                                     const crm::v1::ScoringModel& model);

}  // namespace crm::tiering
