// The main function of a service that checks customers against the registry (engagement,
// satisfaction): settings from flags and environment, the event store, the directory that
// asks the registry (--registry_addr) when the projection lags, the projection of the
// registry's and tiering's topics, and the gRPC server until SIGTERM.
//
//   int main(int argc, char** argv) {
//     return crm::customers::RunCustomerService("engagement", argc, argv,
//         [](eventstore::EventStore& store, const CustomerDirectory& directory,
//            std::string topic) { return std::make_unique<EngagementService>(…); });
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "grpcpp/impl/service_type.h"

namespace crm::customers {

// Builds the service on the process's store and directory; `topic` is where its events go.
using MakeCustomerService = std::function<std::unique_ptr<grpc::Service>(
    eventstore::EventStore& store, const CustomerDirectory& directory, std::string topic)>;

// Runs the service `name` ("engagement") and returns the process's exit code.
int RunCustomerService(const std::string& name, int argc, char** argv, MakeCustomerService make);

}  // namespace crm::customers
