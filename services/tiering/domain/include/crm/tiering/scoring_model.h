// The scoring model: validation and the decisions of the models stream (publishing a
// version, choosing the current one), and the default model built from the thirteen
// factors of docs/DOMAIN.md §4 with four levels each (see the service README).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

// The events of publishing a model version.
struct ModelPublication {
  crm::v1::ScoringModelPublished published;
  // Set when the version becomes the current model at once.
  std::optional<crm::v1::CurrentModelChanged> made_current;
};

// Publishing `model` on the models stream at `settings`: INVALID_ARGUMENT naming the field
// for a bad model (ValidateModel, and a version of id shape), ALREADY_EXISTS when the
// version is published already (`published_already`, or the built-in default's); with
// `make_current`, the change of the current model to it.
absl::StatusOr<ModelPublication> DecidePublishModel(const internal::TieringSettings& settings,
                                                    const crm::v1::ScoringModel& model,
                                                    bool published_already, bool make_current);

// The change of the current model from the one `settings` names to `version` (a version
// known to be published).
crm::v1::CurrentModelChanged DecideCurrentModel(const internal::TieringSettings& settings,
                                                std::string_view version);

}  // namespace crm::tiering
