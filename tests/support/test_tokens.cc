#include "support/test_tokens.h"

#include <jwt.h>

#include <cstdlib>
#include <stdexcept>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace crm::testing {
namespace {

std::string RegionsJson(const std::vector<std::string>& regions) {
  return absl::StrCat("{\"regions\":[\"", absl::StrJoin(regions, "\",\""), "\"]}");
}

}  // namespace

std::string MintToken(const TokenClaims& claims, const TokenKey& key) {
  jwt_t* jwt = nullptr;
  if (jwt_new(&jwt) != 0) throw std::runtime_error("jwt_new failed");
  const jwt_alg_t algorithm = key.algorithm == "HS256" ? JWT_ALG_HS256 : JWT_ALG_RS256;
  int failed = jwt_set_alg(jwt, algorithm, reinterpret_cast<const unsigned char*>(key.key.data()),
                           static_cast<int>(key.key.size()));
  if (!claims.issuer.empty()) failed |= jwt_add_grant(jwt, "iss", claims.issuer.c_str());
  if (!claims.audience.empty()) failed |= jwt_add_grant(jwt, "aud", claims.audience.c_str());
  if (!claims.subject.empty()) failed |= jwt_add_grant(jwt, "sub", claims.subject.c_str());
  if (!claims.role.empty()) failed |= jwt_add_grant(jwt, "role", claims.role.c_str());
  failed |= jwt_add_grant_int(jwt, "exp", absl::ToUnixSeconds(claims.expires));
  if (claims.not_before) {
    failed |= jwt_add_grant_int(jwt, "nbf", absl::ToUnixSeconds(*claims.not_before));
  }
  if (!claims.regions.empty()) {
    failed |= jwt_add_grants_json(jwt, RegionsJson(claims.regions).c_str());
  }
  char* encoded = failed == 0 ? jwt_encode_str(jwt) : nullptr;
  jwt_free(jwt);
  if (encoded == nullptr) throw std::runtime_error("libjwt could not sign the test token");
  std::string token(encoded);
  free(encoded);
  return token;
}

std::string UnsignedToken(const TokenClaims& claims) {
  const std::string header = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  const std::string payload = absl::WebSafeBase64Escape(
      absl::StrCat(R"({"iss":")", claims.issuer, R"(","aud":")", claims.audience, R"(","sub":")",
                   claims.subject, R"(","role":")", claims.role, R"(","exp":)",
                   absl::ToUnixSeconds(claims.expires), R"(,"regions":["*"]})"));
  return absl::StrCat(header, ".", payload, ".");
}

}  // namespace crm::testing
