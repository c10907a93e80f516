#include "crm/engagement/touchpoint_events.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "crm/engagement/read_models.h"

namespace crm::engagement {
namespace {

// Puts back the contacts a removed touchpoint held, as found anew.
void RestoreContacts(const google::protobuf::RepeatedPtrField<crm::v1::LatestContact>& restored,
                     CustomerEngagement& state) {
  for (const crm::v1::LatestContact& latest : restored) {
    std::optional<LastContact> contact;
    if (!latest.touchpoint_id().empty()) {
      contact.emplace();
      contact->set_person_id(latest.person_id());
      contact->set_layer(latest.layer());
      *contact->mutable_date() = latest.date();
      contact->set_touchpoint_id(latest.touchpoint_id());
    }
    ReplaceContact({latest.person_id(), latest.layer()}, contact, state);
  }
}

void Append(std::vector<RowChange> more, std::vector<RowChange>& rows) {
  for (RowChange& row : more) rows.push_back(std::move(row));
}

void Append(std::vector<CounterChange> more, std::vector<CounterChange>& counters) {
  for (CounterChange& counter : more) counters.push_back(std::move(counter));
}

}  // namespace

crm::v1::LatestContact LatestContactOf(const ContactKey& key,
                                       const std::optional<LastContact>& found) {
  crm::v1::LatestContact latest;
  latest.set_person_id(key.person_id);
  latest.set_layer(key.layer);
  if (found.has_value()) {
    *latest.mutable_date() = found->date();
    latest.set_touchpoint_id(found->touchpoint_id());
  }
  return latest;
}

absl::StatusOr<crm::v1::TouchpointCorrected> DecideCorrection(
    const crm::v1::Touchpoint& before, const crm::v1::Touchpoint& after, std::string_view reason,
    std::vector<crm::v1::LatestContact> restored) {
  if (before.cancelled()) {
    return absl::FailedPreconditionError(absl::StrCat("touchpoint_id ", before.touchpoint_id(),
                                                      " is cancelled and cannot be corrected"));
  }
  crm::v1::TouchpointCorrected corrected;
  *corrected.mutable_touchpoint() = after;
  corrected.set_reason(std::string(reason));
  *corrected.mutable_previous() = before;
  for (crm::v1::LatestContact& latest : restored) {
    *corrected.add_restored_contacts() = std::move(latest);
  }
  return corrected;
}

absl::StatusOr<crm::v1::TouchpointCancelled> DecideCancellation(
    const crm::v1::Touchpoint& before, std::string_view reason,
    std::vector<crm::v1::LatestContact> restored) {
  if (before.cancelled()) {
    return absl::FailedPreconditionError(
        absl::StrCat("touchpoint_id ", before.touchpoint_id(), " is already cancelled"));
  }
  crm::v1::TouchpointCancelled cancelled;
  cancelled.set_customer_id(before.customer_id());
  cancelled.set_touchpoint_id(before.touchpoint_id());
  cancelled.set_reason(std::string(reason));
  *cancelled.mutable_previous() = before;
  for (crm::v1::LatestContact& latest : restored) {
    *cancelled.add_restored_contacts() = std::move(latest);
  }
  return cancelled;
}

void Evolve(const crm::v1::TouchpointLogged& logged, CustomerEngagement& state) {
  state.set_customer_id(logged.touchpoint().customer_id());
  NoteContacts(logged.touchpoint(), state);
}

void Evolve(const crm::v1::TouchpointCorrected& corrected, CustomerEngagement& state) {
  RestoreContacts(corrected.restored_contacts(), state);
  NoteContacts(corrected.touchpoint(), state);
}

void Evolve(const crm::v1::TouchpointCancelled& cancelled, CustomerEngagement& state) {
  RestoreContacts(cancelled.restored_contacts(), state);
}

TouchpointProjection TouchpointChanges(const crm::v1::TouchpointLogged& logged) {
  const crm::v1::Touchpoint& touchpoint = logged.touchpoint();
  TouchpointProjection changes;
  changes.rows.push_back(TouchpointRow(touchpoint));
  Append(TouchpointRows(touchpoint, /*present=*/true), changes.rows);
  Append(WeekRoleRows(touchpoint), changes.rows);
  changes.counters = WeekCountChanges(touchpoint, +1);
  return changes;
}

TouchpointProjection TouchpointChanges(const crm::v1::TouchpointCorrected& corrected) {
  const crm::v1::Touchpoint& after = corrected.touchpoint();
  TouchpointProjection changes;
  changes.rows.push_back(TouchpointRow(after));
  Append(TouchpointRows(corrected.previous(), /*present=*/false), changes.rows);
  Append(TouchpointRows(after, /*present=*/true), changes.rows);
  Append(WeekRoleRows(after), changes.rows);
  changes.counters = WeekCountChanges(corrected.previous(), -1);
  Append(WeekCountChanges(after, +1), changes.counters);
  return changes;
}

TouchpointProjection TouchpointChanges(const crm::v1::TouchpointCancelled& cancelled) {
  crm::v1::Touchpoint touchpoint = cancelled.previous();
  TouchpointProjection changes;
  changes.rows = TouchpointRows(touchpoint, /*present=*/false);
  changes.counters = WeekCountChanges(touchpoint, -1);
  touchpoint.set_cancelled(true);
  touchpoint.set_cancel_reason(cancelled.reason());
  changes.rows.push_back(TouchpointRow(touchpoint));
  return changes;
}

}  // namespace crm::engagement
