// The tiering service's construction, and the loads that its commands and queries share.
#include "tiering_service.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/signals.h"
#include "stored_tiers.h"

namespace crm::tiering {

TieringService::TieringService(eventstore::EventStore& store, const CustomerDirectory& directory,
                               TieringServiceOptions options)
    : store_(store), directory_(directory), options_(std::move(options)) {}

absl::StatusOr<TieringSettings> TieringService::LoadSettings() const {
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(kModelsStream));
  return runtime::ParseState<TieringSettings>(head, kModelsStream);
}

absl::StatusOr<crm::v1::ScoringModel> TieringService::LoadModel(std::string_view version,
                                                                std::string_view field) const {
  std::string wanted(version);
  if (wanted.empty()) {
    ASSIGN_OR_RETURN(TieringSettings settings, LoadSettings());
    wanted = settings.current_model_version();
  }
  const crm::v1::ScoringModel built_in = DefaultModel();
  if (wanted.empty() || wanted == built_in.version()) return built_in;
  ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kModels, wanted));
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat(std::string(field), " ", wanted, " names no model"));
  }
  return runtime::ParseRow<crm::v1::ScoringModel>(*row);
}

absl::StatusOr<crm::v1::CustomerTier> TieringService::ShownTier(std::string_view stored,
                                                                LoadedModels& models) const {
  ASSIGN_OR_RETURN(internal::StoredTier result, runtime::ParseRow<internal::StoredTier>(stored));
  auto model = models.find(result.model_version());
  if (model == models.end()) {
    ASSIGN_OR_RETURN(crm::v1::ScoringModel loaded,
                     LoadModel(result.model_version(), "the stored result's model_version"));
    model = models.emplace(result.model_version(), std::move(loaded)).first;
  }
  return CustomerTierOf(result, model->second);
}

absl::StatusOr<std::optional<std::string>> TieringService::CurrentResult(
    std::string_view customer_id) const {
  ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kTiers, customer_id));
  if (!row.has_value()) return std::nullopt;
  ASSIGN_OR_RETURN(internal::StoredTier current, runtime::ParseRow<internal::StoredTier>(*row));
  // Stores before the current row left its inputs out kept them in both rows.
  if (current.inputs_size() > 0) return row;
  ASSIGN_OR_RETURN(std::optional<std::string> history,
                   store_.GetRow(kTierHistory, TierHistoryKey(customer_id, current.evaluated_at(),
                                                              current.run_id())));
  if (!history.has_value()) {
    return absl::DataLossError(absl::StrCat("the history row of run ", current.run_id(),
                                            " for customer ", std::string(customer_id),
                                            " is missing"));
  }
  return history;
}

absl::StatusOr<crm::v1::CustomerInputs> TieringService::LoadInputs(std::string_view customer_id,
                                                                   int fiscal_year) const {
  ASSIGN_OR_RETURN(std::optional<std::string> row,
                   store_.GetRow(kInputs, InputsKey(fiscal_year, customer_id)));
  if (!row.has_value()) {
    crm::v1::CustomerInputs empty;
    empty.set_customer_id(std::string(customer_id));
    empty.set_fiscal_year(fiscal_year);
    return empty;
  }
  return runtime::ParseRow<crm::v1::CustomerInputs>(*row);
}

absl::StatusOr<crm::v1::CustomerInputs> TieringService::ScoringInputs(
    const KnownCustomerRow& customer, int fiscal_year) const {
  ASSIGN_OR_RETURN(crm::v1::CustomerInputs inputs, LoadInputs(customer.customer_id(), fiscal_year));
  ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kSignals, customer.customer_id()));
  if (!row.has_value()) return inputs;
  ASSIGN_OR_RETURN(internal::CustomerSignals signals,
                   runtime::ParseRow<internal::CustomerSignals>(*row));
  const absl::Time now = options_.clock->Now();
  for (const crm::v1::FactorInput& derived : DerivedInputs(signals, customer, now)) {
    google::protobuf::RepeatedPtrField<crm::v1::FactorInput> one;
    *one.Add() = derived;
    MergeInputs(one, derived.source(), now, inputs);
  }
  return inputs;
}

}  // namespace crm::tiering
