#include "crm/tiering/scoring.h"

namespace crm::tiering {

int LevelIndex(const crm::v1::Factor& factor, double input) {
  int index = 0;
  for (int i = 1; i < factor.levels_size(); ++i) {
    if (input >= factor.levels(i).min_input()) index = i;
  }
  return index;
}

FactorIndex IndexOf(const crm::v1::ScoringModel& model) {
  FactorIndex index;
  for (int i = 0; i < model.factors_size(); ++i) index[model.factors(i).factor_id()] = i;
  return index;
}

crm::v1::ScoreCard ScoreValues(const crm::v1::ScoringModel& model, const std::string& customer_id,
                               const FactorValues& values) {
  crm::v1::ScoreCard card;
  card.set_customer_id(customer_id);
  card.set_model_version(model.version());
  for (int i = 0; i < model.factors_size(); ++i) {
    const crm::v1::Factor& factor = model.factors(i);
    crm::v1::FactorScore& line = *card.add_factors();
    line.set_factor_id(factor.factor_id());
    line.set_group(factor.group());
    line.set_weight(factor.weight());
    int level = 0;
    if (values[i].has_value()) {
      line.set_input(*values[i]);
      level = LevelIndex(factor, *values[i]);
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

double TotalScore(const crm::v1::ScoringModel& model, const FactorValues& values) {
  // The same operations in the same order as ScoreValues, so ties stay ties.
  double explicit_score = 0;
  double implicit_score = 0;
  for (int i = 0; i < model.factors_size(); ++i) {
    const crm::v1::Factor& factor = model.factors(i);
    const int level = values[i].has_value() ? LevelIndex(factor, *values[i]) : 0;
    const double weighted = factor.levels(level).points() * factor.weight() / 100.0;
    (factor.group() == crm::v1::VALUE_GROUP_EXPLICIT ? explicit_score : implicit_score) += weighted;
  }
  return explicit_score + implicit_score;
}

crm::v1::ScoreCard Score(const crm::v1::ScoringModel& model, const std::string& customer_id,
                         const Inputs& inputs) {
  FactorValues values(model.factors_size());
  for (int i = 0; i < model.factors_size(); ++i) {
    if (auto input = inputs.find(model.factors(i).factor_id()); input != inputs.end()) {
      values[i] = input->second;
    }
  }
  return ScoreValues(model, customer_id, values);
}

}  // namespace crm::tiering
