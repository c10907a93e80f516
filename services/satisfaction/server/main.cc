// crm-satisfaction: surveys and responses, NPS roll-ups, voice-of-customer issues with
// response-time commitments per tier, and churn reasons. Settings: see --help (and
// DESIGN.md); --registry_addr names the registry it asks about customers its projection
// has not learnt yet.
#include <cstdio>

#include "crm/customers/customer_directory.h"
#include "crm/customers/known_customers_projection.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/service_process.h"
#include "grpcpp/create_channel.h"
#include "satisfaction_service.h"

int main(int argc, char** argv) {
  crm::runtime::ServiceProcess::BlockShutdownSignals();
  const crm::runtime::ServiceSettings settings =
      crm::runtime::LoadSettingsOrExit("satisfaction", argc, argv);
  crm::runtime::ServiceProcess process(settings);
  if (absl::Status opened = process.OpenStore(); !opened.ok()) {
    std::fprintf(stderr, "crm-satisfaction: %s\n", opened.ToString().c_str());
    return 1;
  }
  const crm::customers::CustomerDirectory directory(
      process.store(),
      grpc::CreateChannel(settings.service_addresses.at("registry"),
                          grpc::InsecureChannelCredentials()),
      "crm-satisfaction");
  crm::satisfaction::SatisfactionService service(
      process.store(), directory,
      {.topic = crm::kafka::EventTopic(settings.topic_prefix, "satisfaction")});
  process.AddService(&service);
  const std::string registry_topic = crm::kafka::EventTopic(settings.topic_prefix, "registry");
  const std::string tiering_topic = crm::kafka::EventTopic(settings.topic_prefix, "tiering");
  process.AddConsumer({registry_topic, tiering_topic},
                      crm::customers::KnownCustomersProjection(registry_topic, tiering_topic));
  if (absl::Status started = process.Start(); !started.ok()) {
    std::fprintf(stderr, "crm-satisfaction: %s\n", started.ToString().c_str());
    return 1;
  }
  return process.Run();
}
