#include "crm/engagement/assessments.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/known_customers/known_customers.h"

namespace crm::engagement {
namespace {

constexpr size_t kMaxCommentLength = 2000;

struct Criterion {
  const char* field;
  const crm::v1::CriterionScore& (crm::v1::RelationshipAssessment::*score)() const;
};

constexpr std::array<Criterion, 6> kCriteria = {{
    {"brand_acceptance", &crm::v1::RelationshipAssessment::brand_acceptance},
    {"event_participation", &crm::v1::RelationshipAssessment::event_participation},
    {"information_sharing", &crm::v1::RelationshipAssessment::information_sharing},
    {"willingness_to_advise", &crm::v1::RelationshipAssessment::willingness_to_advise},
    {"project_support", &crm::v1::RelationshipAssessment::project_support},
    {"competitive_attitude", &crm::v1::RelationshipAssessment::competitive_attitude},
}};

}  // namespace

absl::Status ValidateAssessment(crm::v1::RelationshipAssessment& assessment, absl::CivilDay today) {
  for (const Criterion& criterion : kCriteria) {
    const crm::v1::CriterionScore& score = (assessment.*criterion.score)();
    const std::string field = absl::StrCat("assessment.", criterion.field);
    if (score.score() < 1 || score.score() > 5) {
      return Invalid(field + ".score", "must be from 1 to 5");
    }
    if (Utf8Length(score.comment()) > kMaxCommentLength) {
      return Invalid(field + ".comment", "is longer than 2000 characters");
    }
  }
  if (!assessment.has_assessed_on()) {
    *assessment.mutable_assessed_on() = CalendarDateOf(today);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(absl::CivilDay day, DayOf(assessment.assessed_on(), "assessment.assessed_on"));
  if (day > today) return Invalid("assessment.assessed_on", "is in the future");
  return absl::OkStatus();
}

double LevelOf(const crm::v1::RelationshipAssessment& assessment) {
  int sum = 0;
  for (const Criterion& criterion : kCriteria) sum += (assessment.*criterion.score)().score();
  return static_cast<double>(sum) / kCriteria.size();
}

void NoteAssessment(const crm::v1::RelationshipAssessment& assessment,
                    internal::CustomerEngagement& state) {
  for (crm::v1::RelationshipAssessment& held : *state.mutable_latest_assessments()) {
    if (held.person_id() != assessment.person_id()) continue;
    if (DayOfDate(held.assessed_on()) <= DayOfDate(assessment.assessed_on())) held = assessment;
    return;
  }
  *state.add_latest_assessments() = assessment;
}

crm::v1::GetRelationshipRollupResponse Rollup(const crm::internal::KnownCustomer& customer,
                                              const internal::CustomerEngagement& state) {
  crm::v1::GetRelationshipRollupResponse rollup;
  double weighted = 0;
  double weights = 0;
  for (const crm::internal::KnownPerson& person : customer.persons()) {
    auto latest = std::find_if(state.latest_assessments().begin(), state.latest_assessments().end(),
                               [&](const crm::v1::RelationshipAssessment& a) {
                                 return a.person_id() == person.person_id();
                               });
    if (latest == state.latest_assessments().end()) {
      rollup.add_unassessed_person_ids(person.person_id());
      continue;
    }
    crm::v1::PersonRelationshipLevel& level = *rollup.add_assessed();
    level.set_person_id(person.person_id());
    level.set_name(person.name());
    level.set_influence(person.influence());
    level.set_level(latest->level());
    *level.mutable_assessed_on() = latest->assessed_on();
    weighted += latest->level() * person.influence();
    weights += person.influence();
  }
  std::stable_sort(rollup.mutable_assessed()->begin(), rollup.mutable_assessed()->end(),
                   [](const auto& a, const auto& b) { return a.influence() > b.influence(); });
  rollup.set_weighted_level(weights > 0 ? weighted / weights : 0);
  return rollup;
}

}  // namespace crm::engagement
