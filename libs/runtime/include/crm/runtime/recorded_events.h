// Reading the events a replayer is given (crm/runtime/rebuild.h): which message an event
// is, the event parsed as it, and the error for an event a stream should not hold.
//
//   if (IsEvent<crm::v1::SurveyClosed>(event)) {
//     ASSIGN_OR_RETURN(crm::v1::SurveyClosed closed, ParseEvent<crm::v1::SurveyClosed>(event));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "crm/eventstore/types.h"

namespace crm::runtime {

template <class Event>
bool IsEvent(const eventstore::StoredEvent& event) {
  return event.metadata.event_type() == Event::descriptor()->full_name();
}

// DATA_LOSS naming the event when its bytes do not parse as Event.
template <class Event>
absl::StatusOr<Event> ParseEvent(const eventstore::StoredEvent& event) {
  Event parsed;
  if (!parsed.ParseFromString(event.bytes)) {
    return absl::DataLossError(absl::StrCat("event ", event.metadata.global_position(), " (",
                                            event.metadata.event_type(), ") does not parse"));
  }
  return parsed;
}

// DATA_LOSS: `service` records no such event on the event's stream.
absl::Status UnexpectedEvent(const eventstore::StoredEvent& event, std::string_view service);

}  // namespace crm::runtime
