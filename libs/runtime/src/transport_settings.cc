#include "crm/runtime/transport_settings.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"

namespace crm::runtime {
namespace {

absl::Status NamingSetting(const absl::Status& status, std::string_view flag) {
  if (status.ok()) return status;
  return absl::InvalidArgumentError(
      absl::StrCat("setting --", std::string(flag), ": ", status.message()));
}

absl::StatusOr<security::TokenVerifier> VerifierOf(const ServiceSettings& settings) {
  absl::StatusOr<std::string> key = security::ReadSecretFile(settings.jwt_key_file);
  RETURN_IF_ERROR(NamingSetting(key.status(), "jwt_key_file"));
  absl::StatusOr<security::TokenVerifier> verifier = security::TokenVerifier::Create(
      {.algorithm = settings.jwt_algorithm == "HS256" ? security::TokenAlgorithm::kHs256
                                                      : security::TokenAlgorithm::kRs256,
       .key = *std::move(key),
       .issuer = settings.jwt_issuer,
       .audience = settings.jwt_audience});
  RETURN_IF_ERROR(NamingSetting(verifier.status(), "jwt_key_file"));
  return verifier;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsOf(
    const ServiceSettings& settings) {
  security::ServerSecurity security{.cert_file = settings.tls_cert_file,
                                    .key_file = settings.tls_key_file,
                                    .client_ca_file = settings.tls_client_ca_file};
  if (settings.auth_required) {
    ASSIGN_OR_RETURN(security.verifier, VerifierOf(settings));
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      security::ServerCredentialsFor(security);
  RETURN_IF_ERROR(NamingSetting(credentials.status(), "tls_cert_file"));
  return credentials;
}

security::ClientSecurity PeerSecurityOf(const ServiceSettings& settings) {
  return {.ca_file = settings.tls_ca_file,
          .cert_file = settings.tls_ca_file.empty() ? "" : settings.tls_cert_file,
          .key_file = settings.tls_ca_file.empty() ? "" : settings.tls_key_file,
          .token_file = settings.service_token_file};
}

}  // namespace crm::runtime
