// Scoring a customer under a model: each factor's input graded into a level, its points
// weighted, explicit and implicit value summed apart and together; the score card is the
// explanation of the result.
//
//   crm::v1::ScoreCard card = Score(model, "cus_1", {{"last_year_revenue", 42.0}});
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// Inputs by factor id; a factor without one is missing.
using Inputs = std::map<std::string, double>;

// The model must be valid (ValidateModel). A missing input scores as the lowest level and
// is marked missing; inputs for factors the model lacks are ignored.
crm::v1::ScoreCard Score(const crm::v1::ScoringModel& model, const std::string& customer_id,
                         const Inputs& inputs);

// A customer's inputs by the model's factor order (nullopt: missing): what an evaluation
// run scores and stores, since the score card follows from them and the model.
using FactorValues = std::vector<std::optional<double>>;

// Factor ids to their place in the model.
using FactorIndex = absl::flat_hash_map<std::string, int>;
FactorIndex IndexOf(const crm::v1::ScoringModel& model);

// Puts each input of a factor of the model in its place; a later one replaces an earlier.
template <class FactorInputs>
void PlaceInputs(const FactorIndex& index, const FactorInputs& inputs, FactorValues& values) {
  for (const crm::v1::FactorInput& input : inputs) {
    if (auto place = index.find(input.factor_id()); place != index.end()) {
      values[place->second] = input.value();
    }
  }
}

// The score card of `values` (one per factor of the model); Score is this for the
// values of `inputs`.
crm::v1::ScoreCard ScoreValues(const crm::v1::ScoringModel& model, const std::string& customer_id,
                               const FactorValues& values);

// ScoreValues(…).total_score(), to the last bit, without building the card.
double TotalScore(const crm::v1::ScoringModel& model, const FactorValues& values);

// The index of the level `input` reaches: the highest whose min_input it meets (the first
// level takes everything below the second).
int LevelIndex(const crm::v1::Factor& factor, double input);

}  // namespace crm::tiering
