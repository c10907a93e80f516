#include "crm/security/call_authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crm/security/permissions.h"

namespace crm::security {
namespace {

// Marks a connection whose calls all pass through CallAuthenticator. gRPC keeps one
// AuthContext per connection, shared by its calls, so the context holds only this constant
// fact; each call's principal comes from its own (verified) authorization header.
constexpr char kAuthenticatedProperty[] = "crm.authenticated";
constexpr char kAuthenticatedValue[] = "bearer";
constexpr absl::string_view kBearer = "Bearer ";

std::string Value(const grpc::string_ref& ref) { return std::string(ref.data(), ref.size()); }

}  // namespace

CallAuthenticator::CallAuthenticator(TokenVerifier verifier, Clock clock)
    : verifier_(std::move(verifier)), clock_(std::move(clock)) {}

grpc::Status CallAuthenticator::Process(const InputMetadata& metadata, grpc::AuthContext* context,
                                        OutputMetadata*, OutputMetadata*) {
  auto path = metadata.find(":path");
  const std::string method = path == metadata.end() ? std::string() : Value(path->second);
  if (IsOpenMethod(method)) return grpc::Status::OK;

  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "no bearer token: send \"authorization: Bearer <token>\"");
  }
  // One header only, so that the handler reads the very token verified here.
  if (metadata.count("authorization") != 1) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "more than one authorization header");
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
  // The header stays on the call for AuthenticatedPrincipal.
  if (context->FindPropertyValues(kAuthenticatedProperty).empty()) {
    context->AddProperty(kAuthenticatedProperty, kAuthenticatedValue);
  }
  return grpc::Status::OK;
}

std::optional<Principal> AuthenticatedPrincipal(const grpc::AuthContext& context,
                                                const ClientMetadata& metadata) {
  if (context.FindPropertyValues(kAuthenticatedProperty).empty()) return std::nullopt;
  // CallAuthenticator let the call through, so its one authorization header holds a verified
  // bearer token; should it be unreadable after all, the caller is nobody.
  Principal nobody{.subject = "unauthenticated"};
  auto header = metadata.find("authorization");
  if (header == metadata.end()) return nobody;
  const std::string authorization = Value(header->second);
  if (!absl::StartsWithIgnoreCase(authorization, kBearer)) return nobody;
  absl::StatusOr<Principal> principal =
      PrincipalOfVerifiedToken(std::string_view(authorization).substr(kBearer.size()));
  if (!principal.ok()) return nobody;
  return *std::move(principal);
}

}  // namespace crm::security
