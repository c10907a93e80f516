// Reading models and inputs, and previewing a customer's evaluation.
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/redaction.h"
#include "crm/tiering/scoring.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/tiers.h"
#include "tiering_service.h"

namespace crm::tiering {

using runtime::RowVerdict;

grpc::Status TieringService::GetModel(grpc::ServerContext*, const crm::v1::GetModelRequest* request,
                                      crm::v1::GetModelResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetModelResponse> {
    crm::v1::GetModelResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_model(), LoadModel(request->version(), "version"));
    ASSIGN_OR_RETURN(crm::v1::ScoringModel current, LoadModel("", "the current model"));
    reply.set_current(current.version() == reply.model().version());
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status TieringService::ListModels(grpc::ServerContext*,
                                        const crm::v1::ListModelsRequest* request,
                                        crm::v1::ListModelsResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListModelsResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    crm::v1::ListModelsResponse reply;
    ASSIGN_OR_RETURN(crm::v1::ScoringModel current, LoadModel("", "the current model"));
    reply.set_current_version(current.version());
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kModels, "", request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_models(),
                               runtime::ParseRow<crm::v1::ScoringModel>(value));
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status TieringService::GetInputs(grpc::ServerContext* context,
                                       const crm::v1::GetInputsRequest* request,
                                       crm::v1::GetInputsResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetInputsResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(ValidateFiscalYear(request->fiscal_year(), "fiscal_year"));
    ASSIGN_OR_RETURN(KnownCustomerRow customer,
                     directory_.Find(runtime::PrincipalOf(*context), request->customer_id()));
    crm::v1::GetInputsResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_inputs(), ScoringInputs(customer, request->fiscal_year()));
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status TieringService::PreviewEvaluation(grpc::ServerContext* context,
                                               const crm::v1::PreviewEvaluationRequest* request,
                                               crm::v1::PreviewEvaluationResponse* response) {
  auto preview = [&]() -> absl::StatusOr<crm::v1::PreviewEvaluationResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(ValidateFiscalYear(request->fiscal_year(), "fiscal_year"));
    ASSIGN_OR_RETURN(crm::v1::ScoringModel model,
                     LoadModel(request->model_version(), "model_version"));
    ASSIGN_OR_RETURN(KnownCustomerRow customer,
                     directory_.Find(runtime::PrincipalOf(*context), request->customer_id()));
    ASSIGN_OR_RETURN(crm::v1::CustomerInputs inputs,
                     ScoringInputs(customer, request->fiscal_year()));
    crm::v1::PreviewEvaluationResponse reply;
    *reply.mutable_score_card() = Score(model, request->customer_id(), InputsOf(inputs));
    if (model.has_thresholds()) {
      reply.set_tier(TierByThresholds(reply.score_card().total_score(), model.thresholds()));
    } else {
      ASSIGN_OR_RETURN(std::optional<crm::v1::EvaluationRun> latest,
                       LatestRun(request->fiscal_year(), customer.region()));
      if (latest.has_value() && latest->model_version() == model.version() &&
          latest->has_cutoffs()) {
        reply.set_tier(TierByThresholds(reply.score_card().total_score(), latest->cutoffs()));
        reply.set_cutoffs_run_id(latest->run_id());
      }
    }
    return reply;
  };
  return runtime::Answer(preview(), response);
}

grpc::Status TieringService::GetCustomerTier(grpc::ServerContext* context,
                                             const crm::v1::GetCustomerTierRequest* request,
                                             crm::v1::GetCustomerTierResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetCustomerTierResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(
        directory_.Find(runtime::PrincipalOf(*context), request->customer_id()).status());
    crm::v1::GetCustomerTierResponse reply;
    ASSIGN_OR_RETURN(std::optional<std::string> row, CurrentResult(request->customer_id()));
    if (row.has_value()) {
      LoadedModels models;
      ASSIGN_OR_RETURN(*reply.mutable_tier(), ShownTier(*row, models));
      for (std::string& path :
           RedactTier(runtime::CallerOf(*context).role(), *reply.mutable_tier())) {
        reply.add_redacted_fields(std::move(path));
      }
    }
    return reply;
  };
  return runtime::Answer(get(), response);
}

absl::StatusOr<std::optional<std::string>> TieringService::PublishedState(
    std::string_view customer_id) {
  ASSIGN_OR_RETURN(std::optional<std::string> row, CurrentResult(customer_id));
  if (!row.has_value()) return std::nullopt;
  ASSIGN_OR_RETURN(crm::v1::CustomerTier tier, ShownTier(*row, published_models_));
  if (tier.tier() == crm::v1::TIER_UNSPECIFIED) return std::nullopt;  // lost: cleared
  return tier.SerializeAsString();
}

grpc::Status TieringService::ListTierHistory(grpc::ServerContext* context,
                                             const crm::v1::ListTierHistoryRequest* request,
                                             crm::v1::ListTierHistoryResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListTierHistoryResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(
        directory_.Find(runtime::PrincipalOf(*context), request->customer_id()).status());
    crm::v1::ListTierHistoryResponse reply;
    const crm::v1::Role role = runtime::CallerOf(*context).role();
    LoadedModels models;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kTierHistory, JoinKey({request->customer_id()}), request->page().page_token(),
            page_size, [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_entries(), ShownTier(value, models));
              RedactTier(role, *reply.mutable_entries(reply.entries_size() - 1));
              return RowVerdict::kKeep;
            }));
    for (std::string& path : HiddenTierFields(role)) reply.add_redacted_fields(std::move(path));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

}  // namespace crm::tiering
