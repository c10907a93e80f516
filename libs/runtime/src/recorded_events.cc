#include "crm/runtime/recorded_events.h"

namespace crm::runtime {

absl::Status UnexpectedEvent(const eventstore::StoredEvent& event, std::string_view service) {
  return absl::DataLossError(absl::StrCat(
      "event ", event.metadata.global_position(), " (", event.metadata.event_type(),
      ") is not one ", std::string(service), " records on stream ", event.metadata.stream_id()));
}

}  // namespace crm::runtime
