// Surveys and their responses: what a survey must say, when it accepts responses, what a
// response must say, and churn reasons.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::satisfaction {

// Most customers one survey may ask.
inline constexpr int kMaxSurveyCustomers = 10000;
// Longest free text (comments, issue texts, notes, churn reasons), in characters.
inline constexpr size_t kMaxTextLength = 4000;

// INVALID_ARGUMENT naming `field` when `text` is required and empty, or longer than
// kMaxTextLength characters.
absl::Status ValidateText(std::string_view field, std::string_view text, bool required);

// INVALID_ARGUMENT naming the request field: a title of 1..200 characters, a kind, 1 to
// kMaxSurveyCustomers customer ids each named once, real open and close days, and a close
// day neither before the open day nor before `today`.
absl::Status ValidateSurvey(const crm::v1::Survey& survey, absl::CivilDay today);

// FAILED_PRECONDITION saying why unless the survey accepts responses on `day`: it is not
// closed and `day` is from its open day to its close day.
absl::Status CheckAcceptsResponses(const crm::v1::Survey& survey, absl::CivilDay day);

// INVALID_ARGUMENT naming the request field: a score (when given) of 0..10, a comment of
// at most kMaxTextLength characters, a channel, and a time neither after `now` nor before
// the survey's open day (UTC).
absl::Status ValidateResponse(const crm::v1::SurveyResponse& response,
                              const crm::v1::Survey& survey, absl::Time now);

// The event of closing `survey` early; FAILED_PRECONDITION when it is closed already.
absl::StatusOr<crm::v1::SurveyClosed> DecideCloseSurvey(const crm::v1::Survey& survey);

// The survey after its closing event (a created survey is the event's survey).
void EvolveSurvey(const crm::v1::SurveyClosed& closed, crm::v1::Survey& survey);

// The response's NPS category; UNSPECIFIED when it has no score.
crm::v1::NpsCategory CategoryOf(const crm::v1::SurveyResponse& response);

// INVALID_ARGUMENT naming the request field: a category and a text of 1..kMaxTextLength
// characters.
absl::Status ValidateChurnReason(const crm::v1::ChurnReason& reason);

}  // namespace crm::satisfaction
