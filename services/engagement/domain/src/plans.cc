#include "crm/engagement/plans.h"

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"

namespace crm::engagement {
namespace {

constexpr size_t kMaxDescriptionLength = 1000;
constexpr int kMaxActions = 100;

absl::Status ValidateLevel(int level, std::string_view field) {
  if (level < 1 || level > 5) return Invalid(field, "must be from 1 to 5");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateAction(const crm::v1::PlanAction& action, std::string_view field) {
  const std::string prefix(field);
  if (action.description().empty() || Utf8Length(action.description()) > kMaxDescriptionLength) {
    return Invalid(prefix + ".description", "is required, at most 1000 characters");
  }
  if (action.owner_id().empty() || action.owner_id().size() > 128) {
    return Invalid(prefix + ".owner_id", "is required, at most 128 bytes");
  }
  return DayOf(action.due_date(), prefix + ".due_date").status();
}

absl::Status ValidateNewPlan(const crm::v1::CreateRelationshipPlanRequest& request) {
  if (!crm::v1::Stance_IsValid(request.current_stance())) {
    return Invalid("current_stance", "is not a stance");
  }
  if (request.target_stance() == crm::v1::STANCE_UNSPECIFIED ||
      !crm::v1::Stance_IsValid(request.target_stance())) {
    return Invalid("target_stance", "is required: supporter, neutral or opponent");
  }
  RETURN_IF_ERROR(ValidateLevel(request.current_level(), "current_level"));
  RETURN_IF_ERROR(ValidateLevel(request.target_level(), "target_level"));
  if (request.target_level() < request.current_level()) {
    return Invalid("target_level", "is below current_level");
  }
  if (request.owner_id().empty() || request.owner_id().size() > 128) {
    return Invalid("owner_id", "is required, at most 128 bytes");
  }
  if (request.actions_size() > kMaxActions) {
    return Invalid("actions", absl::StrCat("has more than ", kMaxActions));
  }
  for (int i = 0; i < request.actions_size(); ++i) {
    RETURN_IF_ERROR(ValidateAction(request.actions(i), absl::StrCat("actions[", i, "]")));
  }
  return absl::OkStatus();
}

crm::v1::PlanAction NewAction(const crm::v1::PlanAction& facts, std::string action_id) {
  crm::v1::PlanAction action;
  action.set_action_id(std::move(action_id));
  action.set_description(facts.description());
  action.set_owner_id(facts.owner_id());
  *action.mutable_due_date() = facts.due_date();
  return action;
}

absl::Status CompleteAction(std::string_view action_id, const crm::v1::CalendarDate& day,
                            std::string_view note, crm::v1::RelationshipPlan& plan) {
  for (crm::v1::PlanAction& action : *plan.mutable_actions()) {
    if (action.action_id() != action_id) continue;
    if (action.completed()) {
      return absl::FailedPreconditionError(
          absl::StrCat("action_id ", std::string(action_id), " is already completed"));
    }
    action.set_completed(true);
    *action.mutable_completed_on() = day;
    action.set_completion_note(std::string(note));
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("action_id ", std::string(action_id),
                                          " names no action of plan ", plan.plan_id()));
}

int DaysOverdue(const crm::v1::PlanAction& action, absl::CivilDay today) {
  return static_cast<int>(today - DayOfDate(action.due_date()));
}

}  // namespace crm::engagement
