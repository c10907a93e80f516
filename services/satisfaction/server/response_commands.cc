// Recording a survey response on the customer's stream: one per person and survey, its
// NPS counted in every scope it belongs to, and a detractor's follow-up issue opened in
// the same write.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"
#include "satisfaction_service.h"
#include "tables.h"

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

// Where a stored response counts in NPS roll-ups.
crm::v1::ResponseScope ScopeOf(const StoredResponse& stored) {
  crm::v1::ResponseScope scope;
  scope.set_region(stored.region());
  scope.set_industry(stored.industry());
  scope.set_tier(stored.tier());
  return scope;
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
    StoredResponse stored;
    *stored.mutable_response() = ResponseFrom(*request, now);
    RETURN_IF_ERROR(ValidateResponse(stored.response(), survey, now));
    RETURN_IF_ERROR(CheckAcceptsResponses(survey, Today()));
    ASSIGN_OR_RETURN(std::optional<std::string> asked,
                     store_.GetRow(kSurveyCustomers, JoinKey({survey.survey_id(), customer_id})));
    if (!asked.has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("survey ", survey.survey_id(), " did not ask customer ", customer_id));
    }
    ASSIGN_OR_RETURN(KnownCustomer customer,
                     directory_.Find(runtime::PrincipalOf(*context), customer_id,
                                     {{request->person_id(), "person_id"}}));
    stored.set_region(customer.region());
    stored.set_industry(customer.industry());
    stored.set_tier(customers::EffectiveTier(customer));

    const Command command{.method = "RecordResponse",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      const std::string key = ResponseKey(survey.survey_id(), request->person_id());
      ASSIGN_OR_RETURN(std::optional<std::string> earlier_row, store_.GetRow(kResponses, key));
      std::optional<StoredResponse> earlier;
      if (earlier_row.has_value()) {
        if (!request->replace()) {
          return absl::AlreadyExistsError(
              absl::StrCat("person ", request->person_id(), " already answered survey ",
                           survey.survey_id(), "; set replace to replace the answer"));
        }
        ASSIGN_OR_RETURN(earlier, runtime::ParseRow<StoredResponse>(*earlier_row));
      }

      crm::v1::SurveyResponseRecorded recorded;
      *recorded.mutable_response() = stored.response();
      recorded.set_category(CategoryOf(stored.response()));
      // The scopes the counters below use, so that they follow from the event.
      *recorded.mutable_scope() = ScopeOf(stored);
      Decision decision;
      decision.rows.push_back({std::string(kResponses), key, stored.SerializeAsString()});
      decision.counters = NpsCounterAdds(stored, +1);
      if (earlier.has_value()) {
        *recorded.mutable_replaced() = earlier->response();
        *recorded.mutable_replaced_scope() = ScopeOf(*earlier);
        for (eventstore::CounterAdd& add : NpsCounterAdds(*earlier, -1)) {
          decision.counters.push_back(std::move(add));
        }
      }
      decision.events.push_back(eventstore::NewEvent::From(recorded));

      crm::v1::RecordResponseResponse reply;
      *reply.mutable_response() = stored.response();
      if (NeedsFollowUp(stored.response(), earlier ? &earlier->response() : nullptr)) {
        crm::v1::Issue issue = FollowUpOf(stored.response());
        issue.set_issue_id(runtime::NewId("iss"));
        issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
        *issue.mutable_raised_at() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
        *issue.mutable_waiting_since() = issue.raised_at();
        crm::v1::IssueRaised raised;
        *raised.mutable_issue() = issue;
        decision.events.push_back(eventstore::NewEvent::From(raised));
        for (eventstore::RowWrite& row : IssueRows(issue, nullptr)) {
          decision.rows.push_back(std::move(row));
        }
        reply.set_follow_up_issue_id(issue.issue_id());
      }
      decision.response = reply.SerializeAsString();
      return decision;
    });
  };
  return runtime::Reply(record(), response);
}

}  // namespace crm::satisfaction
