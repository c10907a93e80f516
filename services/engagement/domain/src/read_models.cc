#include "crm/engagement/read_models.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/calendar/calendar.h"
#include "crm/engagement/touchpoints.h"
#include "google/protobuf/util/time_util.h"

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

std::vector<RowChange> TouchpointRows(const crm::v1::Touchpoint& touchpoint, bool present) {
  std::vector<RowChange> rows;
  auto value = [&](std::string bytes) {
    return present ? std::optional<std::string>(std::move(bytes)) : std::nullopt;
  };
  rows.push_back(
      {kTouchpointsByDay, TouchpointByDayKey(touchpoint), value(touchpoint.SerializeAsString())});
  for (const ContactKey& key : ContactsOf(touchpoint)) {
    LastContact contact;
    contact.set_person_id(key.person_id);
    contact.set_layer(key.layer);
    *contact.mutable_date() = touchpoint.date();
    contact.set_touchpoint_id(touchpoint.touchpoint_id());
    rows.push_back({kContacts, ContactRowKey(touchpoint, key.person_id, key.layer),
                    value(contact.SerializeAsString())});
  }
  return rows;
}

RowChange TouchpointRow(const crm::v1::Touchpoint& touchpoint) {
  return {kTouchpoints, TouchpointKey(touchpoint.customer_id(), touchpoint.touchpoint_id()),
          touchpoint.SerializeAsString()};
}

std::vector<CounterChange> WeekCountChanges(const crm::v1::Touchpoint& touchpoint, int sign) {
  const absl::CivilDay week = WeekStartOf(DayOfDate(touchpoint.date()));
  std::vector<CounterChange> changes;
  for (const crm::v1::EmployeePresence& employee : touchpoint.employees()) {
    changes.push_back(
        {kEmployeeWeekTouchpoints, EmployeeWeekKey(week, employee.employee_id()), {sign}});
  }
  return changes;
}

std::vector<RowChange> WeekRoleRows(const crm::v1::Touchpoint& touchpoint) {
  const absl::CivilDay week = WeekStartOf(DayOfDate(touchpoint.date()));
  std::vector<RowChange> rows;
  for (const crm::v1::EmployeePresence& employee : touchpoint.employees()) {
    rows.push_back(
        {kEmployeeWeekRoles, EmployeeWeekKey(week, employee.employee_id()), employee.role()});
  }
  return rows;
}

RowChange PlanRow(const crm::v1::RelationshipPlan& plan) {
  return {kPlansByCustomer, PlanKey(plan), plan.SerializeAsString()};
}

RowChange OpenActionRow(const crm::v1::RelationshipPlan& plan, const crm::v1::PlanAction& action) {
  std::optional<std::string> value;
  if (!action.completed()) {
    crm::v1::OverdueAction row;
    row.set_customer_id(plan.customer_id());
    row.set_person_id(plan.person_id());
    row.set_plan_id(plan.plan_id());
    *row.mutable_action() = action;
    value = row.SerializeAsString();
  }
  return {kOpenActions, OpenActionKey(action, plan.plan_id()), std::move(value)};
}

RowChange AssessmentRow(const crm::v1::RelationshipAssessment& assessment) {
  return {kAssessments,
          AssessmentKey(assessment, google::protobuf::util::TimeUtil::TimestampToNanoseconds(
                                        assessment.recorded_at())),
          assessment.SerializeAsString()};
}

std::string_view EmployeeOfWeekKey(std::string_view key) {
  // "<day>\0<employee>\0"
  key.remove_suffix(key.empty() ? 0 : 1);
  const size_t separator = key.find('\0');
  return separator == std::string_view::npos ? key : key.substr(separator + 1);
}

std::string CustomerStream(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

std::string PlanStream(std::string_view plan_id) {
  return absl::StrCat("plan-", std::string(plan_id));
}

}  // namespace crm::engagement
