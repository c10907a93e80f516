#include "tables.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/calendar/calendar.h"

namespace crm::engagement {

std::string TouchpointKey(std::string_view customer_id, std::string_view touchpoint_id) {
  return JoinKey({customer_id, touchpoint_id});
}

std::string TouchpointByDayKey(const crm::v1::Touchpoint& touchpoint) {
  return JoinKey({touchpoint.customer_id(), NewestFirstDayKey(DayOfDate(touchpoint.date())),
                  touchpoint.touchpoint_id()});
}

std::string ContactRowPrefix(std::string_view customer_id, std::string_view person_id,
                             crm::v1::RelationshipLayer layer) {
  return JoinKey({customer_id, person_id, absl::StrCat(static_cast<int>(layer))});
}

std::string ContactRowKey(const crm::v1::Touchpoint& touchpoint, std::string_view person_id,
                          crm::v1::RelationshipLayer layer) {
  return ContactRowPrefix(touchpoint.customer_id(), person_id, layer) +
         JoinKey({NewestFirstDayKey(DayOfDate(touchpoint.date())), touchpoint.touchpoint_id()});
}

std::string PlanKey(const crm::v1::RelationshipPlan& plan) {
  return JoinKey({plan.customer_id(), plan.person_id(), plan.plan_id()});
}

std::string OpenActionKey(const crm::v1::PlanAction& action, std::string_view plan_id) {
  return JoinKey({DayKey(DayOfDate(action.due_date())), plan_id, action.action_id()});
}

std::string AssessmentKey(const crm::v1::RelationshipAssessment& assessment, int64_t recorded_ns) {
  return JoinKey({assessment.customer_id(), assessment.person_id(),
                  NewestFirstDayKey(DayOfDate(assessment.assessed_on()))}) +
         EncodeUint64(std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(recorded_ns));
}

std::string EmployeeWeekKey(absl::CivilDay week_start, std::string_view employee_id) {
  return JoinKey({DayKey(week_start), employee_id});
}

std::string CustomerStream(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

std::string PlanStream(std::string_view plan_id) {
  return absl::StrCat("plan-", std::string(plan_id));
}

}  // namespace crm::engagement
