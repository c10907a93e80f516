#include "crm/engagement/touchpoints.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"

namespace crm::engagement {
namespace {

constexpr size_t kMaxTextLength = 4000;
constexpr int kMaxPersons = 200;
constexpr int kMaxEmployees = 50;

}  // namespace

absl::Status ValidateTouchpointFacts(const crm::v1::TouchpointFacts& facts, absl::CivilDay today) {
  if (facts.type() == crm::v1::TOUCHPOINT_TYPE_UNSPECIFIED ||
      !crm::v1::TouchpointType_IsValid(facts.type())) {
    return Invalid("facts.type", "is required: visit, meeting, executive visit, …");
  }
  if (facts.layer() == crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED ||
      !crm::v1::RelationshipLayer_IsValid(facts.layer())) {
    return Invalid("facts.layer", "is required: general, key person or organisational");
  }
  ASSIGN_OR_RETURN(absl::CivilDay day, DayOf(facts.date(), "facts.date"));
  if (day > today) return Invalid("facts.date", "is in the future");
  if (facts.person_ids_size() > kMaxPersons) {
    return Invalid("facts.person_ids", absl::StrCat("has more than ", kMaxPersons, " persons"));
  }
  std::set<std::string> persons;
  for (int i = 0; i < facts.person_ids_size(); ++i) {
    const std::string field = absl::StrCat("facts.person_ids[", i, "]");
    if (!IsIdLike(facts.person_ids(i))) return Invalid(field, "is not a person id");
    if (!persons.insert(facts.person_ids(i)).second) return Invalid(field, "is given twice");
  }
  if (facts.employees().empty()) {
    return Invalid("facts.employees", "is required: at least one of our employees");
  }
  if (facts.employees_size() > kMaxEmployees) {
    return Invalid("facts.employees", absl::StrCat("has more than ", kMaxEmployees));
  }
  std::set<std::string> employees;
  for (int i = 0; i < facts.employees_size(); ++i) {
    const crm::v1::EmployeePresence& employee = facts.employees(i);
    const std::string field = absl::StrCat("facts.employees[", i, "]");
    if (employee.employee_id().empty() || employee.employee_id().size() > 128) {
      return Invalid(field + ".employee_id", "is required, at most 128 bytes");
    }
    if (!IsIdLike(employee.role())) {
      return Invalid(field + ".role",
                     "is required: a role word (letters, digits, '_' and '-', at most 64)");
    }
    if (!employees.insert(employee.employee_id()).second) return Invalid(field, "is given twice");
  }
  if (Utf8Length(facts.outcome()) > kMaxTextLength) {
    return Invalid("facts.outcome", "is longer than 4000 characters");
  }
  if (Utf8Length(facts.next_steps()) > kMaxTextLength) {
    return Invalid("facts.next_steps", "is longer than 4000 characters");
  }
  return absl::OkStatus();
}

crm::v1::Touchpoint TouchpointFrom(std::string touchpoint_id, std::string customer_id,
                                   const crm::v1::TouchpointFacts& facts) {
  crm::v1::Touchpoint touchpoint;
  touchpoint.set_touchpoint_id(std::move(touchpoint_id));
  touchpoint.set_customer_id(std::move(customer_id));
  touchpoint.set_type(facts.type());
  touchpoint.set_layer(facts.layer());
  *touchpoint.mutable_date() = facts.date();
  *touchpoint.mutable_person_ids() = facts.person_ids();
  *touchpoint.mutable_employees() = facts.employees();
  touchpoint.set_outcome(facts.outcome());
  touchpoint.set_next_steps(facts.next_steps());
  return touchpoint;
}

std::vector<ContactKey> ContactsOf(const crm::v1::Touchpoint& touchpoint) {
  std::vector<ContactKey> contacts = {{"", crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED}};
  for (const std::string& person : touchpoint.person_ids()) {
    contacts.push_back({person, touchpoint.layer()});
  }
  return contacts;
}

// The customer as a whole is held in last_touchpoint; each person and layer in
// last_contacts.
std::optional<LastContact> LastContactOf(const CustomerEngagement& state, const ContactKey& key) {
  if (key.person_id.empty()) {
    if (!state.has_last_touchpoint()) return std::nullopt;
    return state.last_touchpoint();
  }
  for (const LastContact& contact : state.last_contacts()) {
    if (contact.person_id() == key.person_id && contact.layer() == key.layer) return contact;
  }
  return std::nullopt;
}

void ReplaceContact(const ContactKey& key, const std::optional<LastContact>& contact,
                    CustomerEngagement& state) {
  if (key.person_id.empty()) {
    if (contact.has_value()) {
      *state.mutable_last_touchpoint() = *contact;
    } else {
      state.clear_last_touchpoint();
    }
    return;
  }
  auto& contacts = *state.mutable_last_contacts();
  auto held = std::find_if(contacts.begin(), contacts.end(), [&](const LastContact& c) {
    return c.person_id() == key.person_id && c.layer() == key.layer;
  });
  if (held != contacts.end()) {
    if (contact.has_value()) {
      *held = *contact;
    } else {
      contacts.erase(held);
    }
  } else if (contact.has_value()) {
    *state.add_last_contacts() = *contact;
  }
}

void NoteContacts(const crm::v1::Touchpoint& touchpoint, CustomerEngagement& state) {
  for (const ContactKey& key : ContactsOf(touchpoint)) {
    std::optional<LastContact> held = LastContactOf(state, key);
    if (held.has_value() && DayOfDate(held->date()) > DayOfDate(touchpoint.date())) continue;
    LastContact contact;
    contact.set_person_id(key.person_id);
    contact.set_layer(key.layer);
    *contact.mutable_date() = touchpoint.date();
    contact.set_touchpoint_id(touchpoint.touchpoint_id());
    ReplaceContact(key, contact, state);
  }
}

std::vector<ContactKey> ContactsHeldBy(const CustomerEngagement& state,
                                       const std::string& touchpoint_id) {
  std::vector<ContactKey> held;
  if (state.last_touchpoint().touchpoint_id() == touchpoint_id) {
    held.push_back({"", crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED});
  }
  for (const LastContact& contact : state.last_contacts()) {
    if (contact.touchpoint_id() == touchpoint_id) {
      held.push_back({contact.person_id(), contact.layer()});
    }
  }
  return held;
}

}  // namespace crm::engagement
