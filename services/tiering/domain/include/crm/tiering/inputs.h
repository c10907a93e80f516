// A customer's inputs for a fiscal year: which factors are entered through the API and
// which are derived from other services' events, the checks on entered ones, and how new
// inputs replace earlier ones.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "crm/tiering/scoring.h"
#include "crm/v1/tiering.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace crm::tiering {

// Fiscal years an input may be for.
inline constexpr int kFirstFiscalYear = 2000;
inline constexpr int kLastFiscalYear = 2100;

// INVALID_ARGUMENT naming `field` outside kFirstFiscalYear..kLastFiscalYear.
absl::Status ValidateFiscalYear(int fiscal_year, std::string_view field);

// Where a factor's input comes from: ENTERED for factors clients enter, else the service
// whose events it is derived from (relationship_length: registry, relationship_depth:
// engagement, loyalty: satisfaction).
crm::v1::InputSource SourceOf(std::string_view factor_id);

// INVALID_ARGUMENT naming inputs[i].factor_id or inputs[i].value: at least one input,
// each a factor of `model` that clients enter, named once, with a finite value.
absl::Status ValidateEnteredInputs(
    const crm::v1::ScoringModel& model,
    const google::protobuf::RepeatedPtrField<crm::v1::FactorInput>& inputs);

// Replaces (or adds) each input of `changes` in `inputs`, stamped with `source` and `at`;
// inputs stay ordered by factor id.
void MergeInputs(const google::protobuf::RepeatedPtrField<crm::v1::FactorInput>& changes,
                 crm::v1::InputSource source, absl::Time at, crm::v1::CustomerInputs& inputs);

// The inputs after `recorded`: each of its inputs, as recorded (source and time included),
// replaces the factor's earlier one or is added; inputs stay ordered by factor id.
void EvolveInputs(const crm::v1::CustomerInputsRecorded& recorded, crm::v1::CustomerInputs& inputs);

// The inputs by factor id, as Score takes them.
Inputs InputsOf(const crm::v1::CustomerInputs& inputs);

}  // namespace crm::tiering
