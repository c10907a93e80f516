// Tier policies' validation and the health score's components, against values worked out
// by hand.
#include "crm/tiering/health.h"
#include "crm/tiering/tier_policies.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::tiering {
namespace {

using ::testing::HasSubstr;

absl::Status ValidationOf(void (*change)(crm::v1::TierPolicies&)) {
  crm::v1::TierPolicies policies = DefaultTierPolicies();
  policies.set_version("p-2027");
  change(policies);
  return ValidateTierPolicies(policies);
}

TEST(TierPolicies, TheDefaultIsValidAndCoversEveryTier) {
  crm::v1::TierPolicies policies = DefaultTierPolicies();
  ASSERT_TRUE(ValidateTierPolicies(policies).ok());
  EXPECT_EQ(PolicyOf(policies, crm::v1::TIER_S).acknowledge_within_hours(), 4);
  EXPECT_TRUE(PolicyOf(policies, crm::v1::TIER_A).executive_sponsor_required());
  EXPECT_EQ(PolicyOf(policies, crm::v1::TIER_B).contact_every_days(), 60);
  // No tier is C.
  EXPECT_EQ(PolicyOf(policies, crm::v1::TIER_UNSPECIFIED).tier(), crm::v1::TIER_C);
}

TEST(TierPolicies, ValidationNamesWhatIsWrong) {
  struct Case {
    void (*change)(crm::v1::TierPolicies&);
    const char* field;
  };
  const Case cases[] = {
      {[](crm::v1::TierPolicies& p) { p.set_version("no spaces"); }, "policies.version"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies()->RemoveLast(); }, "policies.policies "},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(1)->set_tier(crm::v1::TIER_S); },
       "policies.policies[1].tier appears twice"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(0)->set_tier(crm::v1::TIER_UNSPECIFIED); },
       "policies.policies[0].tier"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(0)->set_acknowledge_within_hours(0); },
       "policies.policies[0].acknowledge_within_hours"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(3)->set_acknowledge_within_hours(721); },
       "policies.policies[3].acknowledge_within_hours"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(2)->set_contact_every_days(3651); },
       "policies.policies[2].contact_every_days"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(2)->set_decision_maker_every_days(0); },
       "policies.policies[2].decision_maker_every_days"},
      {[](crm::v1::TierPolicies& p) { p.mutable_policies(1)->set_relationship_budget(-1); },
       "policies.policies[1].relationship_budget"},
      {[](crm::v1::TierPolicies& p) {
         p.mutable_policies(1)->set_relationship_budget(std::nan(""));
       },
       "policies.policies[1].relationship_budget"},
      {[](crm::v1::TierPolicies& p) {
         p.mutable_policies(1)->set_resource_investment(std::string(201, 'x'));
       },
       "policies.policies[1].resource_investment"},
  };
  for (const Case& c : cases) {
    absl::Status status = ValidationOf(c.change);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.field));
  }
}

const absl::CivilDay kToday(2026, 12, 20);

double ComponentScore(const crm::v1::CustomerHealth& health, crm::v1::HealthComponentKind kind) {
  for (const crm::v1::HealthComponent& component : health.components()) {
    if (component.kind() == kind) return component.score();
  }
  ADD_FAILURE() << "no component " << kind;
  return -1;
}

TEST(TierPolicies, PublishingAVersionPutsItInForceOnce) {
  crm::v1::TierPolicies policies = DefaultTierPolicies();
  policies.set_version("policies-2027");
  auto published = DecidePublishTierPolicies(policies, /*published_already=*/false);
  ASSERT_TRUE(published.ok()) << published.status();
  internal::TierPolicyState state;
  EvolvePolicies(*published, state);
  EXPECT_EQ(state.in_force().version(), "policies-2027");

  EXPECT_EQ(DecidePublishTierPolicies(policies, /*published_already=*/true).status().message(),
            "policies.version policies-2027 is published already");
  EXPECT_EQ(DecidePublishTierPolicies(DefaultTierPolicies(), false).status().code(),
            absl::StatusCode::kAlreadyExists);
  policies.clear_policies();
  EXPECT_EQ(DecidePublishTierPolicies(policies, false).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Health, EveryComponentWeighedAsDocumented) {
  HealthFacts facts;
  facts.nps = 20;                       // 60
  facts.last_touchpoint = kToday - 10;  // within 14 days: 100
  facts.contact_every_days = 14;
  facts.coverage = 50;       // 50
  facts.open_issues = 1;     // 75
  facts.payment_record = 4;  // 75
  facts.revenue = 110;       // +10%: 60
  facts.previous_revenue = 100;
  crm::v1::CustomerHealth health = HealthOf(facts, kToday);
  ASSERT_EQ(health.components_size(), 6);
  EXPECT_DOUBLE_EQ(ComponentScore(health, crm::v1::HEALTH_COMPONENT_KIND_NPS), 60);
  EXPECT_DOUBLE_EQ(ComponentScore(health, crm::v1::HEALTH_COMPONENT_KIND_RECENCY), 100);
  EXPECT_DOUBLE_EQ(ComponentScore(health, crm::v1::HEALTH_COMPONENT_KIND_COVERAGE), 50);
  EXPECT_DOUBLE_EQ(ComponentScore(health, crm::v1::HEALTH_COMPONENT_KIND_OPEN_ISSUES), 75);
  EXPECT_DOUBLE_EQ(ComponentScore(health, crm::v1::HEALTH_COMPONENT_KIND_PAYMENT), 75);
  EXPECT_DOUBLE_EQ(ComponentScore(health, crm::v1::HEALTH_COMPONENT_KIND_REVENUE_TREND), 60);
  // (60·25 + 100·20 + 50·15 + 75·15 + 75·15 + 60·10) / 100
  ASSERT_TRUE(health.has_score());
  EXPECT_DOUBLE_EQ(health.score(), 71);
  EXPECT_DOUBLE_EQ(health.components(0).weight(), 25);
  EXPECT_DOUBLE_EQ(health.components(4).measure(), 4);
}

TEST(Health, MissingComponentsShareTheirWeightAndAreFlagged) {
  HealthFacts facts;
  facts.nps = 20;  // 60, weight 25
  // No touchpoint, no decision makers, no payment record, no revenue: only NPS and open
  // issues (none: 100, weight 15) remain, 25:15 of 40.
  crm::v1::CustomerHealth health = HealthOf(facts, kToday);
  EXPECT_DOUBLE_EQ(health.score(), (60 * 25 + 100 * 15) / 40.0);
  int missing = 0;
  for (const crm::v1::HealthComponent& component : health.components()) {
    if (component.missing()) {
      ++missing;
      EXPECT_FALSE(component.has_measure());
      EXPECT_EQ(component.weight(), 0);
    }
  }
  EXPECT_EQ(missing, 4);
  EXPECT_DOUBLE_EQ(health.components(0).weight(), 62.5);
}

TEST(Health, NoIssuesAloneIsNoScore) {
  HealthFacts facts;  // nothing known but that no issue is open
  const crm::v1::CustomerHealth health = HealthOf(facts, kToday);
  EXPECT_FALSE(health.has_score());
  EXPECT_FALSE(health.components(3).missing());
  facts.payment_record = 1;  // one thing known: 0 of 15, none of 15 open: (0 + 1500) / 30
  EXPECT_DOUBLE_EQ(HealthOf(facts, kToday).score(), 50);
}

TEST(Health, RecencyFallsPastTheCadenceToZeroAtThreeTimesIt) {
  HealthFacts facts;
  facts.contact_every_days = 30;
  auto recency = [&](int days_ago) {
    facts.last_touchpoint = kToday - days_ago;
    return ComponentScore(HealthOf(facts, kToday), crm::v1::HEALTH_COMPONENT_KIND_RECENCY);
  };
  EXPECT_DOUBLE_EQ(recency(30), 100);
  EXPECT_DOUBLE_EQ(recency(60), 50);
  EXPECT_DOUBLE_EQ(recency(90), 0);
  EXPECT_DOUBLE_EQ(recency(400), 0);
}

TEST(Health, RevenueTrendNeedsARevenueBeforeAndClampsAtFiftyPercent) {
  HealthFacts facts;
  facts.revenue = 300;
  facts.previous_revenue = 0;  // no percentage from nothing
  EXPECT_TRUE(HealthOf(facts, kToday).components(5).missing());
  facts.previous_revenue = 100;  // +200%
  EXPECT_DOUBLE_EQ(
      ComponentScore(HealthOf(facts, kToday), crm::v1::HEALTH_COMPONENT_KIND_REVENUE_TREND), 100);
  facts.revenue = 40;  // -60%
  EXPECT_DOUBLE_EQ(
      ComponentScore(HealthOf(facts, kToday), crm::v1::HEALTH_COMPONENT_KIND_REVENUE_TREND), 0);
}

}  // namespace
}  // namespace crm::tiering
