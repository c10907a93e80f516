// A scoring model as a client publishes it: validated, and when valid, used to score
// customers and cut a population into tiers, as an evaluation run does. A valid model never
// makes scoring crash, give a score that is not a number, or leave a customer without a tier.
#include <cmath>
#include <cstdlib>

#include "crm/tiering/scoring.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/tiers.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  crm::fuzz::FuzzInput input(data, size);
  // A model of any bytes rarely validates: half the inputs vary the shipped model's tier rule
  // instead.
  crm::v1::ScoringModel model;
  if (input.Choice(2) == 0) {
    model = input.Next<crm::v1::ScoringModel>();
  } else {
    model = crm::tiering::DefaultModel();
    if (input.Choice(2) == 0) {
      *model.mutable_shares() = input.Next<crm::v1::PercentileShares>();
    } else {
      *model.mutable_thresholds() = input.Next<crm::v1::ScoreThresholds>();
    }
  }
  if (!crm::tiering::ValidateModel(model).ok()) return 0;
  std::vector<double> population;
  for (int customer = 0; customer < 32 && !input.empty(); ++customer) {
    crm::tiering::FactorValues values(model.factors_size());
    for (auto& value : values) {
      if (input.Choice(4) != 0) value = input.Number();
    }
    const double total = crm::tiering::TotalScore(model, values);
    if (std::isnan(total)) std::abort();
    const crm::v1::ScoreCard card = crm::tiering::ScoreValues(model, "cus", values);
    if (card.total_score() != total) std::abort();
    population.push_back(total);
  }
  if (model.has_shares()) {
    const auto tiers = crm::tiering::TiersByShares(population, model.shares());
    if (tiers.size() != population.size()) std::abort();
    for (crm::v1::Tier tier : tiers) {
      if (tier == crm::v1::TIER_UNSPECIFIED) std::abort();
    }
  } else if (model.has_thresholds()) {
    for (double total : population) {
      crm::tiering::TierByThresholds(total, model.thresholds());
    }
  }
  return 0;
}
