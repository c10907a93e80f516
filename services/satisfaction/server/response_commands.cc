// Recording a survey response on the customer's stream: the handler gathers the facts
// (the survey, whether it asked the customer, the person's earlier answer, the customer's
// scope and the commitments) and the domain decides (crm/satisfaction/responses.h): one
// answer per person and survey, its NPS counted in every scope it belongs to, and a
// detractor's follow-up issue opened in the same write.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issue_steps.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/responses.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

crm::v1::SurveyResponse ResponseFrom(const crm::v1::RecordResponseRequest& request,
                                     absl::Time now) {
  crm::v1::SurveyResponse response;
  response.set_response_id(runtime::NewId("rsp"));
  response.set_survey_id(request.survey_id());
  response.set_customer_id(request.customer_id());
  response.set_person_id(request.person_id());
  if (request.has_score()) response.set_score(request.score());
  response.set_comment(request.comment());
  response.set_channel(request.channel());
  *response.mutable_responded_at() = request.has_responded_at()
                                         ? request.responded_at()
                                         : TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
  return response;
}

}  // namespace

grpc::Status SatisfactionService::RecordResponse(grpc::ServerContext* context,
                                                 const crm::v1::RecordResponseRequest* request,
                                                 crm::v1::RecordResponseResponse* response) {
  auto record = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    RETURN_IF_ERROR(runtime::CheckId("person_id", request->person_id()));
    ASSIGN_OR_RETURN(crm::v1::Survey survey, LoadSurveyHeader(request->survey_id()));
    const absl::Time now = Now();
    const crm::v1::SurveyResponse response_given = ResponseFrom(*request, now);
    ASSIGN_OR_RETURN(std::optional<std::string> asked,
                     store_.GetRow(kSurveyCustomers, JoinKey({survey.survey_id(), customer_id})));
    // A response that cannot be recorded is refused before the customer is looked up
    // (which may ask the registry).
    RETURN_IF_ERROR(CheckResponse(response_given, survey, asked.has_value(), now));
    ASSIGN_OR_RETURN(KnownCustomer customer,
                     directory_.Find(runtime::PrincipalOf(*context), customer_id,
                                     {{request->person_id(), "person_id"}}));
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
    // Where its NPS counts: the customer's region, industry and tier now.
    crm::v1::ResponseScope scope;
    scope.set_region(customer.region());
    scope.set_industry(customer.industry());
    scope.set_tier(customers::EffectiveTier(customer));

    const Command command{.method = "RecordResponse",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      // The person's earlier answer, read under the customer's stream lock.
      ASSIGN_OR_RETURN(
          std::optional<std::string> earlier_row,
          store_.GetRow(kResponses, ResponseKey(survey.survey_id(), request->person_id())));
      std::optional<StoredResponse> earlier;
      if (earlier_row.has_value()) {
        ASSIGN_OR_RETURN(earlier, runtime::ParseRow<StoredResponse>(*earlier_row));
      }
      ASSIGN_OR_RETURN(ResponseEvents events,
                       DecideResponse(response_given, {.survey = survey,
                                                       .asked = asked.has_value(),
                                                       .earlier = std::move(earlier),
                                                       .replace = request->replace(),
                                                       .scope = scope,
                                                       .commitments = settings.commitments(),
                                                       .follow_up_issue_id = runtime::NewId("iss"),
                                                       .now = now}));
      Projection changes = ResponseChanges(events.recorded);
      Decision decision{.events = {eventstore::NewEvent::From(events.recorded)},
                        .occurred_at = now};
      crm::v1::RecordResponseResponse reply;
      *reply.mutable_response() = response_given;
      if (events.raised.has_value()) {
        for (RowChange& row : IssueRows(events.raised->issue(), nullptr)) {
          changes.rows.push_back(std::move(row));
        }
        reply.set_follow_up_issue_id(events.raised->issue().issue_id());
        decision.events.push_back(eventstore::NewEvent::From(*events.raised));
      }
      decision.rows = runtime::RowWritesOf(std::move(changes.rows));
      decision.counters = runtime::CounterAddsOf(std::move(changes.counters));
      decision.response = reply.SerializeAsString();
      return decision;
    });
  };
  return runtime::Reply(record(), response);
}

}  // namespace crm::satisfaction
