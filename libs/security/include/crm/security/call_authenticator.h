// The gate in front of every RPC when authentication is on: gRPC hands it each call's
// metadata before the handler runs; it verifies the bearer token and checks the permission
// table for the method. The handler then reads the principal of that token with
// `AuthenticatedPrincipal` (through crm/runtime/caller.h).
//
//   auto credentials = grpc::SslServerCredentials(options);
//   credentials->SetAuthMetadataProcessor(std::make_shared<CallAuthenticator>(verifier));
//
// gRPC runs it only on TLS connections; a bearer token never travels in clear text.
#pragma once

#include <functional>
#include <optional>

#include "absl/time/time.h"
#include "crm/security/principal.h"
#include "crm/security/token_verifier.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/auth_metadata_processor.h"

namespace crm::security {

class CallAuthenticator final : public grpc::AuthMetadataProcessor {
 public:
  using Clock = std::function<absl::Time()>;
  explicit CallAuthenticator(
      TokenVerifier verifier, Clock clock = [] { return absl::Now(); });

  // Verification is CPU-only and quick, so it runs on gRPC's own thread.
  bool IsBlocking() const override { return false; }

  // UNAUTHENTICATED without a valid "authorization: Bearer <token>"; PERMISSION_DENIED for
  // a method the token's role may not call (or that is in no row of the table).
  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed, OutputMetadata* response) override;

 private:
  TokenVerifier verifier_;
  Clock clock_;
};

using ClientMetadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// The principal of the token CallAuthenticator verified on a call, from the call's
// AuthContext and client metadata; nullopt when the connection does not go through
// CallAuthenticator (a deployment with authentication off).
std::optional<Principal> AuthenticatedPrincipal(const grpc::AuthContext& context,
                                                const ClientMetadata& metadata);

}  // namespace crm::security
