// Engagement learns customers and key persons from the registry's events on the broker,
// and tiers from tiering's; a redelivered event changes nothing. The service here does not
// ask the registry, so that what it accepts comes from the events alone.
#include "engagement_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/wait.h"
#include "tier_events.h"
#include "topic_reader.h"

namespace crm::engagement::testing {
namespace {

class EngagementEventsTest : public ::testing::Test {
 protected:
  EngagementEventsTest() : engagement_(registry_, {.ask_registry = false}) {}

  grpc::StatusCode LogWith(const std::string& customer_id, const std::string& person_id) {
    return engagement_
        .Call(&EngagementStub::LogTouchpoint,
              Touchpoint(customer_id, Date(2026, 12, 1), {person_id}))
        .first.error_code();
  }

  std::vector<crm::v1::OverdueCustomer> Overdue() {
    auto [status, reply] = engagement_.Call(&EngagementStub::ListOverdueContacts,
                                            crm::v1::ListOverdueContactsRequest());
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {reply.customers().begin(), reply.customers().end()};
  }

  RegistryHarness registry_;
  EngagementHarness engagement_;
};

TEST_F(EngagementEventsTest, RegistryEventsCreateAndRemoveWhatTouchpointsAreCheckedAgainst) {
  const std::string customer = RegisterCustomer(registry_, "Evented SA");
  const std::string person =
      AddPerson(registry_, customer, "Pia", crm::v1::DECISION_ROLE_DECISION_MAKER, 4);
  // The tiering topic does not exist: the consumer still follows the registry's.
  ASSERT_TRUE(
      crm::testing::WaitFor([&] { return LogWith(customer, person) == grpc::StatusCode::OK; }));

  crm::v1::RemoveKeyPersonRequest remove;
  remove.set_request_id(NewUuid());
  remove.set_customer_id(customer);
  remove.set_person_id(person);
  remove.set_reason("left the company");
  ASSERT_TRUE(registry_.Call(&RegistryStub::RemoveKeyPerson, remove).first.ok());
  ASSERT_TRUE(crm::testing::WaitFor(
      [&] { return LogWith(customer, person) == grpc::StatusCode::NOT_FOUND; }));

  // The person's KeyPersonAdded comes again (same key, so the same partition); a later
  // event of the customer then shows the consumer has read past it.
  const auto records = kafka::testing::ReadTopic(registry_.brokers(), registry_.topic(), 3);
  ASSERT_EQ(records.size(), 3u);  // registered, person added, person removed
  kafka::testing::ProduceRaw(registry_.brokers(), registry_.topic(),
                             {{records[1].key, records[1].value}});
  const std::string later =
      AddPerson(registry_, customer, "Lou", crm::v1::DECISION_ROLE_INFLUENCER, 2);
  ASSERT_TRUE(
      crm::testing::WaitFor([&] { return LogWith(customer, later) == grpc::StatusCode::OK; }));
  EXPECT_EQ(LogWith(customer, person), grpc::StatusCode::NOT_FOUND);
}

TEST_F(EngagementEventsTest, ATierFromTieringEventsChangesWhatIsOverdue) {
  const std::string customer = RegisterCustomer(registry_, "Tiered Oy");
  // Without persons the touchpoint needs none; 40 days ago is within C's 90 days.
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    return engagement_
        .Call(&EngagementStub::LogTouchpoint, Touchpoint(customer, Date(2026, 11, 10)))
        .first.ok();
  }));
  EXPECT_TRUE(Overdue().empty());

  kafka::testing::ProduceRaw(
      registry_.brokers(), engagement_.tiering_topic(),
      {{customer, crm::testing::TierChanged(customer, crm::v1::TIER_S)}});  // 14 days
  std::vector<crm::v1::OverdueCustomer> overdue;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    overdue = Overdue();
    return overdue.size() == 1;
  }));
  EXPECT_EQ(overdue[0].tier(), crm::v1::TIER_S);
  EXPECT_TRUE(overdue[0].contact_overdue());
}

TEST_F(EngagementEventsTest, TieringsTierPoliciesSetTheCadenceAndLocalRulesGiveWay) {
  const std::string customer = RegisterCustomer(registry_, "Policied Oy");
  // 80 days ago: within C's default 90 days.
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    return engagement_.Call(&EngagementStub::LogTouchpoint, Touchpoint(customer, Date(2026, 10, 1)))
        .first.ok();
  }));
  EXPECT_TRUE(Overdue().empty());

  // Tiering publishes policies with C every 75 days.
  kafka::testing::ProduceRaw(
      registry_.brokers(), engagement_.tiering_topic(),
      {{"policies", crm::testing::TierPoliciesPublished(crm::testing::TestTierPolicies("p-1"))}});
  crm::v1::GetCadenceRulesResponse rules;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    rules = engagement_.Call(&EngagementStub::GetCadenceRules, crm::v1::GetCadenceRulesRequest())
                .second;
    return rules.policy_version() == "p-1";
  }));
  ASSERT_EQ(rules.rules_size(), 4);
  EXPECT_EQ(rules.rules(0).contact_every_days(), 7);
  EXPECT_EQ(rules.rules(3).contact_every_days(), 75);
  EXPECT_EQ(rules.rules(3).decision_maker_every_days(), 150);
  const std::vector<crm::v1::OverdueCustomer> overdue = Overdue();
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].customer_id(), customer);

  crm::v1::SetCadenceRuleRequest set;
  set.set_request_id(NewUuid());
  *set.mutable_rule() = rules.rules(3);
  auto [refused, _] = engagement_.Call(&EngagementStub::SetCadenceRule, set, "admin");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("p-1"));
}

TEST_F(EngagementEventsTest, EngagementsOwnEventsReachItsTopicKeyedByCustomer) {
  const std::string customer = RegisterCustomer(registry_, "Published Kft");
  crm::v1::LogTouchpointResponse logged;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] =
        engagement_.Call(&EngagementStub::LogTouchpoint, Touchpoint(customer, Date(2026, 12, 2)));
    logged = reply;
    return status.ok();
  }));
  crm::v1::CancelTouchpointRequest cancel;
  cancel.set_request_id(NewUuid());
  cancel.set_customer_id(customer);
  cancel.set_touchpoint_id(logged.touchpoint().touchpoint_id());
  cancel.set_reason("logged twice");
  ASSERT_TRUE(engagement_.Call(&EngagementStub::CancelTouchpoint, cancel).first.ok());

  const auto records = kafka::testing::ReadTopic(registry_.brokers(), engagement_.topic(), 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].headers.at("ce_type"), "crm.v1.TouchpointLogged");
  EXPECT_EQ(records[1].headers.at("ce_type"), "crm.v1.TouchpointCancelled");
  for (const auto& record : records) {
    EXPECT_EQ(record.key, customer);
    EXPECT_EQ(record.headers.at("ce_subject"), customer);
    EXPECT_THAT(record.headers.at("ce_source"), ::testing::StartsWith("crm/engagement/"));
  }
  crm::v1::TouchpointLogged event;
  ASSERT_TRUE(event.ParseFromString(records[0].value));
  EXPECT_EQ(event.touchpoint().touchpoint_id(), logged.touchpoint().touchpoint_id());
  EXPECT_EQ(event.metadata().actor().principal(), "u-alice");
}

}  // namespace
}  // namespace crm::engagement::testing
