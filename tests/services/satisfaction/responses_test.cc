// Recording a survey response as a decision, without any I/O: what may be recorded, the
// scopes its event carries, and when a detractor's follow-up issue is raised with it and
// with which deadline, worked out by hand.
#include "crm/satisfaction/responses.h"

#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

// Tuesday 1 December 2026, 10:00 UTC.
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 12, 1, 10, 0, 0), absl::UTCTimeZone());

google::protobuf::Timestamp At(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

crm::v1::Survey OpenSurvey() {
  crm::v1::Survey survey;
  survey.set_survey_id("srv_1");
  survey.mutable_opens_on()->set_year(2026);
  survey.mutable_opens_on()->set_month(11);
  survey.mutable_opens_on()->set_day(1);
  survey.mutable_closes_on()->set_year(2026);
  survey.mutable_closes_on()->set_month(12);
  survey.mutable_closes_on()->set_day(31);
  return survey;
}

crm::v1::SurveyResponse Answer(int score) {
  crm::v1::SurveyResponse response;
  response.set_response_id("rsp_1");
  response.set_survey_id("srv_1");
  response.set_customer_id("cus_1");
  response.set_person_id("kp_1");
  response.set_score(score);
  response.set_channel(crm::v1::RESPONSE_CHANNEL_EMAIL);
  *response.mutable_responded_at() = At(kNow);
  return response;
}

class DecideResponseTest : public ::testing::Test {
 protected:
  ResponseFacts Facts() {
    crm::v1::ResponseScope scope;
    scope.set_region("emea");
    scope.set_industry("telecom operator");
    scope.set_tier(crm::v1::TIER_A);
    return {.survey = survey_,
            .asked = true,
            .scope = scope,
            .commitments = commitments_,
            .follow_up_issue_id = "iss_9",
            .now = kNow};
  }

  const crm::v1::Survey survey_ = OpenSurvey();
  const Commitments commitments_;  // the defaults: A within 8 hours
};

TEST_F(DecideResponseTest, APromoterIsRecordedWithItsScopeAndRaisesNothing) {
  auto events = DecideResponse(Answer(9), Facts());
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->recorded.category(), crm::v1::NPS_CATEGORY_PROMOTER);
  EXPECT_EQ(events->recorded.scope().region(), "emea");
  EXPECT_EQ(events->recorded.scope().tier(), crm::v1::TIER_A);
  EXPECT_FALSE(events->recorded.has_replaced());
  EXPECT_FALSE(events->raised.has_value());
}

TEST_F(DecideResponseTest, ADetractorRaisesAFollowUpDueWithinItsTiersCommitment) {
  auto events = DecideResponse(Answer(3), Facts());
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->recorded.category(), crm::v1::NPS_CATEGORY_DETRACTOR);
  ASSERT_TRUE(events->raised.has_value());
  const crm::v1::Issue& issue = events->raised->issue();
  EXPECT_EQ(issue.issue_id(), "iss_9");
  EXPECT_EQ(issue.customer_id(), "cus_1");
  EXPECT_EQ(issue.person_id(), "kp_1");
  EXPECT_EQ(issue.category(), crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
  EXPECT_EQ(issue.status(), crm::v1::ISSUE_STATUS_OPEN);
  EXPECT_EQ(issue.raised_at(), At(kNow));
  EXPECT_EQ(issue.waiting_since(), At(kNow));
  // Tier A: 8 hours, so due at 18:00 the same day.
  EXPECT_EQ(events->raised->tier(), crm::v1::TIER_A);
  EXPECT_EQ(events->raised->acknowledge_by(), At(kNow + absl::Hours(8)));
}

TEST_F(DecideResponseTest, AReplacedAnswerIsCarriedAndAFollowUpRaisedOnlyWhenItTurnsDetractor) {
  ResponseFacts facts = Facts();
  crm::v1::ResponseScope then;
  then.set_region("emea");
  then.set_tier(crm::v1::TIER_B);
  facts.earlier = StoredResponseOf(Answer(7), then);
  facts.replace = true;
  auto turned = DecideResponse(Answer(2), facts);
  ASSERT_TRUE(turned.ok()) << turned.status();
  EXPECT_EQ(turned->recorded.replaced().score(), 7);
  EXPECT_EQ(turned->recorded.replaced_scope().tier(), crm::v1::TIER_B);
  EXPECT_TRUE(turned->raised.has_value()) << "a passive turned detractor";

  facts.earlier = StoredResponseOf(Answer(1), then);
  auto still = DecideResponse(Answer(2), facts);
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_FALSE(still->raised.has_value()) << "a detractor already followed up";
}

TEST_F(DecideResponseTest, RefusesWhatMayNotBeRecorded) {
  ResponseFacts answered = Facts();
  answered.earlier = StoredResponseOf(Answer(9), answered.scope);
  auto twice = DecideResponse(Answer(8), answered);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(twice.status().message(),
            "person kp_1 already answered survey srv_1; set replace to replace the answer");

  ResponseFacts not_asked = Facts();
  not_asked.asked = false;
  auto stranger = DecideResponse(Answer(8), not_asked);
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(stranger.status().message(), "survey srv_1 did not ask customer cus_1");

  auto out_of_range = DecideResponse(Answer(11), Facts());
  EXPECT_EQ(out_of_range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out_of_range.status().message().find("score"), std::string::npos);

  crm::v1::Survey closed = OpenSurvey();
  closed.set_closed(true);
  const ResponseFacts on_closed{
      .survey = closed, .asked = true, .commitments = commitments_, .now = kNow};
  EXPECT_EQ(DecideResponse(Answer(8), on_closed).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CloseSurvey, ASurveyClosesOnce) {
  crm::v1::Survey survey = OpenSurvey();
  auto closed = DecideCloseSurvey(survey);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->survey_id(), "srv_1");
  EvolveSurvey(*closed, survey);
  EXPECT_TRUE(survey.closed());
  auto again = DecideCloseSurvey(survey);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "survey srv_1 is already closed");
}

}  // namespace
}  // namespace crm::satisfaction
