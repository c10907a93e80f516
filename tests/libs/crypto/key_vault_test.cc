#include "crm/crypto/key_vault.h"

#include "crm/crypto/sealed_box.h"
#include "gtest/gtest.h"
#include "support/file_scan.h"
#include "support/temp_dir.h"

namespace crm::crypto {
namespace {

std::unique_ptr<KeyVault> OpenVault(const std::string& path) {
  auto vault = KeyVault::Open({.path = path});
  EXPECT_TRUE(vault.ok()) << vault.status();
  return vault.ok() ? std::move(*vault) : nullptr;
}

TEST(KeyVault, KeepsOneKeyPerSubjectAcrossReopening) {
  crm::testing::TempDir dir;
  std::string first;
  {
    auto vault = OpenVault(dir.path());
    auto key = vault->GetOrCreateKey("cus_1/kp_1");
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->size(), kKeyBytes);
    first = *key;
    EXPECT_EQ(*vault->GetOrCreateKey("cus_1/kp_1"), first);
    EXPECT_NE(*vault->GetOrCreateKey("cus_1/kp_2"), first);
  }
  auto vault = OpenVault(dir.path());
  auto again = vault->GetKey("cus_1/kp_1");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ(**again, first);
  EXPECT_FALSE(vault->GetKey("cus_9/kp_9")->has_value());
}

TEST(KeyVault, DestroyedKeyIsInNoFileOfTheVault) {
  crm::testing::TempDir dir;
  auto vault = OpenVault(dir.path());
  const std::string doomed = *vault->GetOrCreateKey("cus_1/kp_1");
  const std::string kept = *vault->GetOrCreateKey("cus_1/kp_2");
  // Before the purge the key is on disk (in the WAL): the check below can fail.
  ASSERT_FALSE(crm::testing::FilesContaining(dir.path(), doomed).empty());

  ASSERT_TRUE(vault->DestroyKey("cus_1/kp_1").ok());
  EXPECT_FALSE(vault->GetKey("cus_1/kp_1")->has_value());
  EXPECT_EQ(**vault->GetKey("cus_1/kp_2"), kept);
  EXPECT_TRUE(crm::testing::FilesContaining(dir.path(), doomed).empty());
  EXPECT_FALSE(crm::testing::FilesContaining(dir.path(), kept).empty());

  // Also when the key had already reached a table file before it was destroyed.
  const std::string flushed = *vault->GetOrCreateKey("cus_2/kp_1");
  vault.reset();
  vault = OpenVault(dir.path());
  ASSERT_FALSE(crm::testing::FilesContaining(dir.path(), flushed).empty());
  ASSERT_TRUE(vault->DestroyKey("cus_2/kp_1").ok());
  EXPECT_TRUE(crm::testing::FilesContaining(dir.path(), flushed).empty());
  EXPECT_TRUE(vault->DestroyKey("cus_2/kp_1").ok()) << "destroying twice is fine";
}

TEST(KeyVault, ANewKeyAfterDestructionDoesNotOpenOldRecords) {
  crm::testing::TempDir dir;
  auto vault = OpenVault(dir.path());
  Sealed old = Seal("old secret", *vault->GetOrCreateKey("s"), "s");
  ASSERT_TRUE(vault->DestroyKey("s").ok());
  EXPECT_FALSE(Open(old, *vault->GetOrCreateKey("s"), "s").ok());
}

}  // namespace
}  // namespace crm::crypto
