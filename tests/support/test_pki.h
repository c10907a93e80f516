// Certificates and keys made with the openssl command at test time, in a directory of
// their own: a CA with a server certificate (for localhost and 127.0.0.1) and a client
// certificate, a second CA nobody trusts with a client certificate of its own, and an RSA
// key pair that signs RS256 tokens.
//
//   TestPki pki;
//   ASSERT_TRUE(pki.Create().ok());
//   settings.tls_cert_file = pki.server_cert();
#pragma once

#include <string>

#include "absl/status/status.h"
#include "support/temp_dir.h"

namespace crm::testing {

class TestPki {
 public:
  absl::Status Create();

  std::string ca() const { return dir_.Sub("ca.pem"); }
  std::string server_cert() const { return dir_.Sub("server.pem"); }
  std::string server_key() const { return dir_.Sub("server.key"); }
  std::string client_cert() const { return dir_.Sub("client.pem"); }
  std::string client_key() const { return dir_.Sub("client.key"); }
  // Signed by a CA the servers do not trust.
  std::string rogue_ca() const { return dir_.Sub("rogue-ca.pem"); }
  std::string rogue_cert() const { return dir_.Sub("rogue.pem"); }
  std::string rogue_key() const { return dir_.Sub("rogue.key"); }
  // The RS256 token signing key and the public key the services verify with.
  std::string jwt_private_key() const { return dir_.Sub("jwt.key"); }
  std::string jwt_public_key() const { return dir_.Sub("jwt.pub"); }

 private:
  TempDir dir_;
};

}  // namespace crm::testing
