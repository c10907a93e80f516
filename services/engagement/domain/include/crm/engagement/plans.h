// Relationship plans ("expansion cards"): what a valid plan and action are, completing an
// action, and how overdue an open action is.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

// INVALID_ARGUMENT naming the field: a target stance, levels 1..5 with the target not
// below the current level, an owner, and each action valid (field "actions[i]…").
absl::Status ValidateNewPlan(const crm::v1::CreateRelationshipPlanRequest& request);

// INVALID_ARGUMENT naming `field`.description, .owner_id or .due_date.
absl::Status ValidateAction(const crm::v1::PlanAction& action, std::string_view field);

// The action as the plan keeps it: the client's facts under `action_id`, open.
crm::v1::PlanAction NewAction(const crm::v1::PlanAction& facts, std::string action_id);

// Completes the plan's action on `day`: NOT_FOUND naming action_id for an action the plan
// lacks, FAILED_PRECONDITION for one already completed.
absl::Status CompleteAction(std::string_view action_id, const crm::v1::CalendarDate& day,
                            std::string_view note, crm::v1::RelationshipPlan& plan);

// Days since the action's due date on `today`; 0 or less when not overdue.
int DaysOverdue(const crm::v1::PlanAction& action, absl::CivilDay today);

}  // namespace crm::engagement
