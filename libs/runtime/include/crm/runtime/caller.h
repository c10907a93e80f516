// Who is calling an RPC, and the command context its writes are stamped with.
//
//   eventstore::CommandContext context = CommandContextOf(*server_context, "UpdateSummary",
//                                                         request->request_id());
//
// The caller is read from call metadata that the deployment's authenticating edge (an
// ingress or mesh that verifies the caller's token) sets: `x-crm-principal` (the subject)
// and `x-crm-role` (assistant, account_manager, executive, admin or service). Without
// them the caller is the principal "anonymous" with no role. `x-crm-correlation-id`
// carries a correlation id across services; by default it is the request id.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "crm/eventstore/types.h"
#include "crm/v1/common.pb.h"
#include "grpcpp/server_context.h"

namespace crm::runtime {

inline constexpr char kPrincipalHeader[] = "x-crm-principal";
inline constexpr char kRoleHeader[] = "x-crm-role";
inline constexpr char kCorrelationHeader[] = "x-crm-correlation-id";

crm::v1::Actor CallerOf(const grpc::ServerContext& context);

// The role named by `name` ("account_manager"); ROLE_UNSPECIFIED for an unknown name.
crm::v1::Role RoleFromName(std::string_view name);

// PERMISSION_DENIED ("<what> is for admins") unless the caller is an admin.
absl::Status RequireAdmin(const grpc::ServerContext& context, std::string_view what);

// The context of a command of `method` with the client's `request_id`. Request ids are
// scoped by method, so that a client reusing an id for another method does not get the
// other method's answer.
eventstore::CommandContext CommandContextOf(const grpc::ServerContext& context,
                                            std::string_view method, std::string_view request_id);

}  // namespace crm::runtime
