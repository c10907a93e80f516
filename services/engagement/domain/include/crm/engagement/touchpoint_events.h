// What a customer's touchpoint events do, from the events alone: the engagement state each
// moves the customer's stream to (Evolve), and the rows and counters each writes
// (TouchpointChanges). A correction and a cancellation carry the touchpoint as it was and
// the latest contacts found anew without it, gathered by the command from the rows, so
// that a rebuild from the topic needs nothing else.
//
//   ASSIGN_OR_RETURN(crm::v1::TouchpointCancelled cancelled,
//                    DecideCancellation(before, reason, restored));
//   Evolve(cancelled, state);
//   const TouchpointProjection changes = TouchpointChanges(cancelled);
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crm/base/row_changes.h"
#include "crm/engagement/touchpoints.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

// The contact `key` as found anew: `found`, or none.
crm::v1::LatestContact LatestContactOf(const ContactKey& key,
                                       const std::optional<LastContact>& found);

// The events of correcting `before` to `after` and of cancelling it, with the contacts
// found anew without it; FAILED_PRECONDITION when `before` is cancelled already.
absl::StatusOr<crm::v1::TouchpointCorrected> DecideCorrection(
    const crm::v1::Touchpoint& before, const crm::v1::Touchpoint& after, std::string_view reason,
    std::vector<crm::v1::LatestContact> restored);
absl::StatusOr<crm::v1::TouchpointCancelled> DecideCancellation(
    const crm::v1::Touchpoint& before, std::string_view reason,
    std::vector<crm::v1::LatestContact> restored);

// The customer's engagement state after each event.
void Evolve(const crm::v1::TouchpointLogged& logged, CustomerEngagement& state);
void Evolve(const crm::v1::TouchpointCorrected& corrected, CustomerEngagement& state);
void Evolve(const crm::v1::TouchpointCancelled& cancelled, CustomerEngagement& state);

struct TouchpointProjection {
  std::vector<RowChange> rows;
  std::vector<CounterChange> counters;
};

// The rows and counters of each event: the touchpoint's own row, its rows by day and
// contact (a changed touchpoint's old ones removed first, so that where a key is the same
// the new row is written last), its employees' week counts and roles.
TouchpointProjection TouchpointChanges(const crm::v1::TouchpointLogged& logged);
TouchpointProjection TouchpointChanges(const crm::v1::TouchpointCorrected& corrected);
TouchpointProjection TouchpointChanges(const crm::v1::TouchpointCancelled& cancelled);

}  // namespace crm::engagement
