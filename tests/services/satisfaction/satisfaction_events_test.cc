// Satisfaction through the broker: a detractor's response and its follow-up issue reach
// the topic together, in order, keyed by customer; a tier from tiering's events moves an
// open issue's deadline. The service here does not ask the registry, so what it accepts
// comes from the registry's events alone.
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "satisfaction_harness.h"
#include "support/wait.h"
#include "tier_events.h"
#include "topic_reader.h"

namespace crm::satisfaction::testing {
namespace {

using google::protobuf::util::TimeUtil;

class SatisfactionEventsTest : public ::testing::Test {
 protected:
  SatisfactionEventsTest() : satisfaction_(registry_, {.ask_registry = false}) {}

  // Creates a survey of `customer` once its registration has arrived.
  std::string SurveyOnceKnown(const std::string& customer) {
    crm::v1::CreateSurveyRequest request;
    request.set_request_id(NewUuid());
    request.set_title("After delivery");
    request.set_kind(crm::v1::SURVEY_KIND_TRANSACTIONAL);
    request.add_customer_ids(customer);
    *request.mutable_opens_on() = Date(2026, 12, 1);
    *request.mutable_closes_on() = Date(2026, 12, 31);
    crm::v1::CreateSurveyResponse created;
    EXPECT_TRUE(crm::testing::WaitFor([&] {
      auto [status, reply] = satisfaction_.Call(&SatisfactionStub::CreateSurvey, request);
      created = reply;
      return status.ok();
    }));
    return created.survey().survey_id();
  }

  RegistryHarness registry_;
  SatisfactionHarness satisfaction_;
};

TEST_F(SatisfactionEventsTest, ADetractorsResponseAndItsFollowUpReachTheTopicTogether) {
  const auto [customer, person] = CustomerWithPerson(registry_, "Loop Oyj");
  const std::string survey = SurveyOnceKnown(customer);
  crm::v1::RecordResponseResponse recorded;
  ASSERT_TRUE(crm::testing::WaitFor([&] {  // the person's event may still be on its way
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::RecordResponse,
                                              Response(survey, customer, person, 2));
    recorded = reply;
    return status.ok();
  }));

  // The survey's event is keyed by its stream, on a partition of its own; the customer's
  // two are in order on the customer's partition.
  std::vector<kafka::testing::Record> survey_events, customer_events;
  for (auto& record : kafka::testing::ReadTopic(registry_.brokers(), satisfaction_.topic(), 3)) {
    (record.key == customer ? customer_events : survey_events).push_back(std::move(record));
  }
  ASSERT_EQ(survey_events.size(), 1u);
  EXPECT_EQ(survey_events[0].headers.at("ce_type"), "crm.v1.SurveyCreated");
  EXPECT_EQ(survey_events[0].key, "survey-" + survey);
  ASSERT_EQ(customer_events.size(), 2u);
  EXPECT_EQ(customer_events[0].headers.at("ce_type"), "crm.v1.SurveyResponseRecorded");
  EXPECT_EQ(customer_events[1].headers.at("ce_type"), "crm.v1.IssueRaised");
  for (const auto& record : customer_events) {
    EXPECT_EQ(record.headers.at("ce_subject"), customer);
    EXPECT_THAT(record.headers.at("ce_source"), ::testing::StartsWith("crm/satisfaction/"));
  }
  crm::v1::SurveyResponseRecorded response_event;
  ASSERT_TRUE(response_event.ParseFromString(customer_events[0].value));
  EXPECT_EQ(response_event.category(), crm::v1::NPS_CATEGORY_DETRACTOR);
  EXPECT_EQ(response_event.metadata().actor().principal(), "u-alice");
  // Where it counts in the NPS roll-ups travels with it: the customer's region, industry and
  // tier (C until tiering says otherwise) at the time.
  EXPECT_EQ(response_event.scope().region(), "emea");
  EXPECT_EQ(response_event.scope().industry(), "telecom operator");
  EXPECT_EQ(response_event.scope().tier(), crm::v1::TIER_C);
  EXPECT_FALSE(response_event.has_replaced_scope());
  crm::v1::IssueRaised raised;
  ASSERT_TRUE(raised.ParseFromString(customer_events[1].value));
  EXPECT_EQ(raised.issue().issue_id(), recorded.follow_up_issue_id());
  EXPECT_EQ(raised.issue().response_id(), response_event.response().response_id());
  // One write: the two events carry the same request and consecutive stream versions.
  EXPECT_EQ(raised.metadata().request_id(), response_event.metadata().request_id());
  EXPECT_EQ(raised.metadata().stream_version(), response_event.metadata().stream_version() + 1);
}

TEST_F(SatisfactionEventsTest, ATierChangeFromTieringEventsMovesAnOpenIssuesDeadline) {
  const auto [customer, person] = CustomerWithPerson(registry_, "Tiered Issue SpA");
  crm::v1::RaiseIssueRequest raise;
  raise.set_request_id(NewUuid());
  raise.set_customer_id(customer);
  raise.set_category(crm::v1::ISSUE_CATEGORY_PRODUCT_QUALITY);
  raise.set_severity(crm::v1::ISSUE_SEVERITY_CRITICAL);
  raise.set_text("firmware crashes nightly");
  crm::v1::Issue issue;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::RaiseIssue, raise);
    issue = reply.issue();
    return status.ok();
  }));
  EXPECT_EQ(issue.tier(), crm::v1::TIER_C);  // no tier known: C, 72 hours
  satisfaction_.clock().Advance(absl::Hours(5));
  crm::v1::ListOverdueIssuesResponse overdue =
      satisfaction_.Call(&SatisfactionStub::ListOverdueIssues, crm::v1::ListOverdueIssuesRequest())
          .second;
  EXPECT_EQ(overdue.issues_size(), 0);

  kafka::testing::ProduceRaw(
      registry_.brokers(), satisfaction_.tiering_topic(),
      {{customer, crm::testing::TierChanged(customer, crm::v1::TIER_S)}});  // 4 hours

  ASSERT_TRUE(crm::testing::WaitFor([&] {
    overdue = satisfaction_
                  .Call(&SatisfactionStub::ListOverdueIssues, crm::v1::ListOverdueIssuesRequest())
                  .second;
    return overdue.issues_size() == 1;
  }));
  EXPECT_EQ(overdue.issues(0).issue_id(), issue.issue_id());
  EXPECT_EQ(overdue.issues(0).tier(), crm::v1::TIER_S);
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(overdue.issues(0).acknowledge_by()),
            absl::ToUnixNanos(TestNow() + absl::Hours(4)));

  // Acknowledged 5 hours in: outside S's commitment, and counted so.
  crm::v1::AcknowledgeIssueRequest acknowledge;
  acknowledge.set_request_id(NewUuid());
  acknowledge.set_issue_id(issue.issue_id());
  ASSERT_TRUE(satisfaction_.Call(&SatisfactionStub::AcknowledgeIssue, acknowledge).first.ok());
  crm::v1::GetIssueTimesRequest of_s;
  of_s.set_tier(crm::v1::TIER_S);
  auto times = satisfaction_.Call(&SatisfactionStub::GetIssueTimes, of_s).second;
  EXPECT_EQ(times.acknowledged(), 1);
  EXPECT_EQ(times.acknowledged_within_commitment(), 0);
}

TEST_F(SatisfactionEventsTest, TieringsTierPoliciesSetTheResponseTimesAndLocalOnesGiveWay) {
  const auto [customer, person] = CustomerWithPerson(registry_, "Policied SpA");
  crm::v1::RaiseIssueRequest raise;
  raise.set_request_id(NewUuid());
  raise.set_customer_id(customer);
  raise.set_category(crm::v1::ISSUE_CATEGORY_PRODUCT_QUALITY);
  raise.set_severity(crm::v1::ISSUE_SEVERITY_HIGH);
  raise.set_text("reports arrive late");
  crm::v1::Issue issue;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::RaiseIssue, raise);
    issue = reply.issue();
    return status.ok();
  }));
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(issue.acknowledge_by()),
            absl::ToUnixNanos(TestNow() + absl::Hours(72)));  // C by default

  // Tiering publishes policies with C answered within 48 hours.
  kafka::testing::ProduceRaw(
      registry_.brokers(), satisfaction_.tiering_topic(),
      {{"policies", crm::testing::TierPoliciesPublished(crm::testing::TestTierPolicies("p-1"))}});
  crm::v1::GetResponseCommitmentsResponse commitments;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    commitments = satisfaction_
                      .Call(&SatisfactionStub::GetResponseCommitments,
                            crm::v1::GetResponseCommitmentsRequest())
                      .second;
    return commitments.policy_version() == "p-1";
  }));
  ASSERT_EQ(commitments.commitments_size(), 4);
  EXPECT_EQ(commitments.commitments(0).acknowledge_within_hours(), 2);
  EXPECT_EQ(commitments.commitments(3).acknowledge_within_hours(), 48);
  crm::v1::GetIssueRequest get;
  get.set_issue_id(issue.issue_id());
  EXPECT_EQ(
      TimeUtil::TimestampToNanoseconds(
          satisfaction_.Call(&SatisfactionStub::GetIssue, get).second.issue().acknowledge_by()),
      absl::ToUnixNanos(TestNow() + absl::Hours(48)));

  crm::v1::SetResponseCommitmentRequest set;
  set.set_request_id(NewUuid());
  *set.mutable_commitment() = commitments.commitments(3);
  auto [refused, _] = satisfaction_.Call(&SatisfactionStub::SetResponseCommitment, set, "admin");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("p-1"));
}

}  // namespace
}  // namespace crm::satisfaction::testing
