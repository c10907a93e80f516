// The process's gRPC credentials from its settings (crm/security/transport.h): what its
// server accepts and how it calls the other services.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "crm/runtime/settings.h"
#include "crm/security/transport.h"

namespace crm::runtime {

// TLS when a certificate is configured, mutual TLS with a client CA, and the bearer-token
// gate (crm/security/call_authenticator.h) unless authentication is off. INVALID_ARGUMENT
// naming the setting for a file that cannot be read or a key that cannot verify tokens.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsOf(
    const ServiceSettings& settings);

// TLS to the other services when their CA is configured, presenting this service's own
// certificate (for mutual TLS) and its service token.
security::ClientSecurity PeerSecurityOf(const ServiceSettings& settings);

}  // namespace crm::runtime
