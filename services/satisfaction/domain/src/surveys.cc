#include "crm/satisfaction/surveys.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/calendar/calendar.h"
#include "crm/satisfaction/nps.h"

namespace crm::satisfaction {
namespace {

constexpr size_t kMaxTitleLength = 200;

}  // namespace

absl::Status ValidateText(std::string_view field, std::string_view text, bool required) {
  if (required && text.empty()) return Invalid(field, "is required");
  if (Utf8Length(text) > kMaxTextLength) {
    return Invalid(field, absl::StrCat("is longer than ", kMaxTextLength, " characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSurvey(const crm::v1::Survey& survey, absl::CivilDay today) {
  if (survey.title().empty()) return Invalid("title", "is required");
  if (Utf8Length(survey.title()) > kMaxTitleLength) {
    return Invalid("title", absl::StrCat("is longer than ", kMaxTitleLength, " characters"));
  }
  if (survey.kind() == crm::v1::SURVEY_KIND_UNSPECIFIED ||
      !crm::v1::SurveyKind_IsValid(survey.kind())) {
    return Invalid("kind", "is required: RELATIONSHIP or TRANSACTIONAL");
  }
  if (survey.customer_ids().empty()) return Invalid("customer_ids", "must name a customer");
  if (survey.customer_ids_size() > kMaxSurveyCustomers) {
    return Invalid("customer_ids", absl::StrCat("names more than ", kMaxSurveyCustomers));
  }
  absl::flat_hash_set<std::string_view> seen;
  for (int i = 0; i < survey.customer_ids_size(); ++i) {
    const std::string field = absl::StrCat("customer_ids[", i, "]");
    if (!IsIdLike(survey.customer_ids(i))) return Invalid(field, "is not a customer id");
    if (!seen.insert(survey.customer_ids(i)).second) {
      return Invalid(field, absl::StrCat("names ", survey.customer_ids(i), " a second time"));
    }
  }
  absl::StatusOr<absl::CivilDay> opens = DayOf(survey.opens_on(), "opens_on");
  if (!opens.ok()) return opens.status();
  absl::StatusOr<absl::CivilDay> closes = DayOf(survey.closes_on(), "closes_on");
  if (!closes.ok()) return closes.status();
  if (*closes < *opens) return Invalid("closes_on", "is before opens_on");
  if (*closes < today) return Invalid("closes_on", "is in the past");
  return absl::OkStatus();
}

absl::Status CheckAcceptsResponses(const crm::v1::Survey& survey, absl::CivilDay day) {
  if (survey.closed()) {
    return absl::FailedPreconditionError(absl::StrCat("survey ", survey.survey_id(), " is closed"));
  }
  if (day < DayOfDate(survey.opens_on())) {
    return absl::FailedPreconditionError(absl::StrCat("survey ", survey.survey_id(), " opens on ",
                                                      DayKey(DayOfDate(survey.opens_on()))));
  }
  if (day > DayOfDate(survey.closes_on())) {
    return absl::FailedPreconditionError(absl::StrCat("survey ", survey.survey_id(), " closed on ",
                                                      DayKey(DayOfDate(survey.closes_on()))));
  }
  return absl::OkStatus();
}

absl::Status ValidateResponse(const crm::v1::SurveyResponse& response,
                              const crm::v1::Survey& survey, absl::Time now) {
  if (response.has_score()) {
    if (absl::Status valid = ValidateScore(response.score(), "score"); !valid.ok()) return valid;
  }
  if (absl::Status comment = ValidateText("comment", response.comment(), false); !comment.ok()) {
    return comment;
  }
  if (response.channel() == crm::v1::RESPONSE_CHANNEL_UNSPECIFIED ||
      !crm::v1::ResponseChannel_IsValid(response.channel())) {
    return Invalid("channel", "is required: EMAIL, WEB, PHONE or IN_PERSON");
  }
  const absl::Time responded_at = absl::FromUnixSeconds(response.responded_at().seconds()) +
                                  absl::Nanoseconds(response.responded_at().nanos());
  if (responded_at > now) return Invalid("responded_at", "is in the future");
  const absl::Time opened = absl::FromCivil(DayOfDate(survey.opens_on()), absl::UTCTimeZone());
  if (responded_at < opened) return Invalid("responded_at", "is before the survey opened");
  return absl::OkStatus();
}

crm::v1::NpsCategory CategoryOf(const crm::v1::SurveyResponse& response) {
  return response.has_score() ? CategoryOf(response.score()) : crm::v1::NPS_CATEGORY_UNSPECIFIED;
}

absl::Status ValidateChurnReason(const crm::v1::ChurnReason& reason) {
  if (reason.category() == crm::v1::CHURN_CATEGORY_UNSPECIFIED ||
      !crm::v1::ChurnCategory_IsValid(reason.category())) {
    return Invalid("category", "is required");
  }
  return ValidateText("text", reason.text(), true);
}

absl::StatusOr<crm::v1::SurveyClosed> DecideCloseSurvey(const crm::v1::Survey& survey) {
  if (survey.closed()) {
    return absl::FailedPreconditionError(
        absl::StrCat("survey ", survey.survey_id(), " is already closed"));
  }
  crm::v1::SurveyClosed closed;
  closed.set_survey_id(survey.survey_id());
  return closed;
}

void EvolveSurvey(const crm::v1::SurveyClosed&, crm::v1::Survey& survey) {
  survey.set_closed(true);
}

}  // namespace crm::satisfaction
