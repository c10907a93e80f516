// Satisfaction's store follows from its events: after commands of every kind (surveys
// created and closed, responses with a detractor's follow-up and a replacement, an issue
// taken round its whole loop and reopened, a commitment changed between steps, a churn
// reason), a store rebuilt from the service's topic holds the very same log, survey and
// settings states, read-model rows, NPS and issue-time counters and the replies kept for
// every request id; also when the rebuild was interrupted and started again.
#include <span>
#include <string_view>

#include "crm/runtime/rebuild.h"
#include "crm/satisfaction/read_models.h"
#include "gtest/gtest.h"
#include "satisfaction_harness.h"
#include "satisfaction_replayer.h"
#include "support/rebuilt_stores.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace crm::satisfaction::testing {
namespace {

constexpr std::string_view kTables[] = {
    kSurveys,       kSurveyCustomers, kResponses, kIssues,     kCustomerIssues,
    kWaitingIssues, kChurnReasons,    kNpsCounts, kIssueTimes, kChurnCounts};

class SatisfactionRebuildTest : public ::testing::Test {
 protected:
  SatisfactionRebuildTest() : satisfaction_(registry_) {}

  // Sends `request` with a fresh request id, a minute after the previous command, so that
  // every event has a time of its own.
  template <class Request, class Response>
  Response Send(grpc::Status (SatisfactionStub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                Request request, const std::string& role = "account_manager") {
    satisfaction_.clock().Advance(absl::Minutes(1));
    request.set_request_id(NewUuid());
    auto [status, reply] = satisfaction_.Call(method, request, role);
    EXPECT_TRUE(status.ok()) << Request::descriptor()->name() << ": " << status.error_message();
    return reply;
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
    const std::string survey = satisfaction_.CreateSurvey({acme, borealis});
    const std::string other_survey = satisfaction_.CreateSurvey({borealis});

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
    satisfaction_.clock().Advance(absl::Hours(30));
    Send(&SatisfactionStub::AcknowledgeIssue, StepOf<crm::v1::AcknowledgeIssueRequest>(raised));

    crm::v1::RecordChurnReasonRequest churn;
    churn.set_customer_id(borealis);
    churn.set_category(crm::v1::CHURN_CATEGORY_PRICE);
    churn.set_text("a competitor offered 20% less");
    Send(&SatisfactionStub::RecordChurnReason, churn);
  }

  // Once the relay has published every event.
  void WaitForTopic() {
    ASSERT_TRUE(crm::testing::WaitFor([&] { return satisfaction_.store().OutboxDepth() == 0; },
                                      absl::Seconds(30)));
  }

  absl::StatusOr<runtime::RebuildSummary> Rebuild(eventstore::EventStore& store,
                                                  runtime::EventReplayer& replayer) {
    // Batches of a few events, so that the commands fall in several of them.
    return runtime::RebuildOwnEvents(
        store, replayer,
        {.topic = {.brokers = registry_.brokers(), .topic = satisfaction_.topic()},
         .batch_events = 3,
         .progress = nullptr});
  }

  std::unique_ptr<eventstore::EventStore> NewStore() {
    auto store =
        eventstore::EventStore::Open({.path = dir_.Sub("rebuilt"), .service = "satisfaction"});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  void ExpectSameStore(const eventstore::EventStore& rebuilt) {
    const crm::testing::StoreContents original =
        crm::testing::ContentsOf(satisfaction_.store(), std::span<const std::string_view>(kTables));
    const crm::testing::StoreContents restored =
        crm::testing::ContentsOf(rebuilt, std::span<const std::string_view>(kTables));
    crm::testing::ExpectSameContents(restored, original);
    // What the comparison covers: every kind of row, and a reply per command.
    for (std::string_view table : kTables) {
      EXPECT_FALSE(original.tables.at(std::string(table)).empty()) << table;
    }
    EXPECT_EQ(original.replies.size(), 15u);
    EXPECT_EQ(rebuilt.OutboxDepth(), 0) << "restored events are on their topic already";
  }

  RegistryHarness registry_;
  SatisfactionHarness satisfaction_;
  crm::testing::TempDir dir_;
};

TEST_F(SatisfactionRebuildTest, RebuiltFromItsTopicTheStoreIsTheSame) {
  RecordEveryKindOfCommand();
  WaitForTopic();
  std::unique_ptr<eventstore::EventStore> rebuilt = NewStore();
  ASSERT_NE(rebuilt, nullptr);
  SatisfactionReplayer replayer(*rebuilt);
  auto summary = Rebuild(*rebuilt, replayer);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->events_restored, satisfaction_.store().LastPosition());
  EXPECT_TRUE(summary->gaps.empty());
  ExpectSameStore(*rebuilt);
}

TEST_F(SatisfactionRebuildTest, AnInterruptedRebuildStartedAgainEndsTheSame) {
  RecordEveryKindOfCommand();
  WaitForTopic();
  std::unique_ptr<eventstore::EventStore> rebuilt = NewStore();
  ASSERT_NE(rebuilt, nullptr);
  SatisfactionReplayer replayer(*rebuilt);
  crm::testing::InterruptedReplayer interrupted(replayer, /*fail_at=*/5);
  EXPECT_EQ(Rebuild(*rebuilt, interrupted).status().code(), absl::StatusCode::kUnavailable);
  const uint64_t written_before = rebuilt->LastPosition();
  EXPECT_GT(written_before, 0u);
  EXPECT_LT(written_before, satisfaction_.store().LastPosition());

  auto summary = Rebuild(*rebuilt, replayer);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(written_before + summary->events_restored, satisfaction_.store().LastPosition());
  ExpectSameStore(*rebuilt);
}

}  // namespace
}  // namespace crm::satisfaction::testing
