#include "signals_projection.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/kafka/cloud_events.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/signals.h"

namespace crm::tiering {

customers::ServiceConsumer SignalsConsumer(const std::string& topic_prefix) {
  const std::string registry = kafka::EventTopic(topic_prefix, "registry");
  const std::string engagement = kafka::EventTopic(topic_prefix, "engagement");
  const std::string satisfaction = kafka::EventTopic(topic_prefix, "satisfaction");
  auto handler = [registry, engagement, satisfaction](
                     const kafka::ConsumedEvent& event,
                     kafka::ProjectionBatch& batch) -> absl::Status {
    const std::string& customer_id = event.metadata.customer_id();
    if (customer_id.empty()) return absl::OkStatus();  // not about one customer
    SignalSource source;
    if (event.topic == registry) {
      source = SignalSource::kRegistry;
    } else if (event.topic == engagement) {
      source = SignalSource::kEngagement;
    } else if (event.topic == satisfaction) {
      source = SignalSource::kSatisfaction;
    } else {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> row, batch.Get(std::string(kSignals), customer_id));
    internal::CustomerSignals signals;
    if (row.has_value() && !signals.ParseFromString(*row)) {
      return absl::InternalError(absl::StrCat("the signals of ", customer_id, " do not parse"));
    }
    const std::string before = signals.SerializeAsString();
    RETURN_IF_ERROR(ApplySignalEvent(source, event.metadata.event_type(), event.bytes,
                                     event.metadata, signals));
    std::string after = signals.SerializeAsString();
    if (after != before) batch.Put(std::string(kSignals), customer_id, std::move(after));
    return absl::OkStatus();
  };
  return {.topics = {registry, engagement, satisfaction},
          .handler = std::move(handler),
          .tables = {kSignals}};
}

}  // namespace crm::tiering
