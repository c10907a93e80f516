// The decision of recording a survey response, as a pure function: whether the response
// may be recorded, the event that records it (with the scope its NPS counts in and the
// answer it replaces), and a detractor's follow-up issue raised with it. The handler
// gathers the facts (the survey, the person's earlier answer, the customer's scope, the
// commitments in force); the rows follow from the events (ResponseChanges, IssueRows), on
// the command path and in a rebuild alike.
//
//   ASSIGN_OR_RETURN(ResponseEvents events, DecideResponse(response, facts));
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/satisfaction/internal/state.pb.h"
#include "crm/satisfaction/issues.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::satisfaction {

// What recording a response knows besides the response.
struct ResponseFacts {
  // The survey as its header row holds it.
  const crm::v1::Survey& survey;
  // Whether the survey asked the response's customer.
  bool asked = false;
  // The person's earlier answer to the survey, if any, and whether the request replaces it.
  std::optional<internal::StoredResponse> earlier;
  bool replace = false;
  // Where the response's NPS counts: the customer's region, industry and tier now.
  crm::v1::ResponseScope scope;
  // The response-time commitments in force, for a follow-up's deadline.
  const Commitments& commitments;
  // The id a follow-up issue gets, and the time of the decision.
  std::string follow_up_issue_id;
  absl::Time now;
};

struct ResponseEvents {
  crm::v1::SurveyResponseRecorded recorded;
  // A detractor's follow-up (or an answer turned detractor), raised in the same write.
  std::optional<crm::v1::IssueRaised> raised;
};

// Whether `response` may be recorded in `survey` at `now`, before anything else is
// gathered: INVALID_ARGUMENT naming the field for a bad response; FAILED_PRECONDITION when
// the survey does not accept responses that day or did not ask the customer (`asked`).
// DecideResponse checks the same.
absl::Status CheckResponse(const crm::v1::SurveyResponse& response, const crm::v1::Survey& survey,
                           bool asked, absl::Time now);

// The events of recording `response`: INVALID_ARGUMENT naming the field for a bad
// response; FAILED_PRECONDITION when the survey does not accept responses today or did
// not ask the customer; ALREADY_EXISTS when the person answered before and the request
// does not replace the answer.
absl::StatusOr<ResponseEvents> DecideResponse(const crm::v1::SurveyResponse& response,
                                              const ResponseFacts& facts);

}  // namespace crm::satisfaction
