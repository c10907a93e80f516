// The customers and key persons a service knows, as a pure projection of the registry's
// and tiering's events onto one KnownCustomer row per customer (name, status, region,
// industry, tier, key persons with role, influence and stance).
//
//   KnownCustomer row = stored.value_or(KnownCustomer{});
//   RETURN_IF_ERROR(ApplyRegistryEvent(event.metadata.event_type(), event.bytes, row));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "crm/internal/known_customer.pb.h"
#include "crm/v1/registry.pb.h"

namespace crm::customers {

using crm::internal::KnownCustomer;
using crm::internal::KnownPerson;

// The table of KnownCustomer rows, by customer id.
inline constexpr std::string_view kKnownCustomersTable = "known_customers";

// Applies a registry event (by its full type name) to the customer's row. Events that do
// not touch customers' identity, status or key persons leave the row as it is;
// INVALID_ARGUMENT when the bytes do not parse as their type.
absl::Status ApplyRegistryEvent(std::string_view event_type, std::string_view bytes,
                                KnownCustomer& customer);

// Applies a tiering event: CustomerTierChanged sets the tier.
absl::Status ApplyTieringEvent(std::string_view event_type, std::string_view bytes,
                               KnownCustomer& customer);

// The row for a customer as the registry returns it (when asked directly).
KnownCustomer KnownCustomerOf(const crm::v1::CustomerArchive& archive, crm::v1::Tier tier);

// The person of the customer, or nullptr.
const KnownPerson* FindPerson(const KnownCustomer& customer, std::string_view person_id);

// The tier rules apply to: C until one is known.
crm::v1::Tier EffectiveTier(const KnownCustomer& customer);

}  // namespace crm::customers
