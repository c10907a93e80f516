// Verifies the bearer tokens callers present: JSON Web Tokens signed with HS256 (a shared
// secret) or RS256 (an RSA key pair whose public half the services hold), checked with
// libjwt. One deployment uses one algorithm, so a token signed otherwise (including "none",
// and an HS256 token "signed" with the RSA public key) is refused.
//
//   ASSIGN_OR_RETURN(TokenVerifier verifier, TokenVerifier::Create(rules));
//   absl::StatusOr<Principal> caller = verifier.Verify(token, absl::Now());
//
// The token's claims: `iss` and `aud` as configured, `exp` (required) and `nbf` (optional)
// within a leeway for clock skew, `sub` the principal, `role` one of assistant,
// account_manager, executive, admin or service, `regions` a list of region names or ["*"].
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/security/principal.h"

namespace crm::security {

enum class TokenAlgorithm { kHs256, kRs256 };

struct TokenRules {
  TokenAlgorithm algorithm = TokenAlgorithm::kRs256;
  // The HS256 secret, or the RS256 public key in PEM.
  std::string key;
  std::string issuer;
  std::string audience;
  // Allowed clock skew on `exp` and `nbf`.
  absl::Duration leeway = absl::Seconds(30);
};

class TokenVerifier {
 public:
  // INVALID_ARGUMENT for rules that cannot verify anything (no key, issuer or audience, an
  // HS256 secret shorter than 32 bytes, a public key that is not PEM).
  static absl::StatusOr<TokenVerifier> Create(TokenRules rules);

  // The caller the token names; UNAUTHENTICATED, saying why, for a malformed, tampered,
  // wrongly-signed, expired, not-yet-valid token, one for another issuer or audience, or
  // one whose claims name no principal, role or regions.
  absl::StatusOr<Principal> Verify(std::string_view token, absl::Time now) const;

 private:
  explicit TokenVerifier(TokenRules rules) : rules_(std::move(rules)) {}
  TokenRules rules_;
};

// The principal of a token CallAuthenticator has already verified on the same call: reads
// the claims without checking the signature, expiry or audience again. Never for a token
// that did not pass TokenVerifier::Verify.
absl::StatusOr<Principal> PrincipalOfVerifiedToken(std::string_view token);

}  // namespace crm::security
