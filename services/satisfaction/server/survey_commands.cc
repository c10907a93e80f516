// Creating and closing surveys, each on its own stream.
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/surveys.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {

grpc::Status SatisfactionService::CreateSurvey(grpc::ServerContext* context,
                                               const crm::v1::CreateSurveyRequest* request,
                                               crm::v1::CreateSurveyResponse* response) {
  auto create = [&]() -> absl::StatusOr<std::string> {
    crm::v1::Survey survey;
    survey.set_survey_id(runtime::NewId("srv"));
    survey.set_title(request->title());
    survey.set_kind(request->kind());
    *survey.mutable_customer_ids() = request->customer_ids();
    *survey.mutable_opens_on() = request->opens_on();
    *survey.mutable_closes_on() = request->closes_on();
    RETURN_IF_ERROR(ValidateSurvey(survey, Today()));
    for (int i = 0; i < survey.customer_ids_size(); ++i) {
      absl::Status known =
          directory_.Find(runtime::PrincipalOf(*context), survey.customer_ids(i)).status();
      if (absl::IsNotFound(known)) {
        return absl::NotFoundError(
            absl::StrCat("customer_ids[", i, "] ", survey.customer_ids(i), " names no customer"));
      }
      RETURN_IF_ERROR(known);
    }
    const Command command{.method = "CreateSurvey",
                          .request_id = request->request_id(),
                          .stream = SurveyStream(survey.survey_id()),
                          .must = runtime::StreamMust::kBeNew,  // a new id that collided
                          .subject = {"survey_id", survey.survey_id(), "survey"}};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      crm::v1::SurveyCreated created;
      *created.mutable_survey() = survey;
      crm::v1::CreateSurveyResponse reply;
      *reply.mutable_survey() = survey;
      return Decision{.events = {eventstore::NewEvent::From(created)},
                      .state = survey.SerializeAsString(),
                      .rows = runtime::RowWritesOf(SurveyRows(survey, /*asked=*/true)),
                      .response = reply.SerializeAsString()};
    });
  };
  return runtime::Reply(create(), response);
}

grpc::Status SatisfactionService::CloseSurvey(grpc::ServerContext* context,
                                              const crm::v1::CloseSurveyRequest* request,
                                              crm::v1::CloseSurveyResponse* response) {
  auto close = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::CheckId("survey_id", request->survey_id()));
    const Command command{.method = "CloseSurvey",
                          .request_id = request->request_id(),
                          .stream = SurveyStream(request->survey_id()),
                          .must = runtime::StreamMust::kExist,
                          .subject = {"survey_id", request->survey_id(), "survey"}};
    return Run(*context, command,
               [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
                 ASSIGN_OR_RETURN(crm::v1::Survey survey,
                                  runtime::ParseState<crm::v1::Survey>(head, command.stream));
                 ASSIGN_OR_RETURN(crm::v1::SurveyClosed closed, DecideCloseSurvey(survey));
                 EvolveSurvey(closed, survey);
                 crm::v1::CloseSurveyResponse reply;
                 *reply.mutable_survey() = survey;
                 return Decision{.events = {eventstore::NewEvent::From(closed)},
                                 .state = survey.SerializeAsString(),
                                 .rows = runtime::RowWritesOf(SurveyRows(survey, false)),
                                 .response = reply.SerializeAsString()};
               });
  };
  return runtime::Reply(close(), response);
}

}  // namespace crm::satisfaction
