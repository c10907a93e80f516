// Voice-of-customer issues over a real gRPC channel: the loop with its codes, deadlines
// per tier with an injected clock, admin-only commitments, the overdue list, the times
// report, and the follow-up a detractor's response opens.
#include <algorithm>

#include "crm/satisfaction/read_models.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "satisfaction_harness.h"

namespace crm::satisfaction::testing {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(timestamp));
}

class IssuesTest : public ::testing::Test {
 protected:
  IssuesTest() : satisfaction_(registry_) {
    std::tie(customer_, person_) = CustomerWithPerson(registry_, "Issue Ltd");
  }

  crm::v1::Issue Raise(crm::v1::IssueSeverity severity = crm::v1::ISSUE_SEVERITY_HIGH) {
    crm::v1::RaiseIssueRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_);
    request.set_person_id(person_);
    request.set_category(crm::v1::ISSUE_CATEGORY_DELIVERY);
    request.set_severity(severity);
    request.set_text("the last two shipments were late");
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::RaiseIssue, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.issue();
  }

  template <class Request>
  Request Step(const std::string& issue_id) {
    Request request;
    request.set_request_id(NewUuid());
    request.set_issue_id(issue_id);
    return request;
  }

  std::vector<crm::v1::Issue> Overdue() {
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::ListOverdueIssues,
                                              crm::v1::ListOverdueIssuesRequest());
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {reply.issues().begin(), reply.issues().end()};
  }

  RegistryHarness registry_;
  SatisfactionHarness satisfaction_;
  std::string customer_, person_;
};

TEST_F(IssuesTest, RaisingChecksEveryFieldAndTheCustomer) {
  crm::v1::RaiseIssueRequest request;
  request.set_request_id(NewUuid());
  request.set_customer_id(customer_);
  request.set_category(crm::v1::ISSUE_CATEGORY_SERVICE);
  request.set_severity(crm::v1::ISSUE_SEVERITY_LOW);
  auto [no_text, _1] = satisfaction_.Call(&SatisfactionStub::RaiseIssue, request);
  EXPECT_EQ(no_text.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_text.error_message(), HasSubstr("text"));
  request.set_text("slow hotline");
  request.set_category(crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
  auto [reserved, _2] = satisfaction_.Call(&SatisfactionStub::RaiseIssue, request);
  EXPECT_EQ(reserved.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reserved.error_message(), HasSubstr("category"));
  request.set_category(crm::v1::ISSUE_CATEGORY_SERVICE);
  request.set_customer_id("cus_nobody");
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::RaiseIssue, request).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_customer_id(customer_);
  request.set_person_id("per_nobody");
  auto [stranger, _3] = satisfaction_.Call(&SatisfactionStub::RaiseIssue, request);
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(stranger.error_message(), HasSubstr("person_id"));

  crm::v1::ListIssuesRequest list;
  list.set_customer_id(customer_);
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::ListIssues, list).second.issues_size(), 0);
}

TEST_F(IssuesTest, TheLoopClosesOnlyWhenTheCustomerConfirmsAndStepsOutOfTurnFail) {
  const crm::v1::Issue raised = Raise();
  EXPECT_EQ(raised.status(), crm::v1::ISSUE_STATUS_OPEN);
  EXPECT_EQ(raised.tier(), crm::v1::TIER_C);
  EXPECT_EQ(TimeOf(raised.acknowledge_by()), TestNow() + absl::Hours(72));

  auto resolve = Step<crm::v1::ResolveIssueRequest>(raised.issue_id());
  resolve.set_resolution("expedited the next shipment");
  auto [too_early, _1] = satisfaction_.Call(&SatisfactionStub::ResolveIssue, resolve);
  EXPECT_EQ(too_early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  satisfaction_.clock().Advance(absl::Hours(2));
  auto acknowledge = Step<crm::v1::AcknowledgeIssueRequest>(raised.issue_id());
  auto [acknowledged, ack] = satisfaction_.Call(&SatisfactionStub::AcknowledgeIssue, acknowledge);
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.error_message();
  EXPECT_EQ(ack.issue().status(), crm::v1::ISSUE_STATUS_ACKNOWLEDGED);
  EXPECT_FALSE(ack.issue().has_acknowledge_by());
  // The step's time is its event's, so a rebuild finds it there.
  auto stream = satisfaction_.store().ReadStream(CustomerStream(customer_), 1, 100);
  ASSERT_TRUE(stream.ok()) << stream.status();
  const auto acknowledged_event =
      std::find_if(stream->begin(), stream->end(), [](const eventstore::StoredEvent& event) {
        return event.metadata.event_type() == "crm.v1.IssueAcknowledged";
      });
  ASSERT_NE(acknowledged_event, stream->end());
  EXPECT_EQ(TimeOf(acknowledged_event->metadata.occurred_at()), TestNow() + absl::Hours(2));
  // The retry gets the same answer; a new request is out of turn.
  EXPECT_EQ(
      satisfaction_.Call(&SatisfactionStub::AcknowledgeIssue, acknowledge).second.issue().status(),
      crm::v1::ISSUE_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(satisfaction_
                .Call(&SatisfactionStub::AcknowledgeIssue,
                      Step<crm::v1::AcknowledgeIssueRequest>(raised.issue_id()))
                .first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  auto [resolved, _2] = satisfaction_.Call(&SatisfactionStub::ResolveIssue, resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.error_message();
  auto reopen = Step<crm::v1::ReopenIssueRequest>(raised.issue_id());
  auto [no_reason, _3] = satisfaction_.Call(&SatisfactionStub::ReopenIssue, reopen);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("reason"));
  reopen.set_reason("late again");
  satisfaction_.clock().Advance(absl::Hours(10));
  auto [reopened, again] = satisfaction_.Call(&SatisfactionStub::ReopenIssue, reopen);
  ASSERT_TRUE(reopened.ok()) << reopened.error_message();
  EXPECT_EQ(again.issue().status(), crm::v1::ISSUE_STATUS_OPEN);
  EXPECT_EQ(again.issue().times_reopened(), 1);
  // Waiting again: the deadline runs from the reopening.
  EXPECT_EQ(TimeOf(again.issue().acknowledge_by()), TestNow() + absl::Hours(12 + 72));

  ASSERT_TRUE(satisfaction_
                  .Call(&SatisfactionStub::AcknowledgeIssue,
                        Step<crm::v1::AcknowledgeIssueRequest>(raised.issue_id()))
                  .first.ok());
  resolve.set_request_id(NewUuid());
  ASSERT_TRUE(satisfaction_.Call(&SatisfactionStub::ResolveIssue, resolve).first.ok());
  satisfaction_.clock().Advance(absl::Hours(12));
  auto confirm = Step<crm::v1::ConfirmIssueClosedRequest>(raised.issue_id());
  confirm.set_note("all good now");
  auto [closed, done] = satisfaction_.Call(&SatisfactionStub::ConfirmIssueClosed, confirm);
  ASSERT_TRUE(closed.ok()) << closed.error_message();
  EXPECT_EQ(done.issue().status(), crm::v1::ISSUE_STATUS_CLOSED);

  // Two acknowledgements (after 2 hours, then right away), one close after 24 hours.
  auto [timed, times] =
      satisfaction_.Call(&SatisfactionStub::GetIssueTimes, crm::v1::GetIssueTimesRequest());
  ASSERT_TRUE(timed.ok()) << timed.error_message();
  EXPECT_EQ(times.acknowledged(), 2);
  EXPECT_DOUBLE_EQ(times.mean_hours_to_acknowledge(), 1.0);
  EXPECT_EQ(times.acknowledged_within_commitment(), 2);
  EXPECT_EQ(times.closed(), 1);
  EXPECT_DOUBLE_EQ(times.mean_hours_to_close(), 24.0);
  crm::v1::GetIssueTimesRequest of_s;
  of_s.set_tier(crm::v1::TIER_S);
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::GetIssueTimes, of_s).second.acknowledged(), 0);

  crm::v1::GetIssueRequest get;
  get.set_issue_id("iss_missing");
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::GetIssue, get).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(IssuesTest, OverdueFollowsTheCommitmentWhichOnlyAdminsChange) {
  const crm::v1::Issue waiting = Raise();
  const crm::v1::Issue acknowledged = Raise(crm::v1::ISSUE_SEVERITY_LOW);
  ASSERT_TRUE(satisfaction_
                  .Call(&SatisfactionStub::AcknowledgeIssue,
                        Step<crm::v1::AcknowledgeIssueRequest>(acknowledged.issue_id()))
                  .first.ok());
  satisfaction_.clock().Advance(absl::Hours(30));
  EXPECT_TRUE(Overdue().empty());  // C: 72 hours

  crm::v1::SetResponseCommitmentRequest set;
  set.set_request_id(NewUuid());
  set.mutable_commitment()->set_tier(crm::v1::TIER_C);
  set.mutable_commitment()->set_acknowledge_within_hours(24);
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::SetResponseCommitment, set).first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  set.mutable_commitment()->set_acknowledge_within_hours(0);
  auto [zero, _1] = satisfaction_.Call(&SatisfactionStub::SetResponseCommitment, set, "admin");
  EXPECT_EQ(zero.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(zero.error_message(), HasSubstr("acknowledge_within_hours"));
  set.mutable_commitment()->set_acknowledge_within_hours(24);
  ASSERT_TRUE(
      satisfaction_.Call(&SatisfactionStub::SetResponseCommitment, set, "admin").first.ok());

  const std::vector<crm::v1::Issue> overdue = Overdue();
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].issue_id(), waiting.issue_id());
  EXPECT_TRUE(overdue[0].overdue());
  EXPECT_EQ(TimeOf(overdue[0].acknowledge_by()), TestNow() + absl::Hours(24));

  auto [got, commitments] = satisfaction_.Call(&SatisfactionStub::GetResponseCommitments,
                                               crm::v1::GetResponseCommitmentsRequest());
  ASSERT_EQ(commitments.commitments_size(), 4);
  EXPECT_EQ(commitments.commitments(0).acknowledge_within_hours(), 4);
  EXPECT_EQ(commitments.commitments(3).acknowledge_within_hours(), 24);

  crm::v1::ListIssuesRequest open;
  open.set_status(crm::v1::ISSUE_STATUS_OPEN);
  auto [listed, open_issues] = satisfaction_.Call(&SatisfactionStub::ListIssues, open);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(open_issues.issues_size(), 1);
  EXPECT_EQ(open_issues.issues(0).issue_id(), waiting.issue_id());
}

TEST_F(IssuesTest, ADetractorsResponseOpensAFollowUpLinkedToItAndOthersDoNot) {
  const std::string survey = satisfaction_.CreateSurvey({customer_});
  auto [recorded, reply] = satisfaction_.Call(&SatisfactionStub::RecordResponse,
                                              Response(survey, customer_, person_, 3));
  ASSERT_TRUE(recorded.ok()) << recorded.error_message();
  ASSERT_FALSE(reply.follow_up_issue_id().empty());

  crm::v1::GetIssueRequest get;
  get.set_issue_id(reply.follow_up_issue_id());
  auto [got, issue] = satisfaction_.Call(&SatisfactionStub::GetIssue, get);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(issue.issue().category(), crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
  EXPECT_EQ(issue.issue().severity(), crm::v1::ISSUE_SEVERITY_HIGH);
  EXPECT_EQ(issue.issue().response_id(), reply.response().response_id());
  EXPECT_EQ(issue.issue().person_id(), person_);
  EXPECT_THAT(issue.issue().text(), HasSubstr("delivery was late twice"));

  // Replacing a detractor's answer with another opens nothing more; a promoter's, nothing.
  crm::v1::RecordResponseRequest replacement = Response(survey, customer_, person_, 5);
  replacement.set_replace(true);
  EXPECT_TRUE(satisfaction_.Call(&SatisfactionStub::RecordResponse, replacement)
                  .second.follow_up_issue_id()
                  .empty());
  const std::string fan = AddPerson(registry_, customer_, "Fan", crm::v1::DECISION_ROLE_USER, 2);
  EXPECT_TRUE(
      satisfaction_.Call(&SatisfactionStub::RecordResponse, Response(survey, customer_, fan, 10))
          .second.follow_up_issue_id()
          .empty());

  crm::v1::ListIssuesRequest list;
  list.set_customer_id(customer_);
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::ListIssues, list).second.issues_size(), 1);
}

}  // namespace
}  // namespace crm::satisfaction::testing
