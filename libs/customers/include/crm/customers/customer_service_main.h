// The main function of a service that checks customers against the registry (engagement,
// satisfaction): settings from flags and environment, the event store, the directory that
// asks the registry (--registry_addr) when the projection lags, the projection of the
// registry's and tiering's topics, and the gRPC server until SIGTERM.
//
//   int main(int argc, char** argv) {
//     return crm::customers::RunCustomerService("engagement", argc, argv,
//         {.make = [](eventstore::EventStore& store, const CustomerDirectory& directory,
//                     std::string topic) { return std::make_unique<EngagementService>(…); }});
//   }
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/event_consumer.h"
#include "crm/kafka/state_publisher.h"
#include "crm/runtime/rebuild.h"
#include "crm/runtime/service_process.h"
#include "grpcpp/impl/service_type.h"

namespace crm::customers {

// What a service's one consumer follows and does with each event.
struct ServiceConsumer {
  std::vector<std::string> topics;
  kafka::EventHandler handler;
  // The tables `handler` writes (names with static storage): what --rebuild=projections
  // empties.
  std::vector<std::string_view> tables = {};
};

// The consumer of a service that checks customers: the registry's and tiering's topics
// into the known customers and, with `more`, its topics too, each event then handed to
// `more.handler` as well.
ServiceConsumer CustomerServiceConsumer(const std::string& topic_prefix,
                                        std::optional<ServiceConsumer> more = std::nullopt);

// More topics a service follows, and their handler, given the topic prefix.
using MoreEvents = std::function<ServiceConsumer(const std::string& topic_prefix)>;

// Builds the service on the process's store and directory; `topic` is where its events go.
using MakeCustomerService = std::function<std::unique_ptr<grpc::Service>(
    eventstore::EventStore& store, const CustomerDirectory& directory, std::string topic)>;

// What a service publishes on its state topic (see ServiceProcess::AddStateTopic): the
// state message's full name, and the state of a customer as the built service knows it.
struct StateTopic {
  std::string state_type;
  std::function<kafka::StateOf(grpc::Service& service)> state_of;
};

// The state topic of a service class with a `PublishedState(customer_id)` method.
template <class Service>
StateTopic StateTopicOf(std::string_view state_type) {
  return {.state_type = std::string(state_type), .state_of = [](grpc::Service& service) {
            auto& built = static_cast<Service&>(service);
            return kafka::StateOf([&built](std::string_view customer_id) {
              return built.PublishedState(customer_id);
            });
          }};
}

// What replays the service's events into the store when it is rebuilt from its topic
// (--rebuild=full, crm/runtime/rebuild.h).
using MakeReplayer =
    std::function<std::unique_ptr<runtime::EventReplayer>(eventstore::EventStore& store)>;

// What a service adds to the common main.
struct CustomerServiceParts {
  MakeCustomerService make;
  // More topics it consumes, beside the registry's and tiering's.
  MoreEvents more = nullptr;
  // What it publishes on its state topic, if anything.
  std::optional<StateTopic> state = std::nullopt;
  // Without a replayer the service cannot be rebuilt.
  MakeReplayer replayer = nullptr;
  // Changes to a store an earlier release wrote (ServiceProcess::AddStoreUpgrade).
  std::vector<runtime::StoreUpgrade> upgrades = {};
};

// Runs the service `name` ("engagement") and returns the process's exit code.
int RunCustomerService(const std::string& name, int argc, char** argv, CustomerServiceParts parts);

}  // namespace crm::customers
