#include "crm/security/token_verifier.h"

#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/test_pki.h"
#include "support/test_tokens.h"

namespace crm::security {
namespace {

using ::crm::testing::MintToken;
using ::crm::testing::TokenClaims;
using ::crm::testing::TokenKey;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

TokenVerifier Hs256Verifier() {
  return *TokenVerifier::Create({.algorithm = TokenAlgorithm::kHs256,
                                 .key = crm::testing::kTestSecret,
                                 .issuer = crm::testing::kTestIssuer,
                                 .audience = crm::testing::kTestAudience});
}

TokenClaims Amy() { return {.subject = "u-amy", .role = "assistant", .regions = {"emea"}}; }

std::string Hs256(const TokenClaims& claims) {
  return MintToken(claims, TokenKey::Hs256(crm::testing::kTestSecret));
}

// The reason an UNAUTHENTICATED refusal gives.
std::string Refusal(const TokenVerifier& verifier, const std::string& token) {
  absl::StatusOr<Principal> principal = verifier.Verify(token, absl::Now());
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  return std::string(principal.status().message());
}

class Rs256 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new crm::testing::TestPki();
    ASSERT_TRUE(pki_->Create().ok());
  }
  static void TearDownTestSuite() { delete pki_; }
  TokenVerifier Verifier() const {
    return *TokenVerifier::Create({.algorithm = TokenAlgorithm::kRs256,
                                   .key = Read(pki_->jwt_public_key()),
                                   .issuer = crm::testing::kTestIssuer,
                                   .audience = crm::testing::kTestAudience});
  }
  static crm::testing::TestPki* pki_;
};
crm::testing::TestPki* Rs256::pki_ = nullptr;

TEST(TokenVerifier, AValidHs256TokenGivesThePrincipalRoleAndRegions) {
  auto principal = Hs256Verifier().Verify(Hs256(Amy()), absl::Now());
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "u-amy");
  EXPECT_EQ(principal->role, crm::v1::ROLE_ASSISTANT);
  EXPECT_THAT(principal->regions, ElementsAre("emea"));
  EXPECT_TRUE(principal->MayActIn("emea"));
  EXPECT_FALSE(principal->MayActIn("apac"));
}

TEST(TokenVerifier, TheStarRegionGrantsEveryRegion) {
  TokenClaims claims = Amy();
  claims.regions = {"*"};
  auto principal = Hs256Verifier().Verify(Hs256(claims), absl::Now());
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->MayActIn("apac"));
}

TEST(TokenVerifier, ExpiryAndNotBeforeAreCheckedWithALeeway) {
  const TokenVerifier verifier = Hs256Verifier();
  TokenClaims expired = Amy();
  expired.expires = absl::Now() - absl::Minutes(5);
  EXPECT_THAT(Refusal(verifier, Hs256(expired)), HasSubstr("expired"));
  // Within the 30 s leeway for clock skew: still valid.
  TokenClaims just = Amy();
  just.expires = absl::Now() - absl::Seconds(10);
  EXPECT_TRUE(verifier.Verify(Hs256(just), absl::Now()).ok());
  TokenClaims early = Amy();
  early.not_before = absl::Now() + absl::Minutes(5);
  EXPECT_THAT(Refusal(verifier, Hs256(early)), HasSubstr("not valid yet"));
}

TEST(TokenVerifier, WrongIssuerOrAudienceIsRefused) {
  TokenClaims other_issuer = Amy();
  other_issuer.issuer = "https://evil.example";
  EXPECT_THAT(Refusal(Hs256Verifier(), Hs256(other_issuer)), HasSubstr("issuer"));
  TokenClaims other_audience = Amy();
  other_audience.audience = "billing";
  EXPECT_THAT(Refusal(Hs256Verifier(), Hs256(other_audience)), HasSubstr("audience"));
}

TEST(TokenVerifier, ATamperedOrForeignlySignedTokenIsRefused) {
  std::string token = Hs256(Amy());
  // Change the payload (the middle part) but keep the signature.
  const size_t dot = token.find('.');
  token[dot + 5] = token[dot + 5] == 'A' ? 'B' : 'A';
  Refusal(Hs256Verifier(), token);
  Refusal(Hs256Verifier(), MintToken(Amy(), TokenKey::Hs256("another-secret-another-secret-000")));
  EXPECT_THAT(Refusal(Hs256Verifier(), "not-a-token"), HasSubstr("malformed"));
  Refusal(Hs256Verifier(), "");
}

TEST(TokenVerifier, AnUnsignedTokenIsRefused) {
  Refusal(Hs256Verifier(), crm::testing::UnsignedToken(Amy()));
}

TEST(TokenVerifier, ClaimsMustNameSubjectRoleAndRegions) {
  TokenClaims no_subject = Amy();
  no_subject.subject.clear();
  EXPECT_THAT(Refusal(Hs256Verifier(), Hs256(no_subject)), HasSubstr("sub"));
  TokenClaims unknown_role = Amy();
  unknown_role.role = "superuser";
  EXPECT_THAT(Refusal(Hs256Verifier(), Hs256(unknown_role)), HasSubstr("role"));
  TokenClaims no_regions = Amy();
  no_regions.regions.clear();
  EXPECT_THAT(Refusal(Hs256Verifier(), Hs256(no_regions)), HasSubstr("regions"));
}

TEST(TokenVerifier, RulesThatCannotVerifyAreRefusedUpFront) {
  EXPECT_EQ(
      TokenVerifier::Create(
          {.algorithm = TokenAlgorithm::kHs256, .key = "short", .issuer = "i", .audience = "a"})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(
      TokenVerifier::Create(
          {.algorithm = TokenAlgorithm::kRs256, .key = "not pem", .issuer = "i", .audience = "a"})
          .ok());
  EXPECT_FALSE(TokenVerifier::Create({.algorithm = TokenAlgorithm::kHs256,
                                      .key = crm::testing::kTestSecret,
                                      .issuer = "",
                                      .audience = "a"})
                   .ok());
}

TEST_F(Rs256, AValidTokenIsAccepted) {
  auto principal = Verifier().Verify(
      MintToken(Amy(), TokenKey::Rs256(Read(pki_->jwt_private_key()))), absl::Now());
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "u-amy");
}

TEST_F(Rs256, AnHs256TokenKeyedWithThePublicKeyIsRefused) {
  // The classic confusion: the public key is no secret, so a token "signed" with it as an
  // HMAC key must not pass for an RS256 one.
  const std::string forged = MintToken(Amy(), TokenKey::Hs256(Read(pki_->jwt_public_key())));
  EXPECT_THAT(Refusal(Verifier(), forged), ::testing::AnyOf(HasSubstr("HS256"), HasSubstr("key")));
}

TEST_F(Rs256, ATokenOfAnotherKeyPairIsRefused) {
  // The TLS keys are EC, so sign with a fresh RSA key instead: the rogue one is EC too.
  crm::testing::TestPki other;
  ASSERT_TRUE(other.Create().ok());
  Refusal(Verifier(), MintToken(Amy(), TokenKey::Rs256(Read(other.jwt_private_key()))));
}

}  // namespace
}  // namespace crm::security
