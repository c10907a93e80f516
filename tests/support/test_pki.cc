#include "support/test_pki.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace crm::testing {

absl::Status TestPki::Create() {
  // EC keys for TLS (quick to make); RSA for the RS256 key, as the algorithm requires.
  const std::string script = R"(set -e
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
ca() { openssl req -x509 $ec -keyout "$1.key" -out "$1.pem" -days 2 -subj "/CN=$1"; }
leaf() {
  openssl req $ec -keyout "$1.key" -out "$1.csr" -subj "/CN=$3"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
    -out "$1.pem" -days 2 -extfile "$1.ext"
}
ca ca
ca rogue-ca
leaf server ca localhost
leaf client ca crm-client
leaf rogue rogue-ca crm-rogue
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt.key
openssl pkey -in jwt.key -pubout -out jwt.pub
)";
  const std::string script_path = dir_.Sub("make-pki.sh");
  std::ofstream(script_path) << script;
  const std::string command =
      absl::StrCat("cd '", dir_.path(), "' && bash make-pki.sh >make-pki.log 2>&1");
  if (std::system(command.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("openssl could not make the test certificates; see ",
                                            dir_.Sub("make-pki.log")));
  }
  return absl::OkStatus();
}

}  // namespace crm::testing
