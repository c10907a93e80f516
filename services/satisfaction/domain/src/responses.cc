#include "crm/satisfaction/responses.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/satisfaction/issue_steps.h"
#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"

namespace crm::satisfaction {

absl::Status CheckResponse(const crm::v1::SurveyResponse& response, const crm::v1::Survey& survey,
                           bool asked, absl::Time now) {
  RETURN_IF_ERROR(ValidateResponse(response, survey, now));
  RETURN_IF_ERROR(CheckAcceptsResponses(survey, absl::ToCivilDay(now, absl::UTCTimeZone())));
  if (!asked) {
    return absl::FailedPreconditionError(absl::StrCat(
        "survey ", survey.survey_id(), " did not ask customer ", response.customer_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ResponseEvents> DecideResponse(const crm::v1::SurveyResponse& response,
                                              const ResponseFacts& facts) {
  const crm::v1::Survey& survey = facts.survey;
  RETURN_IF_ERROR(CheckResponse(response, survey, facts.asked, facts.now));
  if (facts.earlier.has_value() && !facts.replace) {
    return absl::AlreadyExistsError(absl::StrCat("person ", response.person_id(),
                                                 " already answered survey ", survey.survey_id(),
                                                 "; set replace to replace the answer"));
  }

  ResponseEvents events;
  crm::v1::SurveyResponseRecorded& recorded = events.recorded;
  *recorded.mutable_response() = response;
  recorded.set_category(CategoryOf(response));
  // The scopes its counters use, so that they follow from the event.
  *recorded.mutable_scope() = facts.scope;
  if (facts.earlier.has_value()) {
    *recorded.mutable_replaced() = facts.earlier->response();
    *recorded.mutable_replaced_scope() = ScopeOf(*facts.earlier);
  }
  if (NeedsFollowUp(response, facts.earlier ? &facts.earlier->response() : nullptr)) {
    crm::v1::Issue issue = FollowUpOf(response);
    issue.set_issue_id(facts.follow_up_issue_id);
    issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
    *issue.mutable_raised_at() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(facts.now));
    *issue.mutable_waiting_since() = issue.raised_at();
    events.raised = RaisedIssue(issue, facts.commitments, facts.scope.tier());
  }
  return events;
}

}  // namespace crm::satisfaction
