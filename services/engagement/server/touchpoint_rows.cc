// The rows a touchpoint keeps besides itself: its place in the customer's list by day, one
// contact row per (key person, layer) and for the customer as a whole, and the weekly
// counts of our employees' touchpoints.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/engagement/touchpoints.h"
#include "engagement_service.h"
#include "tables.h"

namespace crm::engagement {

std::vector<eventstore::RowWrite> EngagementService::TouchpointRows(
    const crm::v1::Touchpoint& touchpoint, bool present) const {
  std::vector<eventstore::RowWrite> rows;
  auto value = [&](std::string bytes) {
    return present ? std::optional<std::string>(std::move(bytes)) : std::nullopt;
  };
  rows.push_back({std::string(kTouchpointsByDay), TouchpointByDayKey(touchpoint),
                  value(touchpoint.SerializeAsString())});
  for (const ContactKey& key : ContactsOf(touchpoint)) {
    LastContact contact;
    contact.set_person_id(key.person_id);
    contact.set_layer(key.layer);
    *contact.mutable_date() = touchpoint.date();
    contact.set_touchpoint_id(touchpoint.touchpoint_id());
    rows.push_back({std::string(kContacts), ContactRowKey(touchpoint, key.person_id, key.layer),
                    value(contact.SerializeAsString())});
  }
  return rows;
}

absl::Status EngagementService::RestoreContacts(const crm::v1::Touchpoint& removed,
                                                CustomerEngagement& state) const {
  for (const ContactKey& key : ContactsHeldBy(state, removed.touchpoint_id())) {
    // The newest two rows: the removed touchpoint may be one of them.
    ASSIGN_OR_RETURN(
        eventstore::RowPage rows,
        store_.ScanRows(kContacts,
                        ContactRowPrefix(removed.customer_id(), key.person_id, key.layer), "", 2));
    std::optional<LastContact> latest;
    for (const auto& [row_key, value] : rows.rows) {
      LastContact contact;
      if (!contact.ParseFromString(value)) return absl::InternalError("a contact row is corrupt");
      if (contact.touchpoint_id() == removed.touchpoint_id()) continue;
      latest = std::move(contact);
      break;
    }
    ReplaceContact(key, latest, state);
  }
  return absl::OkStatus();
}

std::vector<std::string> EngagementService::WeekLockKeys(const crm::v1::Touchpoint& touchpoint) {
  std::vector<std::string> keys;
  const absl::CivilDay week = WeekStartOf(DayOfDate(touchpoint.date()));
  for (const crm::v1::EmployeePresence& employee : touchpoint.employees()) {
    keys.push_back(EmployeeWeekKey(week, employee.employee_id()));
  }
  return keys;
}

absl::Status EngagementService::CountWeek(const crm::v1::Touchpoint& touchpoint, int delta,
                                          WeekCounts& counts) const {
  const absl::CivilDay week = WeekStartOf(DayOfDate(touchpoint.date()));
  for (const crm::v1::EmployeePresence& employee : touchpoint.employees()) {
    const std::string key = EmployeeWeekKey(week, employee.employee_id());
    auto it = counts.find(key);
    if (it == counts.end()) {
      ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kEmployeeWeeks, key));
      internal::EmployeeWeekCount count;
      if (row.has_value() && !count.ParseFromString(*row)) {
        return absl::InternalError("an employee week row is corrupt");
      }
      count.set_employee_id(employee.employee_id());
      it = counts.emplace(key, std::move(count)).first;
    }
    it->second.set_touchpoints(it->second.touchpoints() + delta);
    if (delta > 0) it->second.set_employee_role(employee.role());
  }
  return absl::OkStatus();
}

std::vector<eventstore::RowWrite> EngagementService::WeekCountRows(const WeekCounts& counts) {
  std::vector<eventstore::RowWrite> rows;
  for (const auto& [key, count] : counts) {
    rows.push_back(
        {std::string(kEmployeeWeeks), key,
         count.touchpoints() > 0 ? std::optional(count.SerializeAsString()) : std::nullopt});
  }
  return rows;
}

}  // namespace crm::engagement
