// Stubs for the four services as one caller (principal and role), with calls that return
// absl statuses: what `crmctl demo` and `crmctl report` use to talk to a running system.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/grpc_status.h"
#include "crm/runtime/peer_channel.h"
#include "crm/v1/engagement.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "crm/v1/tiering.grpc.pb.h"

namespace crm::crmctl {

using RegistryStub = crm::v1::RegistryService::Stub;
using EngagementStub = crm::v1::EngagementService::Stub;
using SatisfactionStub = crm::v1::SatisfactionService::Stub;
using TieringStub = crm::v1::TieringService::Stub;

class ServiceClients {
 public:
  // `address_of` maps a service's short name ("registry") to its address.
  ServiceClients(const std::function<std::string(const std::string&)>& address_of,
                 const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                 std::string principal, std::string role)
      : registry(crm::v1::RegistryService::NewStub(
            runtime::PeerChannel(address_of("registry"), credentials))),
        engagement(crm::v1::EngagementService::NewStub(
            runtime::PeerChannel(address_of("engagement"), credentials))),
        satisfaction(crm::v1::SatisfactionService::NewStub(
            runtime::PeerChannel(address_of("satisfaction"), credentials))),
        tiering(crm::v1::TieringService::NewStub(
            runtime::PeerChannel(address_of("tiering"), credentials))),
        principal_(std::move(principal)),
        role_(std::move(role)) {}

  // One call; a failure names the method, its status and its message. A service that
  // does not answer fails the call at once (UNAVAILABLE) rather than at the deadline.
  template <class Stub, class Request, class Response>
  absl::StatusOr<Response> Call(Stub& stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request) const {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    context.AddMetadata(runtime::kPrincipalHeader, principal_);
    context.AddMetadata(runtime::kRoleHeader, role_);
    Response response;
    const grpc::Status status = (stub.*method)(&context, request, &response);
    if (status.ok()) return response;
    const absl::Status failed = runtime::FromGrpcStatus(status);
    return absl::Status(failed.code(),
                        absl::StrCat(Request::descriptor()->name(), ": ", failed.ToString()));
  }

  std::unique_ptr<crm::v1::RegistryService::Stub> registry;
  std::unique_ptr<crm::v1::EngagementService::Stub> engagement;
  std::unique_ptr<crm::v1::SatisfactionService::Stub> satisfaction;
  std::unique_ptr<crm::v1::TieringService::Stub> tiering;

 private:
  std::string principal_;
  std::string role_;
};

}  // namespace crm::crmctl
