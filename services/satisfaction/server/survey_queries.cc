// Reading surveys and their responses.
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/read_models.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {

using runtime::RowVerdict;

grpc::Status SatisfactionService::GetSurvey(grpc::ServerContext*,
                                            const crm::v1::GetSurveyRequest* request,
                                            crm::v1::GetSurveyResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetSurveyResponse> {
    crm::v1::GetSurveyResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_survey(), LoadSurvey(request->survey_id()));
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status SatisfactionService::ListSurveys(grpc::ServerContext*,
                                              const crm::v1::ListSurveysRequest* request,
                                              crm::v1::ListSurveysResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListSurveysResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    crm::v1::ListSurveysResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kSurveys, "", request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_surveys(), runtime::ParseRow<crm::v1::Survey>(value));
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status SatisfactionService::ListResponses(grpc::ServerContext*,
                                                const crm::v1::ListResponsesRequest* request,
                                                crm::v1::ListResponsesResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListResponsesResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    RETURN_IF_ERROR(LoadSurveyHeader(request->survey_id()).status());
    crm::v1::ListResponsesResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kResponses, JoinKey({request->survey_id()}), request->page().page_token(),
            page_size, [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(StoredResponse stored, runtime::ParseRow<StoredResponse>(value));
              *reply.add_responses() = std::move(*stored.mutable_response());
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

}  // namespace crm::satisfaction
