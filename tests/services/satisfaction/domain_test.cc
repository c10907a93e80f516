// Satisfaction's domain rules without any I/O. NPS and its margin of error are checked
// against values worked out by hand; deadlines against an injected "now".
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/nps.h"
#include "crm/satisfaction/periods.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::satisfaction {
namespace {

using ::testing::HasSubstr;

NpsCounts CountsOf(std::initializer_list<int> scores) {
  NpsCounts counts;
  for (int score : scores) counts.Add(CategoryOf(score));
  return counts;
}

TEST(Nps, ScoresFallIntoTheirCategoriesAndOutOfRangeIsRejected) {
  EXPECT_EQ(CategoryOf(10), crm::v1::NPS_CATEGORY_PROMOTER);
  EXPECT_EQ(CategoryOf(9), crm::v1::NPS_CATEGORY_PROMOTER);
  EXPECT_EQ(CategoryOf(8), crm::v1::NPS_CATEGORY_PASSIVE);
  EXPECT_EQ(CategoryOf(7), crm::v1::NPS_CATEGORY_PASSIVE);
  EXPECT_EQ(CategoryOf(6), crm::v1::NPS_CATEGORY_DETRACTOR);
  EXPECT_EQ(CategoryOf(0), crm::v1::NPS_CATEGORY_DETRACTOR);
  EXPECT_TRUE(ValidateScore(0, "score").ok());
  EXPECT_TRUE(ValidateScore(10, "score").ok());
  EXPECT_THAT(ValidateScore(11, "response.score").message(), HasSubstr("response.score"));
  EXPECT_EQ(ValidateScore(-1, "score").code(), absl::StatusCode::kInvalidArgument);
}

// Ten responses: 4 promoters (10, 9, 10, 9), 2 passives (8, 7), 4 detractors (6, 0, 5, 3).
// NPS = 40% − 40% = 0. Values x = +1/0/−1: mean 0, variance 8/10 − 0 = 0.8,
// margin = 1.96 × √(0.8 / 10) × 100 = 1.96 × 0.282843 × 100 = 55.437.
TEST(Nps, BalancedSampleHasNpsZeroAndAWideMargin) {
  const auto summary = Summarise(CountsOf({10, 9, 8, 7, 6, 0, 10, 5, 9, 3}));
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->promoters(), 4);
  EXPECT_EQ(summary->passives(), 2);
  EXPECT_EQ(summary->detractors(), 4);
  EXPECT_EQ(summary->responses(), 10);
  EXPECT_DOUBLE_EQ(summary->nps(), 0.0);
  EXPECT_NEAR(summary->margin_of_error(), 55.437, 0.001);
}

// 6 promoters, 3 passives, 1 detractor: NPS = 60% − 10% = 50. Mean 0.5, variance
// 7/10 − 0.25 = 0.45, margin = 1.96 × √(0.045) × 100 = 1.96 × 0.212132 × 100 = 41.578.
TEST(Nps, MostlyPromotersGiveFiftyWithItsMargin) {
  const auto summary = Summarise(CountsOf({9, 10, 9, 10, 9, 10, 8, 7, 8, 2}));
  ASSERT_TRUE(summary.has_value());
  EXPECT_DOUBLE_EQ(summary->nps(), 50.0);
  EXPECT_NEAR(summary->margin_of_error(), 41.578, 0.001);
}

TEST(Nps, AllPromotersOrAllDetractorsAreTheEndsOfTheScaleWithNoSpread) {
  const auto promoters = Summarise(CountsOf({9, 10, 10, 9, 10}));
  EXPECT_DOUBLE_EQ(promoters->nps(), 100.0);
  EXPECT_DOUBLE_EQ(promoters->margin_of_error(), 0.0);
  const auto detractors = Summarise(CountsOf({0, 6, 3}));
  EXPECT_DOUBLE_EQ(detractors->nps(), -100.0);
  EXPECT_DOUBLE_EQ(detractors->margin_of_error(), 0.0);
}

TEST(Nps, OneResponseHasAnNpsButNoMarginAndNoResponseHasNoNps) {
  const auto one = Summarise(CountsOf({7}));
  ASSERT_TRUE(one.has_value());
  EXPECT_DOUBLE_EQ(one->nps(), 0.0);
  EXPECT_FALSE(one->has_margin_of_error());
  EXPECT_FALSE(Summarise(NpsCounts{}).has_value());
}

TEST(Nps, RunningCountsTakeAReplacedResponseOut) {
  NpsCounts counts = CountsOf({3, 9});
  counts.Add(CategoryOf(3), -1);  // the detractor's response replaced by a 10
  counts.Add(CategoryOf(10));
  EXPECT_EQ(counts, CountsOf({10, 9}));
  EXPECT_DOUBLE_EQ(Summarise(counts)->nps(), 100.0);
}

TEST(Periods, TrendSumsMonthsPerQuarterAndKeepsEmptySteps) {
  std::map<absl::CivilMonth, NpsCounts> monthly = {
      {absl::CivilMonth(2026, 1), CountsOf({10})},
      {absl::CivilMonth(2026, 3), CountsOf({0})},
      {absl::CivilMonth(2026, 7), CountsOf({9, 9})},
  };
  const auto quarters =
      Trend(monthly, absl::CivilMonth(2026, 2), absl::CivilMonth(2026, 9), TrendStep::kQuarter);
  ASSERT_EQ(quarters.size(), 3u);
  EXPECT_EQ(quarters[0].period, "2026-Q1");
  EXPECT_EQ(quarters[0].counts, CountsOf({0}));  // January is outside the period
  EXPECT_EQ(quarters[1].period, "2026-Q2");
  EXPECT_EQ(quarters[1].counts.responses(), 0);
  EXPECT_EQ(quarters[2].counts, CountsOf({9, 9}));
  const auto months =
      Trend(monthly, absl::CivilMonth(2026, 1), absl::CivilMonth(2026, 3), TrendStep::kMonth);
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[1].period, "2026-02");
  EXPECT_FALSE(ValidatePeriod(absl::CivilMonth(2026, 5), absl::CivilMonth(2026, 4)).ok());
  EXPECT_FALSE(ValidatePeriod(absl::CivilMonth(2016, 1), absl::CivilMonth(2026, 1)).ok());
  EXPECT_TRUE(ValidatePeriod(absl::CivilMonth(2016, 2), absl::CivilMonth(2026, 1)).ok());
}

TEST(Issues, TheLoopClosesOnlyAfterResolutionAndReopeningWaitsAgain) {
  using crm::v1::IssueStatus;
  EXPECT_EQ(*StatusAfter(crm::v1::ISSUE_STATUS_OPEN, IssueStep::kAcknowledge),
            crm::v1::ISSUE_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(*StatusAfter(crm::v1::ISSUE_STATUS_ACKNOWLEDGED, IssueStep::kResolve),
            crm::v1::ISSUE_STATUS_RESOLVED);
  EXPECT_EQ(*StatusAfter(crm::v1::ISSUE_STATUS_RESOLVED, IssueStep::kConfirmClosed),
            crm::v1::ISSUE_STATUS_CLOSED);
  EXPECT_EQ(*StatusAfter(crm::v1::ISSUE_STATUS_CLOSED, IssueStep::kReopen),
            crm::v1::ISSUE_STATUS_OPEN);
  const auto early = StatusAfter(crm::v1::ISSUE_STATUS_ACKNOWLEDGED, IssueStep::kConfirmClosed);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("ACKNOWLEDGED"));
  EXPECT_FALSE(StatusAfter(crm::v1::ISSUE_STATUS_OPEN, IssueStep::kReopen).ok());
  EXPECT_FALSE(StatusAfter(crm::v1::ISSUE_STATUS_OPEN, IssueStep::kResolve).ok());
}

TEST(Issues, TheTiersCommitmentDecidesWhenAnOpenIssueIsOverdue) {
  const absl::Time raised =
      absl::FromCivil(absl::CivilSecond(2026, 12, 1, 9, 0, 0), absl::UTCTimeZone());
  Commitments set;
  const auto s = CommitmentOf(set, crm::v1::TIER_S);
  const auto c = CommitmentOf(set, crm::v1::TIER_UNSPECIFIED);  // no tier yet: C
  EXPECT_EQ(s.acknowledge_within_hours(), 4);
  EXPECT_EQ(c.tier(), crm::v1::TIER_C);
  EXPECT_EQ(c.acknowledge_within_hours(), 72);

  const absl::Time five_hours_later = raised + absl::Hours(5);
  EXPECT_TRUE(IsOverdue(crm::v1::ISSUE_STATUS_OPEN, raised, s, five_hours_later));
  EXPECT_FALSE(IsOverdue(crm::v1::ISSUE_STATUS_OPEN, raised, c, five_hours_later));
  EXPECT_FALSE(IsOverdue(crm::v1::ISSUE_STATUS_ACKNOWLEDGED, raised, s, five_hours_later));
  EXPECT_FALSE(IsOverdue(crm::v1::ISSUE_STATUS_OPEN, raised, s, raised + absl::Hours(4)));

  crm::v1::ResponseCommitment lenient;
  lenient.set_tier(crm::v1::TIER_S);
  lenient.set_acknowledge_within_hours(6);
  ASSERT_TRUE(ValidateCommitment(lenient).ok());
  SetCommitment(lenient, set);
  EXPECT_FALSE(IsOverdue(crm::v1::ISSUE_STATUS_OPEN, raised, CommitmentOf(set, crm::v1::TIER_S),
                         five_hours_later));
  lenient.set_acknowledge_within_hours(0);
  EXPECT_THAT(ValidateCommitment(lenient).message(),
              HasSubstr("commitment.acknowledge_within_hours"));
}

}  // namespace
}  // namespace crm::satisfaction
