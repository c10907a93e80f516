// Scoring a customer under a model: each factor's input graded into a level, its points
// weighted, explicit and implicit value summed apart and together; the score card is the
// explanation of the result.
//
//   crm::v1::ScoreCard card = Score(model, "cus_1", {{"last_year_revenue", 42.0}});
#pragma once

#include <map>
#include <string>

#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// Inputs by factor id; a factor without one is missing.
using Inputs = std::map<std::string, double>;

// The model must be valid (ValidateModel). A missing input scores as the lowest level and
// is marked missing; inputs for factors the model lacks are ignored.
crm::v1::ScoreCard Score(const crm::v1::ScoringModel& model, const std::string& customer_id,
                         const Inputs& inputs);

// The index of the level `input` reaches: the highest whose min_input it meets (the first
// level takes everything below the second).
int LevelIndex(const crm::v1::Factor& factor, double input);

}  // namespace crm::tiering
