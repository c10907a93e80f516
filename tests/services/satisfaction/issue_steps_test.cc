// An issue's steps as decisions and events, without any I/O: each decision's event with
// the values it records worked out by hand, the issue each event moves to, the counters
// it adds, and the issue as the step answered it, which a rebuild computes again from the
// event alone. And what a recorded response writes: its row and its NPS counters in every
// scope, the answer it replaces taken out of its own scopes.
#include "crm/satisfaction/issue_steps.h"

#include <map>

#include "crm/satisfaction/read_models.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

const absl::Time kRaised =
    absl::FromCivil(absl::CivilSecond(2026, 11, 30, 9, 0, 0), absl::UTCTimeZone());

google::protobuf::Timestamp At(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

crm::v1::Issue OpenIssue() {
  crm::v1::Issue issue;
  issue.set_issue_id("iss_1");
  issue.set_customer_id("cus_1");
  issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
  *issue.mutable_raised_at() = At(kRaised);
  *issue.mutable_waiting_since() = At(kRaised);
  return issue;
}

TEST(IssueSteps, RaisingRecordsTheTierAndTheDeadlineOfItsCommitment) {
  const Commitments defaults;
  // B: 24 hours by default, so due 2026-12-01 09:00.
  const crm::v1::IssueRaised raised = RaisedIssue(OpenIssue(), defaults, crm::v1::TIER_B);
  EXPECT_EQ(raised.tier(), crm::v1::TIER_B);
  EXPECT_EQ(raised.acknowledge_by(), At(kRaised + absl::Hours(24)));
  // Unknown tier: C, 72 hours.
  EXPECT_EQ(RaisedIssue(OpenIssue(), defaults, crm::v1::TIER_UNSPECIFIED).acknowledge_by(),
            At(kRaised + absl::Hours(72)));

  const crm::v1::Issue shown = IssueAsRaised(raised, kRaised);
  EXPECT_EQ(shown.tier(), crm::v1::TIER_B);
  EXPECT_EQ(shown.acknowledge_by(), At(kRaised + absl::Hours(24)));
  EXPECT_FALSE(shown.overdue());
  EXPECT_TRUE(IssueAsRaised(raised, kRaised + absl::Hours(25)).overdue());
}

TEST(IssueSteps, AcknowledgingLateCountsTheWaitAndMissesTheCommitment) {
  const Commitments defaults;
  crm::v1::Issue issue = OpenIssue();
  const absl::Time now = kRaised + absl::Hours(30);
  const IssueStepFacts facts{.commitments = defaults, .tier = crm::v1::TIER_B, .now = now};
  auto event = DecideAcknowledge(issue, "on it", facts);
  ASSERT_TRUE(event.ok()) << event.status();
  const auto& acknowledged = std::get<crm::v1::IssueAcknowledged>(*event);
  EXPECT_EQ(acknowledged.waited_seconds(), 30 * 3600);
  EXPECT_FALSE(acknowledged.within_commitment());  // 30 h > 24 h
  EXPECT_EQ(acknowledged.tier(), crm::v1::TIER_B);

  EvolveIssue(*event, now, issue);
  EXPECT_EQ(issue.status(), crm::v1::ISSUE_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(issue.acknowledged_at(), At(now));

  // Counted under B in December (the step's month, not the raising's).
  const std::vector<CounterChange> counters = IssueStepCounters(*event, now);
  ASSERT_EQ(counters.size(), 1u);
  EXPECT_EQ(counters[0].table, kIssueTimes);
  EXPECT_EQ(counters[0].key, IssueTimesKey(crm::v1::TIER_B, absl::CivilMonth(2026, 12)));
  const std::vector<int64_t> expected = {1, 30 * 3600, 0, 0, 0};
  EXPECT_EQ(counters[0].deltas, expected);

  // Answered with the tier and, no longer waiting, no deadline.
  const crm::v1::Issue shown = IssueAsStepped(issue, *event, now);
  EXPECT_EQ(shown.tier(), crm::v1::TIER_B);
  EXPECT_FALSE(shown.has_acknowledge_by());
  EXPECT_FALSE(shown.overdue());

  // Out of turn: an acknowledged issue is not acknowledged again.
  EXPECT_EQ(DecideAcknowledge(issue, "", facts).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(IssueSteps, ClosingCountsTheOpenTimeAndReopeningWaitsUnderTheNewCommitment) {
  Commitments commitments;
  crm::v1::ResponseCommitment s_within_2;
  s_within_2.set_tier(crm::v1::TIER_S);
  s_within_2.set_acknowledge_within_hours(2);
  SetCommitment(s_within_2, commitments);
  crm::v1::Issue issue = OpenIssue();
  issue.set_status(crm::v1::ISSUE_STATUS_RESOLVED);
  EXPECT_EQ(DecideResolve(issue, "done", {commitments, crm::v1::TIER_S, kRaised}).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Closed two days and an hour after it was raised.
  const absl::Time closed_at = kRaised + absl::Hours(49);
  auto closed = DecideConfirmClosed(issue, "", {commitments, crm::v1::TIER_S, closed_at});
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(std::get<crm::v1::IssueClosed>(*closed).open_seconds(), 49 * 3600);
  EvolveIssue(*closed, closed_at, issue);
  EXPECT_EQ(issue.status(), crm::v1::ISSUE_STATUS_CLOSED);
  const std::vector<CounterChange> counted = IssueStepCounters(*closed, closed_at);
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_EQ(counted[0].key, IssueTimesKey(crm::v1::TIER_S, absl::CivilMonth(2026, 12)));
  const std::vector<int64_t> expected = {0, 0, 0, 1, 49 * 3600};
  EXPECT_EQ(counted[0].deltas, expected);

  // Reopened an hour later: waiting again, due within S's 2 hours from then.
  const absl::Time reopened_at = closed_at + absl::Hours(1);
  auto reopened = DecideReopen(issue, "late again", {commitments, crm::v1::TIER_S, reopened_at});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(std::get<crm::v1::IssueReopened>(*reopened).acknowledge_by(),
            At(reopened_at + absl::Hours(2)));
  EvolveIssue(*reopened, reopened_at, issue);
  EXPECT_EQ(issue.status(), crm::v1::ISSUE_STATUS_OPEN);
  EXPECT_EQ(issue.waiting_since(), At(reopened_at));
  EXPECT_EQ(issue.times_reopened(), 1);
  EXPECT_TRUE(IssueStepCounters(*reopened, reopened_at).empty());
  const crm::v1::Issue shown = IssueAsStepped(issue, *reopened, reopened_at);
  EXPECT_EQ(shown.acknowledge_by(), At(reopened_at + absl::Hours(2)));
  EXPECT_EQ(shown.tier(), crm::v1::TIER_S);
}

TEST(IssueSteps, AStepRecordedBeforeEventsNamedATierCountsUnderC) {
  crm::v1::IssueClosed closed;  // as recorded before the tier was added
  closed.set_open_seconds(60);
  const std::vector<CounterChange> counted = IssueStepCounters(closed, kRaised);
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_EQ(counted[0].key, IssueTimesKey(crm::v1::TIER_C, absl::CivilMonth(2026, 11)));
}

TEST(ResponseChanges, AReplacedAnswerLeavesItsOwnScopesAndTheNewOneCountsInItsScopes) {
  crm::v1::SurveyResponseRecorded recorded;
  crm::v1::SurveyResponse* response = recorded.mutable_response();
  response->set_survey_id("srv_1");
  response->set_customer_id("cus_1");
  response->set_person_id("per_1");
  response->set_score(9);
  *response->mutable_responded_at() = At(kRaised);
  recorded.mutable_scope()->set_region("emea");
  recorded.mutable_scope()->set_tier(crm::v1::TIER_A);
  *recorded.mutable_replaced() = *response;
  recorded.mutable_replaced()->set_score(3);
  recorded.mutable_replaced_scope()->set_region("apac");
  recorded.mutable_replaced_scope()->set_tier(crm::v1::TIER_B);

  const Projection projection = ResponseChanges(recorded);
  ASSERT_EQ(projection.rows.size(), 1u);
  EXPECT_EQ(projection.rows[0].table, kResponses);
  EXPECT_EQ(projection.rows[0].key, ResponseKey("srv_1", "per_1"));
  internal::StoredResponse stored;
  ASSERT_TRUE(stored.ParseFromString(*projection.rows[0].value));
  EXPECT_EQ(stored.region(), "emea");
  EXPECT_EQ(stored.tier(), crm::v1::TIER_A);

  // A promoter in customer, tier A, all and emea (no industry); a detractor out of
  // customer, tier B, all and apac; all in November.
  const absl::CivilMonth november(2026, 11);
  std::map<std::string, std::vector<int64_t>> by_key;
  for (const CounterChange& change : projection.counters) {
    EXPECT_EQ(change.table, kNpsCounts);
    by_key[change.key] = change.deltas;
  }
  const std::vector<int64_t> promoter = {1, 0, 0}, detractor_out = {0, 0, -1};
  EXPECT_EQ(by_key[NpsCountKey(NpsScopeKey("region", "emea"), november)], promoter);
  EXPECT_EQ(by_key[NpsCountKey(NpsScopeKey("tier", "TIER_A"), november)], promoter);
  EXPECT_EQ(by_key[NpsCountKey(NpsScopeKey("region", "apac"), november)], detractor_out);
  EXPECT_EQ(by_key[NpsCountKey(NpsScopeKey("tier", "TIER_B"), november)], detractor_out);
  // The same customer and "all" keys are both added to and taken from.
  EXPECT_EQ(projection.counters.size(), 8u);
}

}  // namespace
}  // namespace crm::satisfaction
