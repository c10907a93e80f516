#include "crm/customers/customer_service_main.h"

#include <cstdio>

#include "crm/customers/known_customers_projection.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/service_process.h"
#include "grpcpp/create_channel.h"

namespace crm::customers {

int RunCustomerService(const std::string& name, int argc, char** argv, MakeCustomerService make) {
  runtime::ServiceProcess::BlockShutdownSignals();
  const runtime::ServiceSettings settings = runtime::LoadSettingsOrExit(name, argc, argv);
  const std::string program = "crm-" + name;
  runtime::ServiceProcess process(settings);
  if (absl::Status opened = process.OpenStore(); !opened.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), opened.ToString().c_str());
    return 1;
  }
  const CustomerDirectory directory(process.store(),
                                    grpc::CreateChannel(settings.service_addresses.at("registry"),
                                                        grpc::InsecureChannelCredentials()),
                                    program);
  const std::unique_ptr<grpc::Service> service =
      make(process.store(), directory, kafka::EventTopic(settings.topic_prefix, name));
  process.AddService(service.get());
  const std::string registry_topic = kafka::EventTopic(settings.topic_prefix, "registry");
  const std::string tiering_topic = kafka::EventTopic(settings.topic_prefix, "tiering");
  process.AddConsumer({registry_topic, tiering_topic},
                      KnownCustomersProjection(registry_topic, tiering_topic));
  if (absl::Status started = process.Start(); !started.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), started.ToString().c_str());
    return 1;
  }
  return process.Run();
}

}  // namespace crm::customers
