// Bearer tokens for tests, signed with libjwt as an identity provider would sign them.
//
//   std::string token = MintToken({.subject = "u-amy", .role = "assistant",
//                                  .regions = {"emea"}}, TokenKey::Hs256(kTestSecret));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace crm::testing {

inline constexpr char kTestIssuer[] = "https://id.crm.test";
inline constexpr char kTestAudience[] = "crm";
// 32 bytes, the shortest HS256 secret the services accept.
inline constexpr char kTestSecret[] = "0123456789abcdef0123456789abcdef";

struct TokenClaims {
  std::string subject;
  std::string role;
  std::vector<std::string> regions = {"*"};
  std::string issuer = kTestIssuer;
  std::string audience = kTestAudience;
  absl::Time expires = absl::Now() + absl::Hours(1);
  std::optional<absl::Time> not_before;
};

struct TokenKey {
  // "HS256" or "RS256".
  std::string algorithm;
  // The secret, or the RSA private key in PEM.
  std::string key;
  static TokenKey Hs256(std::string secret) { return {"HS256", std::move(secret)}; }
  static TokenKey Rs256(std::string private_key_pem) {
    return {"RS256", std::move(private_key_pem)};
  }
};

std::string MintToken(const TokenClaims& claims, const TokenKey& key);

// A token whose header says "alg": "none", with no signature.
std::string UnsignedToken(const TokenClaims& claims);

}  // namespace crm::testing
