// Touchpoints: what a client may record, and which (key person, layer) contacts a
// touchpoint makes, which the customer's engagement state keeps the latest of.
//
//   RETURN_IF_ERROR(ValidateTouchpointFacts(request.facts(), today));
//   crm::v1::Touchpoint touchpoint = TouchpointFrom(id, customer_id, request.facts());
//   NoteContacts(touchpoint, state);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

using internal::CustomerEngagement;
using internal::LastContact;

// INVALID_ARGUMENT naming the field: type and layer required, date a real day not after
// `today`, key persons given once each, at least one employee each with id and role,
// texts within their limits.
absl::Status ValidateTouchpointFacts(const crm::v1::TouchpointFacts& facts, absl::CivilDay today);

crm::v1::Touchpoint TouchpointFrom(std::string touchpoint_id, std::string customer_id,
                                   const crm::v1::TouchpointFacts& facts);

// A key person met at a layer. An empty person_id stands for the customer as a whole.
struct ContactKey {
  std::string person_id;
  crm::v1::RelationshipLayer layer;
  bool operator==(const ContactKey&) const = default;
};

// The contacts a touchpoint makes: each person present at its layer, and the customer.
std::vector<ContactKey> ContactsOf(const crm::v1::Touchpoint& touchpoint);

// The latest contact the state holds for `key`; nullopt when none.
std::optional<LastContact> LastContactOf(const CustomerEngagement& state, const ContactKey& key);

// Records the touchpoint's contacts where it is at least as recent as what is held.
void NoteContacts(const crm::v1::Touchpoint& touchpoint, CustomerEngagement& state);

// The contacts for which `touchpoint_id` is the latest: what must be found anew when it is
// cancelled or corrected.
std::vector<ContactKey> ContactsHeldBy(const CustomerEngagement& state,
                                       const std::string& touchpoint_id);

// Sets (or, with nullopt, removes) the latest contact for `key`.
void ReplaceContact(const ContactKey& key, const std::optional<LastContact>& contact,
                    CustomerEngagement& state);

}  // namespace crm::engagement
