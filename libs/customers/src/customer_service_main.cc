#include "crm/customers/customer_service_main.h"

#include <algorithm>
#include <cstdio>

#include "crm/customers/known_customers_projection.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/peer_channel.h"
#include "crm/runtime/service_process.h"
#include "crm/runtime/transport_settings.h"

namespace crm::customers {

ServiceConsumer CustomerServiceConsumer(const std::string& topic_prefix,
                                        std::optional<ServiceConsumer> more) {
  const std::string registry_topic = kafka::EventTopic(topic_prefix, "registry");
  const std::string tiering_topic = kafka::EventTopic(topic_prefix, "tiering");
  ServiceConsumer consumer{.topics = {registry_topic, tiering_topic},
                           .handler = KnownCustomersProjection(registry_topic, tiering_topic),
                           .tables = KnownCustomersProjectionTables()};
  if (!more.has_value()) return consumer;
  consumer.tables.insert(consumer.tables.end(), more->tables.begin(), more->tables.end());
  for (const std::string& topic : more->topics) {
    if (std::find(consumer.topics.begin(), consumer.topics.end(), topic) == consumer.topics.end()) {
      consumer.topics.push_back(topic);
    }
  }
  consumer.handler = [known = std::move(consumer.handler), registry_topic, tiering_topic,
                      then = std::move(more->handler)](const kafka::ConsumedEvent& event,
                                                       kafka::ProjectionBatch& batch) {
    if (event.topic == registry_topic || event.topic == tiering_topic) {
      if (absl::Status applied = known(event, batch); !applied.ok()) return applied;
    }
    return then(event, batch);
  };
  return consumer;
}

int RunCustomerService(const std::string& name, int argc, char** argv, CustomerServiceParts parts) {
  runtime::ServiceProcess::BlockShutdownSignals();
  const runtime::ServiceSettings settings = runtime::LoadSettingsOrExit(name, argc, argv);
  const std::string program = "crm-" + name;
  runtime::ServiceProcess process(settings);
  if (absl::Status opened = process.OpenStore(); !opened.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), opened.ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> to_peers =
      security::ChannelCredentialsFor(runtime::PeerSecurityOf(settings));
  if (!to_peers.ok()) {
    std::fprintf(stderr, "%s: setting --tls_ca_file or --service_token_file: %s\n", program.c_str(),
                 to_peers.status().ToString().c_str());
    return 1;
  }
  const CustomerDirectory directory(
      process.store(),
      runtime::PeerChannel(settings.service_addresses.at("registry"), *std::move(to_peers)),
      program);
  const std::unique_ptr<grpc::Service> service =
      parts.make(process.store(), directory, kafka::EventTopic(settings.topic_prefix, name));
  process.AddService(service.get());
  if (parts.state.has_value()) {
    process.AddStateTopic(parts.state->state_type, parts.state->state_of(*service));
  }
  const std::unique_ptr<runtime::EventReplayer> replayer =
      parts.replayer ? parts.replayer(process.store()) : nullptr;
  if (replayer != nullptr) process.SetReplayer(replayer.get());
  for (runtime::StoreUpgrade& upgrade : parts.upgrades) process.AddStoreUpgrade(std::move(upgrade));
  ServiceConsumer consumer =
      parts.more ? CustomerServiceConsumer(settings.topic_prefix, parts.more(settings.topic_prefix))
                 : CustomerServiceConsumer(settings.topic_prefix);
  process.AddConsumer(std::move(consumer.topics), std::move(consumer.handler),
                      std::move(consumer.tables));
  if (absl::Status started = process.Start(); !started.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), started.ToString().c_str());
    return 1;
  }
  return process.Run();
}

}  // namespace crm::customers
