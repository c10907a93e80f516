#include "crm/security/token_verifier.h"

#include <jwt.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace crm::security {
namespace {

// HS256 secrets shorter than the hash are guessable (RFC 7518 §3.2).
constexpr size_t kShortestSecret = 32;

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

struct FreeString {
  void operator()(char* text) const { free(text); }
};

absl::Status Refused(std::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token refused: ", std::string(why)));
}

// The claim `name` as JSON text ("" when absent).
std::string ClaimJson(jwt_t* jwt, const char* name) {
  std::unique_ptr<char, FreeString> json(jwt_get_grants_json(jwt, name));
  return json ? std::string(json.get()) : std::string();
}

// A string claim, or a list of strings, as a list.
absl::StatusOr<std::vector<std::string>> StringList(jwt_t* jwt, const char* name) {
  if (const char* single = jwt_get_grant(jwt, name)) return std::vector<std::string>{single};
  const std::string json = ClaimJson(jwt, name);
  if (json.empty()) return Refused(absl::StrCat("it has no ", name, " claim"));
  google::protobuf::ListValue list;
  if (!google::protobuf::util::JsonStringToMessage(json, &list).ok()) {
    return Refused(absl::StrCat("its ", name, " claim is neither a string nor a list"));
  }
  std::vector<std::string> values;
  for (const google::protobuf::Value& value : list.values()) {
    if (value.kind_case() != google::protobuf::Value::kStringValue) {
      return Refused(absl::StrCat("its ", name, " claim holds something other than strings"));
    }
    values.push_back(value.string_value());
  }
  return values;
}

// A numeric date claim (seconds since the epoch); nullopt when absent.
absl::StatusOr<std::optional<absl::Time>> DateClaim(jwt_t* jwt, const char* name) {
  errno = 0;
  const long seconds = jwt_get_grant_int(jwt, name);
  if (errno == ENOENT) return std::optional<absl::Time>();
  if (errno != 0) return Refused(absl::StrCat("its ", name, " claim is not a number"));
  return std::optional<absl::Time>(absl::FromUnixSeconds(seconds));
}

// The principal the claims name: sub, role and regions.
absl::StatusOr<Principal> PrincipalOfClaims(jwt_t* jwt) {
  Principal principal;
  const char* subject = jwt_get_grant(jwt, "sub");
  if (subject == nullptr || *subject == '\0') return Refused("it names no subject (sub)");
  principal.subject = subject;
  const char* role = jwt_get_grant(jwt, "role");
  principal.role = RoleFromName(role == nullptr ? "" : role);
  if (principal.role == crm::v1::ROLE_UNSPECIFIED) {
    return Refused(
        "its role claim is none of assistant, account_manager, executive, admin, "
        "service");
  }
  auto regions = StringList(jwt, "regions");
  if (!regions.ok()) return regions.status();
  principal.regions = *std::move(regions);
  return principal;
}

}  // namespace

absl::StatusOr<Principal> PrincipalOfVerifiedToken(std::string_view token) {
  const std::string text(token);
  jwt_t* decoded = nullptr;
  // No key: the signature is not checked again (see the header).
  const int error = jwt_decode(&decoded, text.c_str(), nullptr, 0);
  JwtPtr jwt(decoded);
  if (error != 0 || jwt == nullptr) return Refused("malformed");
  return PrincipalOfClaims(jwt.get());
}

absl::StatusOr<TokenVerifier> TokenVerifier::Create(TokenRules rules) {
  if (rules.key.empty()) return absl::InvalidArgumentError("no token verification key");
  if (rules.issuer.empty()) return absl::InvalidArgumentError("no token issuer");
  if (rules.audience.empty()) return absl::InvalidArgumentError("no token audience");
  if (rules.algorithm == TokenAlgorithm::kHs256 && rules.key.size() < kShortestSecret) {
    return absl::InvalidArgumentError(
        absl::StrCat("the HS256 secret must be at least ", kShortestSecret, " bytes"));
  }
  if (rules.algorithm == TokenAlgorithm::kRs256 &&
      rules.key.find("-----BEGIN PUBLIC KEY-----") == std::string::npos) {
    return absl::InvalidArgumentError("the RS256 key must be a PEM public key");
  }
  return TokenVerifier(std::move(rules));
}

absl::StatusOr<Principal> TokenVerifier::Verify(std::string_view token, absl::Time now) const {
  if (token.empty()) return Refused("it is empty");
  const std::string text(token);
  jwt_t* decoded = nullptr;
  // Verifies the signature with the algorithm the token's header names; which is why the
  // algorithm is checked against the configured one right after.
  const int error =
      jwt_decode(&decoded, text.c_str(), reinterpret_cast<const unsigned char*>(rules_.key.data()),
                 static_cast<int>(rules_.key.size()));
  JwtPtr jwt(decoded);
  if (error != 0 || jwt == nullptr) return Refused("malformed or not signed with our key");
  const jwt_alg_t expected =
      rules_.algorithm == TokenAlgorithm::kHs256 ? JWT_ALG_HS256 : JWT_ALG_RS256;
  if (jwt_get_alg(jwt.get()) != expected) {
    return Refused(absl::StrCat("it is signed with ", jwt_alg_str(jwt_get_alg(jwt.get())), ", not ",
                                jwt_alg_str(expected)));
  }

  const char* issuer = jwt_get_grant(jwt.get(), "iss");
  if (issuer == nullptr || rules_.issuer != issuer) return Refused("it is for another issuer");
  auto audiences = StringList(jwt.get(), "aud");
  if (!audiences.ok()) return audiences.status();
  if (std::find(audiences->begin(), audiences->end(), rules_.audience) == audiences->end()) {
    return Refused("it is for another audience");
  }
  auto expires = DateClaim(jwt.get(), "exp");
  if (!expires.ok()) return expires.status();
  if (!expires->has_value()) return Refused("it has no expiry (exp)");
  if (**expires + rules_.leeway <= now) return Refused("it has expired");
  auto not_before = DateClaim(jwt.get(), "nbf");
  if (!not_before.ok()) return not_before.status();
  if (not_before->has_value() && **not_before - rules_.leeway > now) {
    return Refused("it is not valid yet (nbf)");
  }

  return PrincipalOfClaims(jwt.get());
}

}  // namespace crm::security
