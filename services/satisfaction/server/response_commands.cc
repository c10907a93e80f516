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
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issue_steps.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/read_models.h"
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
    RETURN_IF_ERROR(ValidateResponse(response_given, survey, now));
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
    // Where its NPS counts: the customer's region, industry and tier now.
    crm::v1::ResponseScope scope;
    scope.set_region(customer.region());
    scope.set_industry(customer.industry());
    scope.set_tier(customers::EffectiveTier(customer));
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());

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
      *recorded.mutable_response() = response_given;
      recorded.set_category(CategoryOf(response_given));
      // The scopes its counters use, so that they follow from the event.
      *recorded.mutable_scope() = scope;
      if (earlier.has_value()) {
        *recorded.mutable_replaced() = earlier->response();
        *recorded.mutable_replaced_scope() = ScopeOf(*earlier);
      }
      Projection changes = ResponseChanges(recorded);
      Decision decision{.events = {eventstore::NewEvent::From(recorded)}, .occurred_at = now};

      crm::v1::RecordResponseResponse reply;
      *reply.mutable_response() = response_given;
      if (NeedsFollowUp(response_given, earlier ? &earlier->response() : nullptr)) {
        crm::v1::Issue issue = FollowUpOf(response_given);
        issue.set_issue_id(runtime::NewId("iss"));
        issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
        *issue.mutable_raised_at() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
        *issue.mutable_waiting_since() = issue.raised_at();
        decision.events.push_back(
            eventstore::NewEvent::From(RaisedIssue(issue, settings.commitments(), scope.tier())));
        for (RowChange& row : IssueRows(issue, nullptr)) changes.rows.push_back(std::move(row));
        reply.set_follow_up_issue_id(issue.issue_id());
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
