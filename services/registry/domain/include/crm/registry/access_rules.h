// What a caller's role and identity let it see and change of a customer's archive
// (docs/DOMAIN.md §5): assistants see no profit figures; our net profit and service cost are for
// executives; a key person's restricted profile is for executives and the customer's own
// account team. Pure functions: the handlers pass the caller's role and subject.
//
//   std::vector<std::string> hidden = RedactFinances(role, *archive.mutable_finances());
//   response.mutable_redacted_fields()->Add(hidden.begin(), hidden.end());
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crm/v1/registry.pb.h"

namespace crm::registry {

// The finance fields `role` may not see, as response paths ("finances.profit"), whether or
// not any year holds them: a client reads the list, never an absent figure, as "hidden".
std::vector<std::string> HiddenFinanceFields(crm::v1::Role role);

// Clears in `year` the fields `role` may not see.
void RedactFinanceYear(crm::v1::Role role, crm::v1::FinanceYear& year);

// Clears in every year the fields `role` may not see; returns HiddenFinanceFields(role).
std::vector<std::string> RedactFinances(
    crm::v1::Role role, google::protobuf::RepeatedPtrField<crm::v1::FinanceYear>& years);

// The year an update by `role` stores: the requested figures, with the executives-only
// ones kept as stored (`stored` is null for a year not recorded yet). PERMISSION_DENIED
// naming the field when a caller who is not an executive sets one of them.
absl::StatusOr<crm::v1::FinanceYear> FinanceUpdateBy(crm::v1::Role role,
                                                     const crm::v1::FinanceYear& requested,
                                                     const crm::v1::FinanceYear* stored);

// Whether `subject` is on the customer's account team: its owner or the relationship owner
// of one of its key persons.
bool IsOnAccountTeam(const crm::v1::CustomerArchive& archive, std::string_view subject);

// OK when the caller may read or record the customer's restricted personal profiles:
// executives, and account managers on the customer's account team. PERMISSION_DENIED
// otherwise, saying who may.
absl::Status CheckMayHandlePersonalProfile(const crm::v1::CustomerArchive& archive,
                                           crm::v1::Role role, std::string_view subject);

// OK when the caller may erase one: also admins, who carry out erasure requests.
absl::Status CheckMayErasePersonalProfile(const crm::v1::CustomerArchive& archive,
                                          crm::v1::Role role, std::string_view subject);

}  // namespace crm::registry
