#include "crm/tiering/scoring_model.h"

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"

namespace crm::tiering {
namespace {

// Weights and shares are percentages given as decimals; a sum within this of 100 is 100.
constexpr double kSumTolerance = 1e-6;

absl::Status ValidateFactor(const crm::v1::Factor& factor, const std::string& field) {
  if (factor.factor_id().empty()) return Invalid(field + ".factor_id", "is required");
  if (factor.group() == crm::v1::VALUE_GROUP_UNSPECIFIED ||
      !crm::v1::ValueGroup_IsValid(factor.group())) {
    return Invalid(field + ".group", "is required: explicit or implicit");
  }
  if (!(factor.weight() > 0) || !std::isfinite(factor.weight())) {
    return Invalid(field + ".weight", "must be a positive number");
  }
  if (factor.levels_size() < 2) return Invalid(field + ".levels", "needs at least two levels");
  for (int i = 0; i < factor.levels_size(); ++i) {
    const crm::v1::FactorLevel& level = factor.levels(i);
    const std::string level_field = absl::StrCat(field, ".levels[", i, "]");
    if (level.points() < 0 || level.points() > 100) {
      return Invalid(level_field + ".points", "must be from 0 to 100");
    }
    if (i == 0) continue;  // the lowest level takes everything below the next
    if (!std::isfinite(level.min_input())) {
      return Invalid(level_field + ".min_input", "must be a finite number");
    }
    const crm::v1::FactorLevel& below = factor.levels(i - 1);
    if (i > 1 && !(level.min_input() > below.min_input())) {
      return Invalid(level_field + ".min_input", "must be above the level below's");
    }
    if (level.points() < below.points()) {
      return Invalid(level_field + ".points", "must not be below the level below's");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRule(const crm::v1::ScoringModel& model) {
  if (model.has_shares()) {
    const crm::v1::PercentileShares& shares = model.shares();
    // NaN passes every comparison, so finiteness is checked first (a fuzzer found it).
    for (const auto& [name, share] :
         {std::pair{"shares.s", shares.s()}, std::pair{"shares.a", shares.a()},
          std::pair{"shares.b", shares.b()}, std::pair{"shares.c", shares.c()}}) {
      if (!std::isfinite(share)) return Invalid(name, "must be a finite number");
      if (share < 0) return Invalid(name, "must not be negative");
    }
    if (std::abs(shares.s() + shares.a() + shares.b() + shares.c() - 100) > kSumTolerance) {
      return Invalid("shares", "must sum to 100");
    }
    return absl::OkStatus();
  }
  if (model.has_thresholds()) {
    const crm::v1::ScoreThresholds& t = model.thresholds();
    for (const auto& [name, value] :
         {std::pair{"thresholds.s_min", t.s_min()}, std::pair{"thresholds.a_min", t.a_min()},
          std::pair{"thresholds.b_min", t.b_min()}}) {
      if (!std::isfinite(value)) return Invalid(name, "must be a finite number");
    }
    if (!(t.s_min() > t.a_min() && t.a_min() > t.b_min())) {
      return Invalid("thresholds", "must fall strictly: s_min > a_min > b_min");
    }
    return absl::OkStatus();
  }
  return Invalid("tier_rule", "is required: shares or thresholds");
}

crm::v1::Factor MakeFactor(const char* id, const char* name, crm::v1::ValueGroup group,
                           double weight, const char* unit, std::vector<double> thresholds) {
  static const char* const kLevelNames[] = {"low", "medium", "high", "very high"};
  static const int kLevelPoints[] = {0, 40, 70, 100};
  crm::v1::Factor factor;
  factor.set_factor_id(id);
  factor.set_name(name);
  factor.set_group(group);
  factor.set_weight(weight);
  factor.set_unit(unit);
  for (size_t i = 0; i < thresholds.size(); ++i) {
    crm::v1::FactorLevel& level = *factor.add_levels();
    level.set_name(kLevelNames[i]);
    level.set_min_input(thresholds[i]);
    level.set_points(kLevelPoints[i]);
  }
  return factor;
}

}  // namespace

absl::Status ValidateModel(const crm::v1::ScoringModel& model) {
  if (model.version().empty()) return Invalid("version", "is required");
  if (model.factors().empty()) return Invalid("factors", "needs at least one factor");
  std::set<std::string> ids;
  double weights = 0;
  for (int i = 0; i < model.factors_size(); ++i) {
    const std::string field = absl::StrCat("factors[", i, "]");
    if (absl::Status s = ValidateFactor(model.factors(i), field); !s.ok()) return s;
    if (!ids.insert(model.factors(i).factor_id()).second) {
      return Invalid(field + ".factor_id", "is used twice");
    }
    weights += model.factors(i).weight();
  }
  if (std::abs(weights - 100) > kSumTolerance) {
    return Invalid("factors", absl::StrCat("weights must sum to 100 (they sum to ", weights, ")"));
  }
  return ValidateRule(model);
}

crm::v1::ScoringModel DefaultModel() {
  using crm::v1::VALUE_GROUP_EXPLICIT;
  using crm::v1::VALUE_GROUP_IMPLICIT;
  crm::v1::ScoringModel model;
  model.set_version("default-1");
  const std::vector<double> rating = {1, 2, 3.5, 4.5};  // a rating from 1 to 5
  for (crm::v1::Factor factor : {
           MakeFactor("last_year_profit", "Last year's profit", VALUE_GROUP_EXPLICIT, 15, "million",
                      {0, 1, 5, 20}),
           MakeFactor("last_year_revenue", "Last year's revenue", VALUE_GROUP_EXPLICIT, 15,
                      "million", {0, 10, 50, 200}),
           MakeFactor("forecast_revenue", "This year's forecast revenue", VALUE_GROUP_EXPLICIT, 10,
                      "million", {0, 10, 50, 200}),
           MakeFactor("payment_record", "Credit and payment record", VALUE_GROUP_EXPLICIT, 5,
                      "rating 1-5", rating),
           MakeFactor("share_of_wallet", "Our share of their purchases", VALUE_GROUP_EXPLICIT, 5,
                      "percent", {0, 10, 30, 60}),
           MakeFactor("loyalty", "Loyalty (their NPS)", VALUE_GROUP_IMPLICIT, 5, "NPS",
                      {-100, 0, 30, 60}),
           MakeFactor("product_importance", "Importance of our product to them",
                      VALUE_GROUP_IMPLICIT, 8, "rating 1-5", rating),
           MakeFactor("industry_influence", "Influence in their industry", VALUE_GROUP_IMPLICIT, 8,
                      "rating 1-5", rating),
           MakeFactor("relationship_length", "Length of the relationship", VALUE_GROUP_IMPLICIT, 5,
                      "years", {0, 2, 5, 10}),
           MakeFactor("relationship_depth", "Depth of the relationship (decision chain met)",
                      VALUE_GROUP_IMPLICIT, 8, "percent", {0, 25, 50, 75}),
           MakeFactor("growth_prospects", "Growth prospects", VALUE_GROUP_IMPLICIT, 6, "rating 1-5",
                      rating),
           MakeFactor("loss_impact", "Impact of losing them", VALUE_GROUP_IMPLICIT, 5, "rating 1-5",
                      rating),
           MakeFactor("strategic_fit", "Fit between their strategy and ours", VALUE_GROUP_IMPLICIT,
                      5, "rating 1-5", rating),
       }) {
    *model.add_factors() = std::move(factor);
  }
  crm::v1::PercentileShares& shares = *model.mutable_shares();
  shares.set_s(5);
  shares.set_a(20);
  shares.set_b(30);
  shares.set_c(45);
  return model;
}

std::string CurrentVersionOf(const internal::TieringSettings& settings) {
  return settings.current_model_version().empty() ? DefaultModel().version()
                                                  : settings.current_model_version();
}

void EvolveSettings(const crm::v1::CurrentModelChanged& changed,
                    internal::TieringSettings& settings) {
  settings.set_current_model_version(changed.version());
}

absl::StatusOr<ModelPublication> DecidePublishModel(const internal::TieringSettings& settings,
                                                    const crm::v1::ScoringModel& model,
                                                    bool published_already, bool make_current) {
  if (!IsIdLike(model.version())) {
    return Invalid("model.version", "must be 1 to 64 letters, digits, '_' or '-'");
  }
  RETURN_IF_ERROR(ValidateModel(model));
  if (published_already || model.version() == DefaultModel().version()) {
    return absl::AlreadyExistsError(
        absl::StrCat("model.version ", model.version(), " is published already"));
  }
  ModelPublication publication;
  *publication.published.mutable_model() = model;
  if (make_current) publication.made_current = DecideCurrentModel(settings, model.version());
  return publication;
}

crm::v1::CurrentModelChanged DecideCurrentModel(const internal::TieringSettings& settings,
                                                std::string_view version) {
  crm::v1::CurrentModelChanged changed;
  changed.set_version(std::string(version));
  changed.set_previous_version(CurrentVersionOf(settings));
  return changed;
}

}  // namespace crm::tiering
