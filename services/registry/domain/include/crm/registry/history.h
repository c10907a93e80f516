// A customer's recorded events read back for people: parsing a stored event into the
// aggregate's event type, a one-line account of what it changed, and the reason given.
//
//   ASSIGN_OR_RETURN(CustomerEvent event, ParseCustomerEvent(type, bytes));
//   entry.set_change(DescribeChange(event));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crm/registry/customer.h"

namespace crm::registry {

// The event of type `type` (full protobuf name) serialized in `bytes`. INTERNAL for an
// unknown type or bytes that do not parse: the stream is corrupt.
absl::StatusOr<CustomerEvent> ParseCustomerEvent(std::string_view type, std::string_view bytes);

// One line on what the event changed ("lifecycle PROSPECT → ACTIVE").
std::string DescribeChange(const CustomerEvent& event);

// The reason recorded with the event; empty when it has none.
std::string ReasonOf(const CustomerEvent& event);

// The event as it may be shown to a caller of `role`: a restricted profile's ciphertext and
// nonce are removed, and the finance figures the role may not see (access_rules.h).
CustomerEvent RedactForHistory(CustomerEvent event, crm::v1::Role role);

}  // namespace crm::registry
