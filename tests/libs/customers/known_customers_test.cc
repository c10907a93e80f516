// The known-customer projection as pure functions: registry and tiering events onto one
// row per customer, in whatever order the two topics deliver them.
#include "crm/known_customers/known_customers.h"

#include "crm/v1/tiering.pb.h"
#include "gtest/gtest.h"

namespace crm::customers {
namespace {

TEST(KnownCustomers, FollowTheRegistrysPersonsAndTheTieringTier) {
  KnownCustomer customer;
  crm::v1::CustomerTierChanged tier;  // may arrive before the registration
  tier.set_customer_id("cus_1");
  tier.set_tier(crm::v1::TIER_A);
  ASSERT_TRUE(
      ApplyTieringEvent(tier.descriptor()->full_name(), tier.SerializeAsString(), customer).ok());
  EXPECT_FALSE(customer.registered());

  crm::v1::CustomerRegistered registered;
  registered.set_customer_id("cus_1");
  registered.mutable_summary()->set_legal_name("Acme");
  registered.mutable_summary()->set_region("emea");
  registered.mutable_summary()->set_industry("telecom operator");
  ASSERT_TRUE(ApplyRegistryEvent(registered.descriptor()->full_name(),
                                 registered.SerializeAsString(), customer)
                  .ok());
  crm::v1::KeyPersonAdded added;
  added.mutable_person()->set_person_id("kp_a");
  added.mutable_person()->set_influence(4);
  ASSERT_TRUE(
      ApplyRegistryEvent(added.descriptor()->full_name(), added.SerializeAsString(), customer)
          .ok());
  EXPECT_TRUE(customer.registered());
  EXPECT_EQ(customer.region(), "emea");
  EXPECT_EQ(customer.industry(), "telecom operator");
  EXPECT_EQ(EffectiveTier(customer), crm::v1::TIER_A);
  EXPECT_EQ(customer.tier(), crm::v1::TIER_A);
  ASSERT_NE(FindPerson(customer, "kp_a"), nullptr);

  crm::v1::KeyPersonRemoved removed;
  removed.set_person_id("kp_a");
  ASSERT_TRUE(
      ApplyRegistryEvent(removed.descriptor()->full_name(), removed.SerializeAsString(), customer)
          .ok());
  EXPECT_EQ(FindPerson(customer, "kp_a"), nullptr);
  EXPECT_FALSE(ApplyRegistryEvent(added.descriptor()->full_name(), "\xff\xff", customer).ok());
}

TEST(KnownCustomers, WithoutATierACustomerIsTreatedAsC) {
  KnownCustomer customer;
  EXPECT_EQ(EffectiveTier(customer), crm::v1::TIER_C);
  crm::v1::CustomerArchive archive;
  archive.set_customer_id("cus_2");
  archive.mutable_summary()->set_region("apac");
  archive.add_key_persons()->set_person_id("kp_b");
  const KnownCustomer asked = KnownCustomerOf(archive, crm::v1::TIER_S);
  EXPECT_TRUE(asked.registered());
  EXPECT_EQ(asked.region(), "apac");
  EXPECT_EQ(asked.tier(), crm::v1::TIER_S);
  EXPECT_NE(FindPerson(asked, "kp_b"), nullptr);
}

}  // namespace
}  // namespace crm::customers
