// The engagement service's read-model tables and their keys. Keys join their parts with
// crm::JoinKey, so a prefix of parts is a key prefix; days sort newest first where lists
// answer newest first.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

// customer, touchpoint → Touchpoint.
inline constexpr std::string_view kTouchpoints = "touchpoints";
// customer, day (newest first), touchpoint → Touchpoint, cancelled ones removed.
inline constexpr std::string_view kTouchpointsByDay = "touchpoints_by_day";
// customer, person ("" for the customer as a whole), layer, day (newest first),
// touchpoint → "": finds the latest contact anew when a touchpoint is cancelled.
inline constexpr std::string_view kContacts = "contacts";
// customer, person, plan → RelationshipPlan.
inline constexpr std::string_view kPlansByCustomer = "plans_by_customer";
// due day (oldest first), plan, action → OverdueAction (days_overdue unset): open actions.
inline constexpr std::string_view kOpenActions = "open_actions";
// customer, person, assessed day (newest first), recorded time (newest first) →
// RelationshipAssessment.
inline constexpr std::string_view kAssessments = "assessments";
// week start day, employee → EmployeeWeekCount.
inline constexpr std::string_view kEmployeeWeeks = "employee_weeks";

std::string TouchpointKey(std::string_view customer_id, std::string_view touchpoint_id);
std::string TouchpointByDayKey(const crm::v1::Touchpoint& touchpoint);
std::string ContactRowPrefix(std::string_view customer_id, std::string_view person_id,
                             crm::v1::RelationshipLayer layer);
std::string ContactRowKey(const crm::v1::Touchpoint& touchpoint, std::string_view person_id,
                          crm::v1::RelationshipLayer layer);
std::string PlanKey(const crm::v1::RelationshipPlan& plan);
std::string OpenActionKey(const crm::v1::PlanAction& action, std::string_view plan_id);
std::string AssessmentKey(const crm::v1::RelationshipAssessment& assessment, int64_t recorded_ns);
std::string EmployeeWeekKey(absl::CivilDay week_start, std::string_view employee_id);

// Streams: one per customer (touchpoints, assessments), one per plan, one for settings.
std::string CustomerStream(std::string_view customer_id);
std::string PlanStream(std::string_view plan_id);
inline constexpr std::string_view kSettingsStream = "settings";

}  // namespace crm::engagement
