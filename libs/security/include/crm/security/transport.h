// gRPC credentials from the files a deployment mounts: TLS for every server and client
// when certificates are configured, mutual TLS when a client CA is, and the bearer token a
// client presents on every call.
//
//   ASSIGN_OR_RETURN(auto server, ServerCredentialsFor(server_security));
//   builder.AddListeningPort(address, server, &port);
//   ASSIGN_OR_RETURN(auto channel, ChannelCredentialsFor(client_security));
//   grpc::CreateChannel(address, channel);
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "crm/security/token_verifier.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace crm::security {

struct ServerSecurity {
  // PEM certificate chain and private key; both empty: plaintext.
  std::string cert_file;
  std::string key_file;
  // Mutual TLS: clients must present a certificate this CA signed.
  std::string client_ca_file;
  // Every call but health checks needs a bearer token this verifies. Requires TLS.
  std::optional<TokenVerifier> verifier;
};

struct ClientSecurity {
  // The CA that signed the servers' certificates; empty: plaintext.
  std::string ca_file;
  // The client's own certificate and key, for servers that require mutual TLS.
  std::string cert_file;
  std::string key_file;
  // The bearer token sent on every call, itself or a file holding it (re-read while it
  // changes, as a mounted secret is rotated). Requires TLS.
  std::string token;
  std::string token_file;
};

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerSecurity& security);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientSecurity& security);

// The whole content of `path`; INVALID_ARGUMENT naming the path when it cannot be read.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace crm::security
