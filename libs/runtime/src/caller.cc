#include "crm/runtime/caller.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crm/security/call_authenticator.h"

namespace crm::runtime {
namespace {

std::string Header(const grpc::ServerContext& context, std::string_view name) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(name.data(), name.size()));
  if (it == metadata.end()) return std::string();
  return std::string(it->second.data(), it->second.size());
}

// The caller as an unauthenticated call's metadata claims it (--auth=off).
security::Principal ClaimedPrincipal(const grpc::ServerContext& context) {
  security::Principal principal;
  principal.subject = Header(context, kPrincipalHeader);
  if (principal.subject.empty()) principal.subject = "anonymous";
  principal.role = security::RoleFromName(Header(context, kRoleHeader));
  const std::string regions = Header(context, kRegionsHeader);
  if (regions.empty()) {
    principal.regions = {std::string(security::kAllRegions)};
  } else {
    principal.regions = absl::StrSplit(regions, ',', absl::SkipEmpty());
  }
  return principal;
}

}  // namespace

security::Principal PrincipalOf(const grpc::ServerContext& context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr) {
    if (std::optional<security::Principal> verified =
            security::AuthenticatedPrincipal(*auth, context.client_metadata())) {
      return *std::move(verified);
    }
  }
  return ClaimedPrincipal(context);
}

crm::v1::Actor CallerOf(const grpc::ServerContext& context) {
  const security::Principal principal = PrincipalOf(context);
  crm::v1::Actor actor;
  actor.set_principal(principal.subject);
  actor.set_role(principal.role);
  return actor;
}

eventstore::CommandContext CommandContextOf(const grpc::ServerContext& context,
                                            std::string_view method, std::string_view request_id) {
  return CommandContextOf(context, PrincipalOf(context), method, request_id);
}

eventstore::CommandContext CommandContextOf(const grpc::ServerContext& context,
                                            const security::Principal& caller,
                                            std::string_view method, std::string_view request_id) {
  eventstore::CommandContext command;
  command.request_id = absl::StrCat(std::string(method), ":", std::string(request_id));
  command.actor.set_principal(caller.subject);
  command.actor.set_role(caller.role);
  command.correlation_id = Header(context, kCorrelationHeader);
  if (command.correlation_id.empty()) command.correlation_id = std::string(request_id);
  command.causation_id = std::string(request_id);
  return command;
}

absl::Status RequireAdmin(const grpc::ServerContext& context, std::string_view what) {
  if (CallerOf(context).role() == crm::v1::ROLE_ADMIN) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(std::string(what), " is for admins"));
}

absl::Status RequireRegion(const grpc::ServerContext& context, std::string_view region) {
  return security::RequireRegion(PrincipalOf(context), region);
}

absl::Status RequireRegionScope(const grpc::ServerContext& context, std::string_view region,
                                std::string_view field) {
  if (!region.empty()) return RequireRegion(context, region);
  if (PrincipalOf(context).HasAllRegions()) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(std::string(field), " is required: the caller may act in some regions only"));
}

}  // namespace crm::runtime
