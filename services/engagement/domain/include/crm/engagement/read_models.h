// The engagement service's read-model tables and their keys, and the rows and counters its
// events write to them: what the command path writes and a rebuild computes again from the
// events. Keys join their parts with crm::JoinKey, so a prefix of parts is a key prefix;
// days sort newest first where lists answer newest first.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "crm/base/row_changes.h"
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
// Counter rows: week start day, employee → {touchpoints}. Each touchpoint adds 1 for each
// of its employees and a correction or cancellation takes it out again, so the count
// follows from the events in any order (the rows of many customers' streams add to it).
inline constexpr std::string_view kEmployeeWeekTouchpoints = "employee_week_touchpoints";
// week start day, employee → the employee's role at their latest touchpoint of the week
// (the role's quota applies).
inline constexpr std::string_view kEmployeeWeekRoles = "employee_week_roles";
// week start day, employee → EmployeeWeekCount: the counts of earlier releases, read and
// rewritten per touchpoint; moved into the two tables above when the service starts
// (MoveLegacyWeekCounts).
inline constexpr std::string_view kLegacyEmployeeWeeks = "employee_weeks";

// Every table and counter table the service's own events give (not the projections of
// other services' topics): what a recompute of the read models empties and makes anew.
inline constexpr std::array<std::string_view, 8> kReadModelTables = {
    kTouchpoints, kTouchpointsByDay,        kContacts,         kPlansByCustomer, kOpenActions,
    kAssessments, kEmployeeWeekTouchpoints, kEmployeeWeekRoles};

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
// The employee an EmployeeWeekKey names.
std::string_view EmployeeOfWeekKey(std::string_view key);

// The rows a touchpoint keeps besides itself (`present`: put; otherwise deleted): its place
// in the customer's list by day and one contact row per contact it makes (ContactsOf).
std::vector<RowChange> TouchpointRows(const crm::v1::Touchpoint& touchpoint, bool present);
// The touchpoint's own row.
RowChange TouchpointRow(const crm::v1::Touchpoint& touchpoint);
// What the touchpoint adds (`sign` +1) to or takes (-1) from its employees' week counts.
std::vector<CounterChange> WeekCountChanges(const crm::v1::Touchpoint& touchpoint, int sign);
// The role each of its employees had, as their latest of the week.
std::vector<RowChange> WeekRoleRows(const crm::v1::Touchpoint& touchpoint);

// A plan's row, and the open-action row of one of its actions (deleted once done).
RowChange PlanRow(const crm::v1::RelationshipPlan& plan);
RowChange OpenActionRow(const crm::v1::RelationshipPlan& plan, const crm::v1::PlanAction& action);
// An assessment's row, under the time it was recorded.
RowChange AssessmentRow(const crm::v1::RelationshipAssessment& assessment);

// Streams: one per customer (touchpoints, assessments), one per plan, one for settings.
std::string CustomerStream(std::string_view customer_id);
std::string PlanStream(std::string_view plan_id);
inline constexpr std::string_view kSettingsStream = "settings";

}  // namespace crm::engagement
