// The registry's rules for a customer's summary and lifecycle, as pure functions: no
// storage, no RPC. Errors are absl::Status with the code the API returns and a message
// that names the field.
//
//   RETURN_IF_ERROR(ValidateSummary(request.summary()));
//   RETURN_IF_ERROR(CheckLifecycleTransition(archive.status(), to, reason));
//   std::string key = NormalizeLegalName(summary.legal_name());  // duplicate detection
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "crm/v1/registry.pb.h"

namespace crm::registry {

// The form of a legal name under which two registrations are the same customer: letters
// lower-cased (ASCII), punctuation (ASCII and full-width) dropped, runs of white space made
// one space, leading and trailing space trimmed. "ACME  Holdings, Ltd." and
// "acme holdings ltd" are the same; Chinese names keep their characters.
std::string NormalizeLegalName(std::string_view legal_name);

// INVALID_ARGUMENT naming the field (as "summary.legal_name") for a missing legal name or
// region, a value too long, a malformed region, country code or member id.
absl::Status ValidateSummary(const crm::v1::CustomerSummary& summary);

// Whether a customer may move from `from` to `to`: prospect → active → dormant → churned,
// dormant → active, churned → active (won back), and prospect → churned (lost before
// winning). A churn needs a reason (INVALID_ARGUMENT naming "reason"); any other move is
// FAILED_PRECONDITION; an unknown status is INVALID_ARGUMENT naming "status".
absl::Status CheckLifecycleTransition(crm::v1::LifecycleStatus from, crm::v1::LifecycleStatus to,
                                      std::string_view reason);

}  // namespace crm::registry
