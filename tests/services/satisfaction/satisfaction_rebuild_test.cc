// Satisfaction's store follows from its events: after commands of every kind (surveys
// created and closed, responses with a detractor's follow-up and a replacement, an issue
// taken round its whole loop and reopened, a commitment changed between steps, a churn
// reason), a store rebuilt from the service's topic holds the very same log, survey and
// settings states, read-model rows, NPS and issue-time counters and the replies kept for
// every request id; also when the rebuild was interrupted and started again.
#include "crm/satisfaction/read_models.h"
#include "gtest/gtest.h"
#include "rebuilt_service_test.h"
#include "satisfaction_harness.h"
#include "satisfaction_replayer.h"

namespace crm::satisfaction::testing {
namespace {

class SatisfactionRebuildTest
    : public crm::testing::RebuiltServiceTest<SatisfactionHarness, SatisfactionReplayer> {
 protected:
  SatisfactionRebuildTest()
      : RebuiltServiceTest("satisfaction", {kSurveys, kSurveyCustomers, kResponses, kIssues,
                                            kCustomerIssues, kWaitingIssues, kChurnReasons,
                                            kNpsCounts, kIssueTimes, kChurnCounts}) {}

  std::string CreateSurvey(const std::vector<std::string>& customers) {
    crm::v1::CreateSurveyRequest request;
    request.set_title("Relationship survey 2026");
    request.set_kind(crm::v1::SURVEY_KIND_RELATIONSHIP);
    for (const std::string& customer : customers) request.add_customer_ids(customer);
    *request.mutable_opens_on() = Date(2026, 12, 1);
    *request.mutable_closes_on() = Date(2026, 12, 31);
    return Send(&SatisfactionStub::CreateSurvey, request).survey().survey_id();
  }

  template <class Request>
  Request StepOf(const std::string& issue_id) {
    Request request;
    request.set_issue_id(issue_id);
    return request;
  }

  void RecordEveryKindOfCommand() {
    const auto [acme, acme_cto] = CustomerWithPerson(registry_, "Acme Telecom GmbH");
    const auto [borealis, borealis_cto] = CustomerWithPerson(registry_, "Borealis Oy", "apac");
    const std::string survey = CreateSurvey({acme, borealis});
    const std::string other_survey = CreateSurvey({borealis});

    // A detractor (a follow-up opens), replaced by a passive; a promoter; no score.
    const auto detractor =
        Send(&SatisfactionStub::RecordResponse, Response(survey, acme, acme_cto, 2));
    ASSERT_FALSE(detractor.follow_up_issue_id().empty());
    crm::v1::RecordResponseRequest replacement = Response(survey, acme, acme_cto, 8);
    replacement.set_replace(true);
    Send(&SatisfactionStub::RecordResponse, replacement);
    Send(&SatisfactionStub::RecordResponse, Response(survey, borealis, borealis_cto, 10));
    Send(&SatisfactionStub::RecordResponse,
         Response(other_survey, borealis, borealis_cto, std::nullopt));
    crm::v1::CloseSurveyRequest close;
    close.set_survey_id(other_survey);
    Send(&SatisfactionStub::CloseSurvey, close);

    // The follow-up round its loop, a commitment changed on the way, and reopened.
    const std::string follow_up = detractor.follow_up_issue_id();
    Send(&SatisfactionStub::AcknowledgeIssue, StepOf<crm::v1::AcknowledgeIssueRequest>(follow_up));
    crm::v1::ResolveIssueRequest resolve = StepOf<crm::v1::ResolveIssueRequest>(follow_up);
    resolve.set_resolution("a second carrier for the region");
    Send(&SatisfactionStub::ResolveIssue, resolve);
    crm::v1::SetResponseCommitmentRequest commitment;
    commitment.mutable_commitment()->set_tier(crm::v1::TIER_C);
    commitment.mutable_commitment()->set_acknowledge_within_hours(24);
    Send(&SatisfactionStub::SetResponseCommitment, commitment, "admin");
    Send(&SatisfactionStub::ConfirmIssueClosed,
         StepOf<crm::v1::ConfirmIssueClosedRequest>(follow_up));
    crm::v1::ReopenIssueRequest reopen = StepOf<crm::v1::ReopenIssueRequest>(follow_up);
    reopen.set_reason("late again");
    const auto reopened = Send(&SatisfactionStub::ReopenIssue, reopen);
    EXPECT_EQ(reopened.issue().status(), crm::v1::ISSUE_STATUS_OPEN);
    EXPECT_TRUE(reopened.issue().has_acknowledge_by());

    // An issue raised by hand, left waiting past its deadline, then acknowledged late.
    crm::v1::RaiseIssueRequest raise;
    raise.set_customer_id(borealis);
    raise.set_category(crm::v1::ISSUE_CATEGORY_DELIVERY);
    raise.set_severity(crm::v1::ISSUE_SEVERITY_LOW);
    raise.set_text("the portal is slow");
    const std::string raised = Send(&SatisfactionStub::RaiseIssue, raise).issue().issue_id();
    harness_.clock().Advance(absl::Hours(30));
    Send(&SatisfactionStub::AcknowledgeIssue, StepOf<crm::v1::AcknowledgeIssueRequest>(raised));

    crm::v1::RecordChurnReasonRequest churn;
    churn.set_customer_id(borealis);
    churn.set_category(crm::v1::CHURN_CATEGORY_PRICE);
    churn.set_text("a competitor offered 20% less");
    Send(&SatisfactionStub::RecordChurnReason, churn);
  }
};

TEST_F(SatisfactionRebuildTest, RebuiltFromItsTopicTheStoreIsTheSame) {
  RecordEveryKindOfCommand();
  ExpectRebuiltTheSame();
}

TEST_F(SatisfactionRebuildTest, AnInterruptedRebuildStartedAgainEndsTheSame) {
  RecordEveryKindOfCommand();
  ExpectInterruptedRebuildTheSame(/*fail_at=*/5);
}

TEST_F(SatisfactionRebuildTest, ReadModelsRecomputedFromItsLogAreTheSame) {
  RecordEveryKindOfCommand();
  ExpectRecomputedTheSame(/*fail_at=*/5);
}

}  // namespace
}  // namespace crm::satisfaction::testing
