#include "crm/tiering/scoring.h"

namespace crm::tiering {

int LevelIndex(const crm::v1::Factor& factor, double input) {
  int index = 0;
  for (int i = 1; i < factor.levels_size(); ++i) {
    if (input >= factor.levels(i).min_input()) index = i;
  }
  return index;
}

crm::v1::ScoreCard Score(const crm::v1::ScoringModel& model, const std::string& customer_id,
                         const Inputs& inputs) {
  crm::v1::ScoreCard card;
  card.set_customer_id(customer_id);
  card.set_model_version(model.version());
  for (const crm::v1::Factor& factor : model.factors()) {
    crm::v1::FactorScore& line = *card.add_factors();
    line.set_factor_id(factor.factor_id());
    line.set_group(factor.group());
    line.set_weight(factor.weight());
    int level = 0;
    if (auto input = inputs.find(factor.factor_id()); input != inputs.end()) {
      line.set_input(input->second);
      level = LevelIndex(factor, input->second);
    } else {
      line.set_missing(true);
    }
    line.set_level(factor.levels(level).name());
    line.set_points(factor.levels(level).points());
    line.set_weighted_points(line.points() * factor.weight() / 100.0);
    if (factor.group() == crm::v1::VALUE_GROUP_EXPLICIT) {
      card.set_explicit_score(card.explicit_score() + line.weighted_points());
    } else {
      card.set_implicit_score(card.implicit_score() + line.weighted_points());
    }
  }
  card.set_total_score(card.explicit_score() + card.implicit_score());
  return card;
}

}  // namespace crm::tiering
