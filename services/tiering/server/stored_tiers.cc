#include "stored_tiers.h"

namespace crm::tiering {

FactorValues ValuesOf(const internal::StoredTier& stored) {
  FactorValues values(stored.inputs_size());
  for (int i = 0; i < stored.inputs_size(); ++i) {
    if (i >= stored.missing_size() || !stored.missing(i)) values[i] = stored.inputs(i);
  }
  return values;
}

crm::v1::CustomerTier CustomerTierOf(const internal::StoredTier& stored,
                                     const crm::v1::ScoringModel& model) {
  crm::v1::CustomerTier result;
  result.set_customer_id(stored.customer_id());
  result.set_tier(stored.tier());
  result.set_previous_tier(stored.previous_tier());
  result.set_run_id(stored.run_id());
  result.set_fiscal_year(stored.fiscal_year());
  *result.mutable_evaluated_at() = stored.evaluated_at();
  FactorValues values = ValuesOf(stored);
  values.resize(model.factors_size());
  *result.mutable_score_card() = ScoreValues(model, stored.customer_id(), values);
  return result;
}

}  // namespace crm::tiering
