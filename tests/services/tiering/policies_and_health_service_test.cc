// Tier policies and health over a real gRPC channel: publishing is for admins, validated
// and once per version, the version in force is published on the topic; a customer's
// health follows the other services' events as they arrive.
#include "crm/kafka/cloud_events.h"
#include "crm/v1/engagement.pb.h"
#include "crm/v1/satisfaction.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "support/wait.h"
#include "tiering_harness.h"
#include "topic_reader.h"

namespace crm::tiering::testing {
namespace {

using ::testing::HasSubstr;

crm::v1::TierPolicies PoliciesOf(const std::string& version, int s_hours) {
  crm::v1::TierPolicies policies = DefaultTierPolicies();
  policies.set_version(version);
  policies.mutable_policies(0)->set_acknowledge_within_hours(s_hours);
  return policies;
}

class PoliciesAndHealthTest : public ::testing::Test {
 protected:
  PoliciesAndHealthTest() : tiering_(registry_) {}

  std::pair<grpc::Status, crm::v1::PublishTierPoliciesResponse> Publish(
      const crm::v1::TierPolicies& policies, const std::string& role = "admin") {
    crm::v1::PublishTierPoliciesRequest request;
    request.set_request_id(NewUuid());
    *request.mutable_policies() = policies;
    return tiering_.Call(&TieringStub::PublishTierPolicies, request, role);
  }

  std::pair<grpc::Status, crm::v1::GetCustomerHealthResponse> Health(const std::string& customer,
                                                                     int fiscal_year = 0) {
    crm::v1::GetCustomerHealthRequest request;
    request.set_customer_id(customer);
    request.set_fiscal_year(fiscal_year);
    return tiering_.Call(&TieringStub::GetCustomerHealth, request);
  }

  void Enter(const std::string& customer, int fiscal_year,
             std::vector<crm::v1::FactorInput> inputs) {
    crm::v1::RecordInputsRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer);
    request.set_fiscal_year(fiscal_year);
    for (auto& input : inputs) *request.add_inputs() = std::move(input);
    auto [status, _] = tiering_.Call(&TieringStub::RecordInputs, request);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  RegistryHarness registry_;
  TieringHarness tiering_;
};

TEST_F(PoliciesAndHealthTest, PoliciesArePublishedByAdminsValidatedOnceAndInForce) {
  crm::v1::GetTierPoliciesRequest get;
  auto [got, built_in] = tiering_.Call(&TieringStub::GetTierPolicies, get);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(built_in.policies().version(), "policies-default");
  EXPECT_TRUE(built_in.in_force());
  EXPECT_GT(PolicyOf(built_in.policies(), crm::v1::TIER_S).relationship_budget(), 0);
  EXPECT_TRUE(built_in.redacted_fields().empty());
  // Assistants do not see relationship spending: absent, and said so.
  auto [as_assistant_status, as_assistant] =
      tiering_.Call(&TieringStub::GetTierPolicies, get, "assistant");
  ASSERT_TRUE(as_assistant_status.ok());
  EXPECT_EQ(PolicyOf(as_assistant.policies(), crm::v1::TIER_S).relationship_budget(), 0);
  EXPECT_THAT(as_assistant.redacted_fields(),
              ::testing::ElementsAre("policies.relationship_budget"));

  EXPECT_EQ(Publish(PoliciesOf("p-2027", 2), "account_manager").first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto [invalid, _] = Publish(PoliciesOf("p-2027", 0));
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(invalid.error_message(), HasSubstr("policies.policies[0].acknowledge_within_hours"));
  EXPECT_EQ(Publish(PoliciesOf("policies-default", 2)).first.error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  crm::v1::PublishTierPoliciesRequest request;
  request.set_request_id(NewUuid());
  *request.mutable_policies() = PoliciesOf("p-2027", 2);
  auto [published, reply] = tiering_.Call(&TieringStub::PublishTierPolicies, request, "admin");
  ASSERT_TRUE(published.ok()) << published.error_message();
  EXPECT_TRUE(reply.policies().has_published_at());
  // The retry answers the same; another request for the version is refused.
  auto [retried, again] = tiering_.Call(&TieringStub::PublishTierPolicies, request, "admin");
  EXPECT_TRUE(retried.ok());
  EXPECT_EQ(again.policies().published_at().seconds(), reply.policies().published_at().seconds());
  EXPECT_EQ(Publish(PoliciesOf("p-2027", 3)).first.error_code(), grpc::StatusCode::ALREADY_EXISTS);

  auto [in_force, now_in_force] = tiering_.Call(&TieringStub::GetTierPolicies, get);
  EXPECT_EQ(now_in_force.policies().version(), "p-2027");
  EXPECT_EQ(PolicyOf(now_in_force.policies(), crm::v1::TIER_S).acknowledge_within_hours(), 2);
  get.set_version("policies-default");
  EXPECT_FALSE(tiering_.Call(&TieringStub::GetTierPolicies, get).second.in_force());
  get.set_version("nope");
  EXPECT_EQ(tiering_.Call(&TieringStub::GetTierPolicies, get).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
  auto [listed, versions] =
      tiering_.Call(&TieringStub::ListTierPolicies, crm::v1::ListTierPoliciesRequest());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(versions.versions_size(), 1);
  EXPECT_EQ(versions.versions(0).version(), "p-2027");

  // One event: the version as published, for engagement and satisfaction to apply.
  auto records = kafka::testing::ReadTopic(registry_.brokers(), tiering_.topic(), 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].headers.at("ce_type"), "crm.v1.TierPoliciesPublished");
  crm::v1::TierPoliciesPublished event;
  ASSERT_TRUE(event.ParseFromString(records[0].value));
  EXPECT_EQ(event.policies().version(), "p-2027");
  EXPECT_EQ(event.policies().policies_size(), 4);
}

TEST_F(PoliciesAndHealthTest, HealthFollowsTheOtherServicesEventsAsTheyArrive) {
  const std::string customer =
      registry::testing::RegisterCustomer(registry_, registry::testing::Summary("Vital AG"));
  const std::string cfo = registry::testing::AddPerson(registry_, customer, "Cora",
                                                       crm::v1::DECISION_ROLE_DECISION_MAKER, 4);
  Enter(customer, 2026, {InputOf("payment_record", 4), InputOf("last_year_revenue", 110)});
  Enter(customer, 2025, {InputOf("last_year_revenue", 100)});

  // Engagement met the decision maker ten days ago; satisfaction heard a promoter and an
  // issue was raised.
  crm::v1::TouchpointLogged met;
  met.mutable_touchpoint()->set_touchpoint_id("tp_1");
  met.mutable_touchpoint()->set_customer_id(customer);
  met.mutable_touchpoint()->add_person_ids(cfo);
  *met.mutable_touchpoint()->mutable_date() = crm::testing::Date(2026, 12, 10);
  kafka::testing::ProduceRaw(registry_.brokers(),
                             kafka::EventTopic(registry_.topic_prefix(), "engagement"),
                             {Published(met, customer, "engagement")});
  crm::v1::SurveyResponseRecorded promoter;
  promoter.mutable_response()->set_customer_id(customer);
  // Given now: "a customer's NPS" counts the last twelve months.
  *promoter.mutable_response()->mutable_responded_at() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(tiering_.clock().Now()));
  promoter.mutable_response()->set_score(9);
  crm::v1::IssueRaised raised;
  raised.mutable_issue()->set_issue_id("iss_1");
  raised.mutable_issue()->set_customer_id(customer);
  kafka::testing::ProduceRaw(registry_.brokers(),
                             kafka::EventTopic(registry_.topic_prefix(), "satisfaction"),
                             {Published(promoter, customer, "satisfaction", 1),
                              Published(raised, customer, "satisfaction", 2)});

  // NPS 100, recency 100 (10 days of C's 90), coverage 100, one open issue 75, payment 4
  // → 75, revenue +10% → 60: (2500 + 2000 + 1500 + 1125 + 1125 + 600) / 100.
  crm::v1::CustomerHealth health;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    health = Health(customer).second.health();
    return health.has_score() && !health.components(0).missing() &&
           !health.components(1).missing() && !health.components(2).missing() &&
           health.components(3).measure() == 1;
  }));
  EXPECT_DOUBLE_EQ(health.score(), 88.5);
  EXPECT_EQ(health.fiscal_year(), 2026);
  EXPECT_EQ(health.tier(), crm::v1::TIER_C);
  EXPECT_DOUBLE_EQ(health.components(1).measure(), 10);

  // The issue is confirmed closed: the score rises without anyone asking for a run.
  crm::v1::IssueClosed closed;
  closed.set_customer_id(customer);
  closed.set_issue_id("iss_1");
  kafka::testing::ProduceRaw(registry_.brokers(),
                             kafka::EventTopic(registry_.topic_prefix(), "satisfaction"),
                             {Published(closed, customer, "satisfaction", 3)});
  ASSERT_TRUE(crm::testing::WaitFor(
      [&] { return Health(customer).second.health().components(3).measure() == 0; }));
  EXPECT_DOUBLE_EQ(Health(customer).second.health().score(), 88.5 + 25 * 0.15);

  EXPECT_EQ(Health("cus_nobody").first.error_code(), grpc::StatusCode::NOT_FOUND);
  auto [bad_year, _] = Health(customer, 1999);
  EXPECT_EQ(bad_year.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_year.error_message(), HasSubstr("fiscal_year"));
}

}  // namespace
}  // namespace crm::tiering::testing
