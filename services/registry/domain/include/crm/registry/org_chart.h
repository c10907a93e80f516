// The rules for a customer's key persons and who reports to whom, as pure functions.
//
//   RETURN_IF_ERROR(ValidateKeyPerson(person));
//   RETURN_IF_ERROR(CheckReportsTo(archive.key_persons(), person.person_id(),
//                                  person.reports_to()));
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "crm/v1/registry.pb.h"
#include "google/protobuf/repeated_field.h"

namespace crm::registry {

// INVALID_ARGUMENT naming the field ("person.name", "person.influence", …) for a missing
// or too long name, an influence outside 1..5, an unknown level, role or stance, a person
// reporting to themselves, or a malformed career entry.
absl::Status ValidateKeyPerson(const crm::v1::KeyPerson& person);

// Whether `person_id` may report to `reports_to` among `persons` (the customer's key
// persons, `person_id` among them or about to be): NOT_FOUND naming "person.reports_to"
// when it names no key person of the customer, FAILED_PRECONDITION when the chain above
// `reports_to` leads back to `person_id` (a cycle). An empty `reports_to` is always fine.
absl::Status CheckReportsTo(const google::protobuf::RepeatedPtrField<crm::v1::KeyPerson>& persons,
                            std::string_view person_id, std::string_view reports_to);

}  // namespace crm::registry
