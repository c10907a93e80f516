#include "crm/tiering/redaction.h"

#include "crm/tiering/scoring.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/tier_policies.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::tiering {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

crm::v1::CustomerTier ScoredTier() {
  crm::v1::CustomerTier tier;
  *tier.mutable_score_card() =
      Score(DefaultModel(), "cus_1", {{kProfitFactor, 80.0}, {"last_year_revenue", 900.0}});
  return tier;
}

const crm::v1::FactorScore& FactorOf(const crm::v1::CustomerTier& tier, const std::string& id) {
  for (const auto& factor : tier.score_card().factors()) {
    if (factor.factor_id() == id) return factor;
  }
  ADD_FAILURE() << id << " is not on the score card";
  return crm::v1::FactorScore::default_instance();
}

TEST(RedactTier, AssistantsSeeNeitherTheProfitNorItsLevelButEveryOtherFactor) {
  crm::v1::CustomerTier tier = ScoredTier();
  const int profit_points = FactorOf(tier, kProfitFactor).points();
  EXPECT_THAT(RedactTier(crm::v1::ROLE_ASSISTANT, tier),
              ElementsAre("score_card.factors[last_year_profit].input",
                          "score_card.factors[last_year_profit].level"));
  EXPECT_FALSE(FactorOf(tier, kProfitFactor).has_input());
  EXPECT_TRUE(FactorOf(tier, kProfitFactor).level().empty());
  // Its points stay, as the total is their sum.
  EXPECT_EQ(FactorOf(tier, kProfitFactor).points(), profit_points);
  EXPECT_EQ(FactorOf(tier, "last_year_revenue").input(), 900.0);
}

TEST(RedactTier, AccountManagersAndAboveSeeItAll) {
  for (crm::v1::Role role : {crm::v1::ROLE_ACCOUNT_MANAGER, crm::v1::ROLE_EXECUTIVE,
                             crm::v1::ROLE_ADMIN, crm::v1::ROLE_SERVICE}) {
    crm::v1::CustomerTier tier = ScoredTier();
    EXPECT_THAT(RedactTier(role, tier), IsEmpty());
    EXPECT_EQ(FactorOf(tier, kProfitFactor).input(), 80.0);
  }
}

TEST(RedactTierPolicies, AssistantsDoNotSeeTheRelationshipBudget) {
  crm::v1::TierPolicies policies = DefaultTierPolicies();
  ASSERT_GT(policies.policies(0).relationship_budget(), 0);
  EXPECT_THAT(RedactTierPolicies(crm::v1::ROLE_ASSISTANT, policies),
              ElementsAre("policies.relationship_budget"));
  for (const auto& policy : policies.policies()) EXPECT_EQ(policy.relationship_budget(), 0);

  crm::v1::TierPolicies seen = DefaultTierPolicies();
  EXPECT_THAT(RedactTierPolicies(crm::v1::ROLE_ACCOUNT_MANAGER, seen), IsEmpty());
  EXPECT_GT(seen.policies(0).relationship_budget(), 0);
}

}  // namespace
}  // namespace crm::tiering
