// Who is calling an RPC, and the command context its writes are stamped with.
//
//   eventstore::CommandContext context = CommandContextOf(*server_context, "UpdateSummary",
//                                                         request->request_id());
//
// With authentication on (the default), the caller is the principal of the verified bearer
// token (crm/security/call_authenticator.h). With --auth=off, for development only, it is
// what the call's metadata says: `x-crm-principal` (the subject), `x-crm-role` (assistant,
// account_manager, executive, admin or service) and `x-crm-regions` (comma-separated;
// absent: all); without them the principal "anonymous" with no role.
// `x-crm-correlation-id` carries a correlation id across services; by default it is the
// request id.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "crm/eventstore/types.h"
#include "crm/security/principal.h"
#include "crm/v1/common.pb.h"
#include "grpcpp/server_context.h"

namespace crm::runtime {

inline constexpr char kPrincipalHeader[] = "x-crm-principal";
inline constexpr char kRoleHeader[] = "x-crm-role";
inline constexpr char kRegionsHeader[] = "x-crm-regions";
inline constexpr char kCorrelationHeader[] = "x-crm-correlation-id";

// The caller with its regions.
security::Principal PrincipalOf(const grpc::ServerContext& context);

// The caller as events record it.
crm::v1::Actor CallerOf(const grpc::ServerContext& context);

// PERMISSION_DENIED ("<what> is for admins") unless the caller is an admin.
absl::Status RequireAdmin(const grpc::ServerContext& context, std::string_view what);

// PERMISSION_DENIED naming the region unless the caller may act in `region`.
absl::Status RequireRegion(const grpc::ServerContext& context, std::string_view region);

// For a query over a region (`field`; empty: every region): PERMISSION_DENIED when the
// caller may not act in it, or when it names none and the caller may act in some only.
absl::Status RequireRegionScope(const grpc::ServerContext& context, std::string_view region,
                                std::string_view field);

// The context of a command of `method` with the client's `request_id`. Request ids are
// scoped by method, so that a client reusing an id for another method does not get the
// other method's answer.
eventstore::CommandContext CommandContextOf(const grpc::ServerContext& context,
                                            std::string_view method, std::string_view request_id);
// The same for a caller the handler already has (reading it again decodes its token again).
eventstore::CommandContext CommandContextOf(const grpc::ServerContext& context,
                                            const security::Principal& caller,
                                            std::string_view method, std::string_view request_id);

}  // namespace crm::runtime
