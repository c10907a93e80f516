#include "crm/tiering/inputs.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "google/protobuf/util/time_util.h"

namespace crm::tiering {
namespace {

bool HasFactor(const crm::v1::ScoringModel& model, std::string_view factor_id) {
  return std::any_of(
      model.factors().begin(), model.factors().end(),
      [&](const crm::v1::Factor& factor) { return factor.factor_id() == factor_id; });
}

}  // namespace

absl::Status ValidateFiscalYear(int fiscal_year, std::string_view field) {
  if (fiscal_year < kFirstFiscalYear || fiscal_year > kLastFiscalYear) {
    return Invalid(field, absl::StrCat("must be from ", kFirstFiscalYear, " to ", kLastFiscalYear));
  }
  return absl::OkStatus();
}

crm::v1::InputSource SourceOf(std::string_view factor_id) {
  if (factor_id == "relationship_length") return crm::v1::INPUT_SOURCE_REGISTRY;
  if (factor_id == "relationship_depth") return crm::v1::INPUT_SOURCE_ENGAGEMENT;
  if (factor_id == "loyalty") return crm::v1::INPUT_SOURCE_SATISFACTION;
  return crm::v1::INPUT_SOURCE_ENTERED;
}

absl::Status ValidateEnteredInputs(
    const crm::v1::ScoringModel& model,
    const google::protobuf::RepeatedPtrField<crm::v1::FactorInput>& inputs) {
  if (inputs.empty()) return Invalid("inputs", "must hold at least one input");
  std::set<std::string_view> seen;
  for (int i = 0; i < inputs.size(); ++i) {
    const std::string field = absl::StrCat("inputs[", i, "]");
    const std::string& factor_id = inputs[i].factor_id();
    if (!HasFactor(model, factor_id)) {
      return Invalid(field + ".factor_id",
                     absl::StrCat("\"", factor_id, "\" is no factor of model ", model.version()));
    }
    if (SourceOf(factor_id) != crm::v1::INPUT_SOURCE_ENTERED) {
      return Invalid(field + ".factor_id",
                     absl::StrCat(factor_id, " is derived from ",
                                  crm::v1::InputSource_Name(SourceOf(factor_id)),
                                  " events and cannot be entered"));
    }
    if (!seen.insert(factor_id).second) return Invalid(field + ".factor_id", "is named twice");
    if (!std::isfinite(inputs[i].value())) return Invalid(field + ".value", "must be a number");
  }
  return absl::OkStatus();
}

namespace {

// Replaces (or adds) the input of `change`'s factor, as `change` has it.
crm::v1::FactorInput& Replace(const crm::v1::FactorInput& change, crm::v1::CustomerInputs& inputs) {
  auto* held = inputs.mutable_inputs();
  auto it = std::find_if(held->begin(), held->end(), [&](const crm::v1::FactorInput& input) {
    return input.factor_id() == change.factor_id();
  });
  crm::v1::FactorInput& target = it != held->end() ? *it : *held->Add();
  target = change;
  return target;
}

void SortByFactor(crm::v1::CustomerInputs& inputs) {
  std::sort(inputs.mutable_inputs()->begin(), inputs.mutable_inputs()->end(),
            [](const auto& a, const auto& b) { return a.factor_id() < b.factor_id(); });
}

}  // namespace

void MergeInputs(const google::protobuf::RepeatedPtrField<crm::v1::FactorInput>& changes,
                 crm::v1::InputSource source, absl::Time at, crm::v1::CustomerInputs& inputs) {
  const google::protobuf::Timestamp stamp =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(at));
  for (const crm::v1::FactorInput& change : changes) {
    crm::v1::FactorInput& target = Replace(change, inputs);
    target.set_source(source);
    *target.mutable_updated_at() = stamp;
  }
  SortByFactor(inputs);
}

void EvolveInputs(const crm::v1::CustomerInputsRecorded& recorded,
                  crm::v1::CustomerInputs& inputs) {
  for (const crm::v1::FactorInput& change : recorded.inputs()) Replace(change, inputs);
  SortByFactor(inputs);
}

Inputs InputsOf(const crm::v1::CustomerInputs& inputs) {
  Inputs out;
  for (const crm::v1::FactorInput& input : inputs.inputs()) out[input.factor_id()] = input.value();
  return out;
}

}  // namespace crm::tiering
