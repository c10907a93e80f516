// The gRPC service clients see when an instance's customers are spread over partitions
// (docs/ARCHITECTURE.md, "Partition tasks inside an instance"). It takes every call on the
// public port as bytes, finds the partition from the method's route (crm/runtime/routes.h)
// and the request's key, and forwards the bytes to that partition's task over its channel
// (an in-process channel to a task of this instance); the task's reply or status comes
// back untouched. A method routed across partitions is asked of every task, and the
// service's merger makes one reply of theirs. The caller's deadline, token and
// correlation id go along; headers claiming an identity only with
// RouterOptions::pass_claimed_identity.
//
//   PartitionRouter router({{.service = registry_descriptor, .routes = RegistryRoutes(),
//                            .mergers = RegistryMergers()}},
//                          task_channels);
//   builder.RegisterCallbackGenericService(&router);
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crm/runtime/routes.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"

namespace crm::runtime {

// Makes one reply of the replies of every partition to the same request (each a serialized
// response message), or says why it cannot (the status the caller then gets).
using Merger = std::function<absl::StatusOr<std::string>(std::string_view request,
                                                         const std::vector<std::string>& replies)>;

struct RoutedService {
  const google::protobuf::ServiceDescriptor* service = nullptr;
  MethodRoutes routes;
  // One for each method routed across partitions.
  std::map<std::string, Merger, std::less<>> mergers;
  // The key of the service's settings stream, for methods routed to the settings.
  std::string settings_key;
};

struct RouterOptions {
  // Pass the headers that claim an identity (x-crm-principal, -role, -regions) on to the
  // tasks, which take them as the caller. Only for --auth=off, where the services take
  // them as the caller anyway; with authentication the tasks need the verified principal,
  // which the router does not carry yet (docs/ARCHITECTURE.md, Steps).
  bool pass_claimed_identity = false;
};

class PartitionRouter final : public grpc::CallbackGenericService {
 public:
  // A method's route, resolved for the calls.
  struct Resolved {
    Route::Kind kind = Route::Kind::kByKey;
    int key_field_number = 0;
    const Merger* merger = nullptr;
    std::string settings_key;
  };

  // `partitions[p]` reaches partition p's task. Fails (FAILED_PRECONDITION) when a route
  // table does not fit its service or a method routed across partitions has no merger.
  static absl::StatusOr<std::unique_ptr<PartitionRouter>> Create(
      std::vector<RoutedService> services,
      const std::vector<std::shared_ptr<grpc::Channel>>& partitions, RouterOptions options = {});

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

 private:
  PartitionRouter() = default;

  RouterOptions options_;
  std::vector<RoutedService> services_;
  std::vector<std::unique_ptr<grpc::GenericStub>> partitions_;
  // By the call's method path, "/crm.v1.RegistryService/GetCustomer".
  std::map<std::string, Resolved, std::less<>> methods_;
};

}  // namespace crm::runtime
