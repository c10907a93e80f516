#include "crm/runtime/caller.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace crm::runtime {
namespace {

std::string Header(const grpc::ServerContext& context, std::string_view name) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(name.data(), name.size()));
  if (it == metadata.end()) return std::string();
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

crm::v1::Role RoleFromName(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(name.data(), name.size()));
  crm::v1::Role role = crm::v1::ROLE_UNSPECIFIED;
  if (!crm::v1::Role_Parse(absl::StrCat("ROLE_", absl::AsciiStrToUpper(lower)), &role)) {
    return crm::v1::ROLE_UNSPECIFIED;
  }
  return role;
}

crm::v1::Actor CallerOf(const grpc::ServerContext& context) {
  crm::v1::Actor actor;
  std::string principal = Header(context, kPrincipalHeader);
  actor.set_principal(principal.empty() ? "anonymous" : principal);
  actor.set_role(RoleFromName(Header(context, kRoleHeader)));
  return actor;
}

eventstore::CommandContext CommandContextOf(const grpc::ServerContext& context,
                                            std::string_view method, std::string_view request_id) {
  eventstore::CommandContext command;
  command.request_id = absl::StrCat(std::string(method), ":", std::string(request_id));
  command.actor = CallerOf(context);
  command.correlation_id = Header(context, kCorrelationHeader);
  if (command.correlation_id.empty()) command.correlation_id = std::string(request_id);
  command.causation_id = std::string(request_id);
  return command;
}

absl::Status RequireAdmin(const grpc::ServerContext& context, std::string_view what) {
  if (CallerOf(context).role() == crm::v1::ROLE_ADMIN) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(std::string(what), " is for admins"));
}

}  // namespace crm::runtime
