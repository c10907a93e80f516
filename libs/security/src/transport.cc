#include "crm/security/transport.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "crm/base/status_macros.h"
#include "crm/security/call_authenticator.h"

namespace crm::security {
namespace {

// How long a token read from a file is used before the file is read again.
constexpr absl::Duration kTokenFileReread = absl::Seconds(30);

// Sends "authorization: Bearer <token>" on every call, the token read from a file.
class TokenFileCredentials final : public grpc::MetadataCredentialsPlugin {
 public:
  explicit TokenFileCredentials(std::string path) : path_(std::move(path)) {}

  grpc::Status GetMetadata(grpc::string_ref, grpc::string_ref, const grpc::AuthContext&,
                           std::multimap<std::string, std::string>* metadata) override {
    absl::MutexLock lock(&mutex_);
    if (token_.empty() || absl::Now() - read_at_ > kTokenFileReread) {
      absl::StatusOr<std::string> token = ReadSecretFile(path_);
      if (!token.ok()) {
        return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                            std::string(token.status().message()));
      }
      token_ = std::string(absl::StripAsciiWhitespace(*token));
      read_at_ = absl::Now();
    }
    metadata->insert({"authorization", absl::StrCat("Bearer ", token_)});
    return grpc::Status::OK;
  }

 private:
  const std::string path_;
  absl::Mutex mutex_;
  std::string token_ ABSL_GUARDED_BY(mutex_);
  absl::Time read_at_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerSecurity& security) {
  if (security.cert_file.empty() != security.key_file.empty()) {
    return absl::InvalidArgumentError("a TLS certificate needs its key, and a key its certificate");
  }
  const bool tls = !security.cert_file.empty();
  if (!tls) {
    if (security.verifier.has_value()) {
      return absl::InvalidArgumentError(
          "bearer tokens need TLS: configure a certificate and key (or turn authentication off)");
    }
    if (!security.client_ca_file.empty()) {
      return absl::InvalidArgumentError("mutual TLS needs TLS: configure a certificate and key");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions options(
      security.client_ca_file.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                      : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.private_key, ReadSecretFile(security.key_file));
  ASSIGN_OR_RETURN(pair.cert_chain, ReadSecretFile(security.cert_file));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!security.client_ca_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_root_certs, ReadSecretFile(security.client_ca_file));
  }
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::SslServerCredentials(options);
  if (security.verifier.has_value()) {
    credentials->SetAuthMetadataProcessor(std::make_shared<CallAuthenticator>(*security.verifier));
  }
  return credentials;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientSecurity& security) {
  const bool has_token = !security.token.empty() || !security.token_file.empty();
  if (security.ca_file.empty()) {
    if (has_token) {
      return absl::InvalidArgumentError(
          "a bearer token is sent only over TLS: name the CA that signed the servers");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  ASSIGN_OR_RETURN(options.pem_root_certs, ReadSecretFile(security.ca_file));
  if (security.cert_file.empty() != security.key_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate needs its key, and a key its certificate");
  }
  if (!security.cert_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_cert_chain, ReadSecretFile(security.cert_file));
    ASSIGN_OR_RETURN(options.pem_private_key, ReadSecretFile(security.key_file));
  }
  std::shared_ptr<grpc::ChannelCredentials> channel = grpc::SslCredentials(options);
  if (!security.token.empty()) {
    return grpc::CompositeChannelCredentials(channel, grpc::AccessTokenCredentials(security.token));
  }
  if (!security.token_file.empty()) {
    RETURN_IF_ERROR(ReadSecretFile(security.token_file).status());
    return grpc::CompositeChannelCredentials(
        channel, grpc::MetadataCredentialsFromPlugin(
                     std::make_unique<TokenFileCredentials>(security.token_file)));
  }
  return channel;
}

}  // namespace crm::security
