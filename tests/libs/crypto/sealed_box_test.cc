#include "crm/crypto/sealed_box.h"

#include "gtest/gtest.h"

namespace crm::crypto {
namespace {

TEST(SealedBox, OpensWithTheSameKeyAndContext) {
  const std::string key = NewKey();
  Sealed sealed = Seal("born 1971, collects stamps", key, "cus_1/kp_1");
  EXPECT_EQ(sealed.ciphertext.find("stamps"), std::string::npos);
  auto opened = Open(sealed, key, "cus_1/kp_1");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "born 1971, collects stamps");
}

TEST(SealedBox, RefusesAnotherKeyAContextOrATamperedRecord) {
  const std::string key = NewKey();
  Sealed sealed = Seal("secret", key, "cus_1/kp_1");
  EXPECT_EQ(Open(sealed, NewKey(), "cus_1/kp_1").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Open(sealed, key, "cus_1/kp_2").status().code(), absl::StatusCode::kDataLoss);
  Sealed tampered = sealed;
  tampered.ciphertext[0] ^= 1;
  EXPECT_EQ(Open(tampered, key, "cus_1/kp_1").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Open({"x", "y"}, key, "cus_1/kp_1").status().code(), absl::StatusCode::kDataLoss);
}

TEST(SealedBox, UsesAFreshNonceForEachRecord) {
  const std::string key = NewKey();
  EXPECT_NE(Seal("same", key, "c").nonce, Seal("same", key, "c").nonce);
  EXPECT_NE(NewKey(), NewKey());
}

}  // namespace
}  // namespace crm::crypto
