#include "crm/registry/org_chart.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"

namespace crm::registry {
namespace {

constexpr size_t kMaxName = 100;
constexpr int kMaxCareer = 50;

const crm::v1::KeyPerson* Find(
    const google::protobuf::RepeatedPtrField<crm::v1::KeyPerson>& persons, std::string_view id) {
  for (const crm::v1::KeyPerson& person : persons) {
    if (person.person_id() == id) return &person;
  }
  return nullptr;
}

}  // namespace

absl::Status ValidateKeyPerson(const crm::v1::KeyPerson& person) {
  if (person.name().empty()) return Invalid("person.name", "is required");
  if (Utf8Length(person.name()) > kMaxName) {
    return Invalid("person.name", absl::StrCat("is longer than ", kMaxName, " characters"));
  }
  if (person.influence() < 1 || person.influence() > 5) {
    return Invalid("person.influence", "must be from 1 to 5");
  }
  if (!crm::v1::PersonLevel_IsValid(person.level())) {
    return Invalid("person.level", "is not a known level");
  }
  if (!crm::v1::DecisionRole_IsValid(person.role())) {
    return Invalid("person.role", "is not a known decision role");
  }
  if (!crm::v1::Stance_IsValid(person.stance())) {
    return Invalid("person.stance", "is not a known stance");
  }
  if (!person.person_id().empty() && person.reports_to() == person.person_id()) {
    return Invalid("person.reports_to", "cannot name the person themselves");
  }
  if (person.career_size() > kMaxCareer) {
    return Invalid("person.career", absl::StrCat("has more than ", kMaxCareer, " entries"));
  }
  for (int i = 0; i < person.career_size(); ++i) {
    const crm::v1::CareerEntry& entry = person.career(i);
    const std::string field = absl::StrCat("person.career[", i, "]");
    if (entry.organisation().empty() && entry.title().empty()) {
      return Invalid(field, "needs an organisation or a title");
    }
    if (entry.from_year() != 0 && entry.to_year() != 0 && entry.to_year() < entry.from_year()) {
      return Invalid(field + ".to_year", "is before from_year");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckReportsTo(const google::protobuf::RepeatedPtrField<crm::v1::KeyPerson>& persons,
                            std::string_view person_id, std::string_view reports_to) {
  if (reports_to.empty()) return absl::OkStatus();
  if (reports_to == person_id) {
    return Invalid("person.reports_to", "cannot name the person themselves");
  }
  if (Find(persons, reports_to) == nullptr) {
    return absl::NotFoundError(absl::StrCat("person.reports_to ", std::string(reports_to),
                                            " is no key person of this customer"));
  }
  // Walk up from the new manager; meeting the person again would close a cycle. The set
  // also stops the walk on a cycle already present in older data.
  std::set<std::string_view> seen;
  for (std::string_view current = reports_to; !current.empty();) {
    if (current == person_id) {
      return absl::FailedPreconditionError(
          absl::StrCat("person.reports_to ", std::string(reports_to), " would make ",
                       std::string(person_id), " report to themselves through the chain"));
    }
    if (!seen.insert(current).second) break;
    const crm::v1::KeyPerson* manager = Find(persons, current);
    current = manager == nullptr ? std::string_view() : std::string_view(manager->reports_to());
  }
  return absl::OkStatus();
}

}  // namespace crm::registry
