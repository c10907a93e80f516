// The facts a touchpoint's correction or cancellation gathers from the rows: the latest
// contacts the touchpoint held, found anew among the customer's other touchpoints.
#include "touchpoint_facts.h"

#include "crm/base/status_macros.h"
#include "crm/engagement/read_models.h"
#include "crm/engagement/touchpoint_events.h"
#include "crm/engagement/touchpoints.h"

namespace crm::engagement {

absl::StatusOr<std::vector<crm::v1::LatestContact>> ContactsFoundAnew(
    const eventstore::EventStore& store, const crm::v1::Touchpoint& removed,
    const CustomerEngagement& state) {
  std::vector<crm::v1::LatestContact> found;
  for (const ContactKey& key : ContactsHeldBy(state, removed.touchpoint_id())) {
    // The newest two rows: the removed touchpoint may be one of them.
    ASSIGN_OR_RETURN(
        eventstore::RowPage rows,
        store.ScanRows(kContacts, ContactRowPrefix(removed.customer_id(), key.person_id, key.layer),
                       "", 2));
    std::optional<LastContact> latest;
    for (const auto& [row_key, value] : rows.rows) {
      LastContact contact;
      if (!contact.ParseFromString(value)) return absl::InternalError("a contact row is corrupt");
      if (contact.touchpoint_id() == removed.touchpoint_id()) continue;
      latest = std::move(contact);
      break;
    }
    found.push_back(LatestContactOf(key, latest));
  }
  return found;
}

}  // namespace crm::engagement
