#include "crm/security/call_authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crm/security/permissions.h"

namespace crm::security {
namespace {

constexpr char kPrincipalProperty[] = "crm.principal";
constexpr char kRoleProperty[] = "crm.role";
constexpr char kRegionProperty[] = "crm.region";
constexpr absl::string_view kBearer = "Bearer ";

std::string Value(const grpc::string_ref& ref) { return std::string(ref.data(), ref.size()); }

}  // namespace

CallAuthenticator::CallAuthenticator(TokenVerifier verifier, Clock clock)
    : verifier_(std::move(verifier)), clock_(std::move(clock)) {}

grpc::Status CallAuthenticator::Process(const InputMetadata& metadata, grpc::AuthContext* context,
                                        OutputMetadata* consumed, OutputMetadata*) {
  auto path = metadata.find(":path");
  const std::string method = path == metadata.end() ? std::string() : Value(path->second);
  if (IsOpenMethod(method)) return grpc::Status::OK;

  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "no bearer token: send \"authorization: Bearer <token>\"");
  }
  const std::string authorization = Value(header->second);
  if (!absl::StartsWithIgnoreCase(authorization, kBearer)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the authorization header is not \"Bearer <token>\"");
  }
  absl::StatusOr<Principal> principal =
      verifier_.Verify(std::string_view(authorization).substr(kBearer.size()), clock_());
  if (!principal.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        std::string(principal.status().message()));
  }
  if (!IsAllowed(method, principal->role)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        absl::StrCat("the role ", RoleName(principal->role), " may not call ",
                                     method, " (docs/PERMISSIONS.md)"));
  }
  // The token is not passed on to the handler: it has no use for it.
  consumed->insert({"authorization", authorization});
  context->AddProperty(kPrincipalProperty, principal->subject);
  context->AddProperty(kRoleProperty, RoleName(principal->role));
  for (const std::string& region : principal->regions) {
    context->AddProperty(kRegionProperty, region);
  }
  context->SetPeerIdentityPropertyName(kPrincipalProperty);
  return grpc::Status::OK;
}

std::optional<Principal> AuthenticatedPrincipal(const grpc::AuthContext& context) {
  std::optional<Principal> principal;
  for (const grpc::AuthProperty& property : context) {
    const std::string name = Value(property.first);
    if (name == kPrincipalProperty) {
      if (!principal) principal.emplace();
      principal->subject = Value(property.second);
    } else if (name == kRoleProperty) {
      if (!principal) principal.emplace();
      principal->role = RoleFromName(Value(property.second));
    } else if (name == kRegionProperty) {
      if (!principal) principal.emplace();
      principal->regions.push_back(Value(property.second));
    }
  }
  return principal;
}

}  // namespace crm::security
