// Satisfaction's domain rules without any I/O. NPS and its margin of error are checked
// against values worked out by hand; deadlines against an injected "now".
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/nps.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/surveys.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
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

crm::v1::CalendarDate Date(int year, int month, int day) {
  crm::v1::CalendarDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

crm::v1::Survey DecemberSurvey() {
  crm::v1::Survey survey;
  survey.set_survey_id("srv_1");
  survey.set_title("Relationship survey");
  survey.set_kind(crm::v1::SURVEY_KIND_RELATIONSHIP);
  survey.add_customer_ids("cus_1");
  *survey.mutable_opens_on() = Date(2026, 12, 1);
  *survey.mutable_closes_on() = Date(2026, 12, 31);
  return survey;
}

google::protobuf::Timestamp At(absl::Time time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

TEST(Surveys, EveryFieldIsCheckedAndNamed) {
  const absl::CivilDay today(2026, 12, 10);
  EXPECT_TRUE(ValidateSurvey(DecemberSurvey(), today).ok());
  auto problem = [&](auto edit) {
    crm::v1::Survey survey = DecemberSurvey();
    edit(survey);
    return std::string(ValidateSurvey(survey, today).message());
  };
  EXPECT_THAT(problem([](auto& s) { s.clear_title(); }), HasSubstr("title"));
  EXPECT_THAT(problem([](auto& s) { s.set_title(std::string(201, 'x')); }), HasSubstr("title"));
  EXPECT_THAT(problem([](auto& s) { s.clear_kind(); }), HasSubstr("kind"));
  EXPECT_THAT(problem([](auto& s) { s.clear_customer_ids(); }), HasSubstr("customer_ids"));
  EXPECT_THAT(problem([](auto& s) { s.add_customer_ids("cus_1"); }), HasSubstr("customer_ids[1]"));
  EXPECT_THAT(problem([](auto& s) { s.add_customer_ids("not an id"); }),
              HasSubstr("customer_ids[1]"));
  EXPECT_THAT(problem([](auto& s) { *s.mutable_opens_on() = Date(2026, 2, 30); }),
              HasSubstr("opens_on"));
  EXPECT_THAT(problem([](auto& s) { *s.mutable_closes_on() = Date(2026, 11, 30); }),
              HasSubstr("closes_on"));
  // Open and closing in the past: nobody could ever answer.
  EXPECT_THAT(ValidateSurvey(DecemberSurvey(), absl::CivilDay(2027, 1, 1)).message(),
              HasSubstr("closes_on"));
}

TEST(Surveys, ResponsesAreTakenFromTheOpenDayToTheCloseDayUnlessClosedEarly) {
  crm::v1::Survey survey = DecemberSurvey();
  EXPECT_EQ(CheckAcceptsResponses(survey, absl::CivilDay(2026, 11, 30)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckAcceptsResponses(survey, absl::CivilDay(2026, 12, 1)).ok());
  EXPECT_TRUE(CheckAcceptsResponses(survey, absl::CivilDay(2026, 12, 31)).ok());
  EXPECT_FALSE(CheckAcceptsResponses(survey, absl::CivilDay(2027, 1, 1)).ok());
  survey.set_closed(true);
  EXPECT_THAT(CheckAcceptsResponses(survey, absl::CivilDay(2026, 12, 5)).message(),
              HasSubstr("closed"));
}

TEST(Surveys, AResponseNeedsAChannelAndATimeInsideTheSurvey) {
  const crm::v1::Survey survey = DecemberSurvey();
  const absl::Time now = absl::FromCivil(absl::CivilDay(2026, 12, 10), absl::UTCTimeZone());
  crm::v1::SurveyResponse response;
  response.set_score(6);
  response.set_channel(crm::v1::RESPONSE_CHANNEL_PHONE);
  *response.mutable_responded_at() = At(now);
  EXPECT_TRUE(ValidateResponse(response, survey, now).ok());
  EXPECT_EQ(CategoryOf(response), crm::v1::NPS_CATEGORY_DETRACTOR);

  crm::v1::SurveyResponse no_score = response;
  no_score.clear_score();
  EXPECT_TRUE(ValidateResponse(no_score, survey, now).ok());
  EXPECT_EQ(CategoryOf(no_score), crm::v1::NPS_CATEGORY_UNSPECIFIED);

  crm::v1::SurveyResponse bad = response;
  bad.set_score(11);
  EXPECT_THAT(ValidateResponse(bad, survey, now).message(), HasSubstr("score"));
  bad = response;
  bad.clear_channel();
  EXPECT_THAT(ValidateResponse(bad, survey, now).message(), HasSubstr("channel"));
  bad = response;
  *bad.mutable_responded_at() = At(now + absl::Minutes(1));
  EXPECT_THAT(ValidateResponse(bad, survey, now).message(), HasSubstr("future"));
  bad = response;
  *bad.mutable_responded_at() = At(now - absl::Hours(24 * 10));  // 30 November
  EXPECT_THAT(ValidateResponse(bad, survey, now).message(), HasSubstr("before the survey"));
  bad = response;
  bad.set_comment(std::string(4001, 'x'));
  EXPECT_THAT(ValidateResponse(bad, survey, now).message(), HasSubstr("comment"));
}

TEST(Periods, AnUnsetRangeIsTheLastTwelveMonthsAndASetOneIsChecked) {
  const absl::CivilMonth current(2026, 3);
  const auto last_year = PeriodOf(crm::v1::MonthRange(), current, "period");
  ASSERT_TRUE(last_year.ok());
  EXPECT_EQ(last_year->from, absl::CivilMonth(2025, 4));
  EXPECT_EQ(last_year->to, current);
  EXPECT_EQ(RangeOf(*last_year).from().month(), 4);

  crm::v1::MonthRange range;
  range.mutable_from()->set_year(2026);
  range.mutable_from()->set_month(2);
  EXPECT_THAT(PeriodOf(range, current, "period").status().message(), HasSubstr("period.to"));
  range.mutable_to()->set_year(2026);
  range.mutable_to()->set_month(1);
  EXPECT_FALSE(PeriodOf(range, current, "period").ok());  // ends before it starts
  range.mutable_to()->set_month(2);
  ASSERT_TRUE(PeriodOf(range, current, "period").ok());
  EXPECT_EQ(
      MonthOf(absl::FromCivil(absl::CivilSecond(2026, 12, 31, 23, 59, 59), absl::UTCTimeZone())),
      absl::CivilMonth(2026, 12));
}

TEST(Issues, ADetractorsResponseNeedsAFollowUpOnceAndItQuotesTheAnswer) {
  crm::v1::SurveyResponse detractor;
  detractor.set_response_id("rsp_1");
  detractor.set_customer_id("cus_1");
  detractor.set_person_id("per_1");
  detractor.set_score(3);
  detractor.set_comment("no one calls back");
  crm::v1::SurveyResponse passive = detractor;
  passive.set_score(7);
  crm::v1::SurveyResponse unscored = detractor;
  unscored.clear_score();

  EXPECT_TRUE(NeedsFollowUp(detractor, nullptr));
  EXPECT_TRUE(NeedsFollowUp(detractor, &passive));
  EXPECT_FALSE(NeedsFollowUp(detractor, &detractor));
  EXPECT_FALSE(NeedsFollowUp(passive, nullptr));
  EXPECT_FALSE(NeedsFollowUp(unscored, nullptr));

  const crm::v1::Issue issue = FollowUpOf(detractor);
  EXPECT_EQ(issue.category(), crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
  EXPECT_EQ(issue.severity(), crm::v1::ISSUE_SEVERITY_HIGH);
  EXPECT_EQ(issue.response_id(), "rsp_1");
  EXPECT_EQ(issue.text(), "Survey score 3: no one calls back");
  detractor.set_score(6);
  EXPECT_EQ(FollowUpOf(detractor).severity(), crm::v1::ISSUE_SEVERITY_MEDIUM);

  crm::v1::Issue raised = issue;
  EXPECT_THAT(ValidateRaisedIssue(raised).message(), HasSubstr("category"));
  raised.set_category(crm::v1::ISSUE_CATEGORY_SERVICE);
  EXPECT_TRUE(ValidateRaisedIssue(raised).ok());
  raised.clear_severity();
  EXPECT_THAT(ValidateRaisedIssue(raised).message(), HasSubstr("severity"));
}

TEST(Issues, TheDeadlineShownFollowsTheTierNowAndOnlyWhileWaiting) {
  const absl::Time raised =
      absl::FromCivil(absl::CivilSecond(2026, 12, 1, 9, 0, 0), absl::UTCTimeZone());
  crm::v1::Issue issue;
  issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
  *issue.mutable_waiting_since() = At(raised);
  Commitments set;
  ShowDeadline(crm::v1::TIER_UNSPECIFIED, set, raised + absl::Hours(5), issue);
  EXPECT_EQ(issue.tier(), crm::v1::TIER_C);
  EXPECT_EQ(issue.acknowledge_by().seconds(), absl::ToUnixSeconds(raised + absl::Hours(72)));
  EXPECT_FALSE(issue.overdue());
  ShowDeadline(crm::v1::TIER_S, set, raised + absl::Hours(5), issue);
  EXPECT_EQ(issue.acknowledge_by().seconds(), absl::ToUnixSeconds(raised + absl::Hours(4)));
  EXPECT_TRUE(issue.overdue());
  issue.set_status(crm::v1::ISSUE_STATUS_ACKNOWLEDGED);
  ShowDeadline(crm::v1::TIER_S, set, raised + absl::Hours(5), issue);
  EXPECT_FALSE(issue.has_acknowledge_by());
  EXPECT_FALSE(issue.overdue());
}

}  // namespace
}  // namespace crm::satisfaction
