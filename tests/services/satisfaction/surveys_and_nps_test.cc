// Surveys, responses and NPS over a real gRPC channel: every check with its code, one
// response per person and survey, replacing one, retries, and the roll-ups per scope and
// period read from the running counters.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "satisfaction_harness.h"

namespace crm::satisfaction::testing {
namespace {

using ::testing::HasSubstr;

class SurveysAndNpsTest : public ::testing::Test {
 protected:
  SurveysAndNpsTest() : satisfaction_(registry_) {
    std::tie(customer_, person_) = CustomerWithPerson(registry_, "Survey AG", "emea");
    survey_ = satisfaction_.CreateSurvey({customer_});
  }

  crm::v1::RecordResponseResponse Record(const crm::v1::RecordResponseRequest& request) {
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::RecordResponse, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
  }

  crm::v1::GetNpsResponse Nps(const crm::v1::NpsScope& scope) {
    crm::v1::GetNpsRequest request;
    *request.mutable_scope() = scope;
    auto [status, reply] = satisfaction_.Call(&SatisfactionStub::GetNps, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
  }

  // A second person of the customer, answering with `score`.
  void AnotherAnswer(int score) {
    const std::string person =
        AddPerson(registry_, customer_, absl::StrCat("P", score), crm::v1::DECISION_ROLE_USER, 2);
    Record(Response(survey_, customer_, person, score));
  }

  RegistryHarness registry_;
  SatisfactionHarness satisfaction_;
  std::string customer_, person_, survey_;
};

TEST_F(SurveysAndNpsTest, SurveyChecksNameTheirFieldAndUnknownCustomersAreNotFound) {
  crm::v1::CreateSurveyRequest request;
  request.set_request_id(NewUuid());
  request.set_title("Q4");
  request.set_kind(crm::v1::SURVEY_KIND_TRANSACTIONAL);
  request.add_customer_ids(customer_);
  *request.mutable_opens_on() = Date(2026, 12, 1);
  *request.mutable_closes_on() = Date(2026, 11, 30);
  auto [before_open, _1] = satisfaction_.Call(&SatisfactionStub::CreateSurvey, request);
  EXPECT_EQ(before_open.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(before_open.error_message(), HasSubstr("closes_on"));

  *request.mutable_closes_on() = Date(2026, 12, 31);
  request.add_customer_ids(customer_);
  auto [twice, _2] = satisfaction_.Call(&SatisfactionStub::CreateSurvey, request);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(twice.error_message(), HasSubstr("customer_ids[1]"));

  request.set_customer_ids(1, "cus_nobody");
  auto [unknown, _3] = satisfaction_.Call(&SatisfactionStub::CreateSurvey, request);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown.error_message(), HasSubstr("customer_ids[1]"));

  crm::v1::ListSurveysRequest list;
  auto [listed, surveys] = satisfaction_.Call(&SatisfactionStub::ListSurveys, list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(surveys.surveys_size(), 1);  // only the fixture's: failed creations wrote nothing
  EXPECT_EQ(surveys.surveys(0).survey_id(), survey_);
}

TEST_F(SurveysAndNpsTest, ResponseChecksAndOneResponsePerPersonUnlessReplaced) {
  crm::v1::RecordResponseRequest bad = Response(survey_, customer_, person_, 11);
  auto [out_of_range, _1] = satisfaction_.Call(&SatisfactionStub::RecordResponse, bad);
  EXPECT_EQ(out_of_range.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(out_of_range.error_message(), HasSubstr("score"));
  bad.set_score(-1);
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::RecordResponse, bad).first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  auto [stranger, _2] = satisfaction_.Call(&SatisfactionStub::RecordResponse,
                                           Response(survey_, customer_, "per_nobody", 8));
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(stranger.error_message(), HasSubstr("person_id"));

  const auto [other, other_person] = CustomerWithPerson(registry_, "Not Asked BV");
  auto [not_asked, _3] = satisfaction_.Call(&SatisfactionStub::RecordResponse,
                                            Response(survey_, other, other_person, 8));
  EXPECT_EQ(not_asked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // A response that cannot be recorded is refused as such before its person is looked up.
  auto [not_asked_stranger, _9] = satisfaction_.Call(&SatisfactionStub::RecordResponse,
                                                     Response(survey_, other, "per_nobody", 8));
  EXPECT_EQ(not_asked_stranger.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  bad.set_person_id("per_nobody");
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::RecordResponse, bad).first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const crm::v1::RecordResponseRequest first = Response(survey_, customer_, person_, 9);
  const crm::v1::RecordResponseResponse recorded = Record(first);
  EXPECT_THAT(recorded.response().response_id(), HasSubstr("rsp_"));
  // A retry returns the first answer and records nothing more.
  EXPECT_EQ(Record(first).response().response_id(), recorded.response().response_id());

  auto [again, _4] = satisfaction_.Call(&SatisfactionStub::RecordResponse,
                                        Response(survey_, customer_, person_, 7));
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);

  crm::v1::GetNpsResponse nps = Nps(RegionScope("emea"));
  ASSERT_TRUE(nps.has_summary());
  EXPECT_EQ(nps.summary().promoters(), 1);
  EXPECT_EQ(nps.summary().responses(), 1);
  EXPECT_DOUBLE_EQ(nps.summary().nps(), 100.0);
  EXPECT_FALSE(nps.summary().has_margin_of_error());

  crm::v1::RecordResponseRequest replacement = Response(survey_, customer_, person_, 7);
  replacement.set_replace(true);
  Record(replacement);
  nps = Nps(RegionScope("emea"));
  EXPECT_EQ(nps.summary().promoters(), 0);
  EXPECT_EQ(nps.summary().passives(), 1);
  EXPECT_EQ(nps.summary().responses(), 1);

  crm::v1::ListResponsesRequest list;
  list.set_survey_id(survey_);
  auto [listed, responses] = satisfaction_.Call(&SatisfactionStub::ListResponses, list);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(responses.responses_size(), 1);
  EXPECT_EQ(responses.responses(0).score(), 7);
}

TEST_F(SurveysAndNpsTest, AClosedSurveyTakesNoResponses) {
  crm::v1::CloseSurveyRequest close;
  close.set_request_id(NewUuid());
  close.set_survey_id(survey_);
  auto [closed, reply] = satisfaction_.Call(&SatisfactionStub::CloseSurvey, close);
  ASSERT_TRUE(closed.ok()) << closed.error_message();
  EXPECT_TRUE(reply.survey().closed());
  close.set_request_id(NewUuid());
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::CloseSurvey, close).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(satisfaction_
                .Call(&SatisfactionStub::RecordResponse, Response(survey_, customer_, person_, 9))
                .first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  crm::v1::GetSurveyRequest get;
  get.set_survey_id("srv_missing");
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::GetSurvey, get).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(SurveysAndNpsTest, NpsRollsUpPerScopeAndSaysWhenNobodyAnswered) {
  const auto [apac, apac_person] = CustomerWithPerson(registry_, "Far East KK", "apac");
  const std::string apac_survey = satisfaction_.CreateSurvey({apac});
  Record(Response(survey_, customer_, person_, 10));  // promoter
  AnotherAnswer(3);                                   // detractor
  AnotherAnswer(8);                                   // passive
  Record(Response(apac_survey, apac, apac_person, 0));
  // No score: not counted anywhere.
  const std::string silent =
      AddPerson(registry_, customer_, "Silent", crm::v1::DECISION_ROLE_USER, 1);
  Record(Response(survey_, customer_, silent, std::nullopt));

  crm::v1::GetNpsResponse emea = Nps(RegionScope("emea"));
  ASSERT_TRUE(emea.has_summary());
  EXPECT_EQ(emea.summary().responses(), 3);
  EXPECT_DOUBLE_EQ(emea.summary().nps(), 0.0);
  // Values +1, −1, 0: variance 2/3, margin 1.96 × √(2/9) × 100.
  EXPECT_NEAR(emea.summary().margin_of_error(), 92.3953, 1e-3);

  crm::v1::NpsScope everything;
  everything.set_everything(true);
  EXPECT_EQ(Nps(everything).summary().responses(), 4);
  crm::v1::NpsScope industry;
  industry.set_industry("telecom operator");
  EXPECT_EQ(Nps(industry).summary().responses(), 4);
  crm::v1::NpsScope tier_c;  // no tier known yet: C
  tier_c.set_tier(crm::v1::TIER_C);
  EXPECT_EQ(Nps(tier_c).summary().detractors(), 2);
  crm::v1::NpsScope customer;
  customer.set_customer_id(apac);
  EXPECT_DOUBLE_EQ(Nps(customer).summary().nps(), -100.0);

  crm::v1::NpsScope tier_s;
  tier_s.set_tier(crm::v1::TIER_S);
  EXPECT_FALSE(Nps(tier_s).has_summary());
  EXPECT_FALSE(Nps(RegionScope("latam")).has_summary());

  // Scopes across regions are for callers of every region; others ask per region.
  crm::v1::GetNpsRequest across;
  *across.mutable_scope() = industry;
  auto [limited, _0] =
      satisfaction_.Call(&SatisfactionStub::GetNps, across, "executive", "u-erin", "emea");
  EXPECT_EQ(limited.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(limited.error_message(), HasSubstr("spans every region"));
  *across.mutable_scope() = tier_c;
  EXPECT_EQ(satisfaction_.Call(&SatisfactionStub::GetNps, across, "executive", "u-erin", "emea")
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  *across.mutable_scope() = RegionScope("emea");
  auto [own_region, emea_again] =
      satisfaction_.Call(&SatisfactionStub::GetNps, across, "executive", "u-erin", "emea");
  ASSERT_TRUE(own_region.ok()) << own_region.error_message();
  EXPECT_EQ(emea_again.summary().responses(), 3);
  auto [churn, _c] =
      satisfaction_.Call(&SatisfactionStub::GetChurnReport, crm::v1::GetChurnReportRequest(),
                         "executive", "u-erin", "emea");
  EXPECT_EQ(churn.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      satisfaction_
          .Call(&SatisfactionStub::GetChurnReport, crm::v1::GetChurnReportRequest(), "executive")
          .first.ok());

  crm::v1::GetNpsRequest bad;
  auto [no_scope, _1] = satisfaction_.Call(&SatisfactionStub::GetNps, bad);
  EXPECT_EQ(no_scope.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_scope.error_message(), HasSubstr("scope"));
  *bad.mutable_scope() = everything;
  bad.mutable_period()->mutable_from()->set_year(2026);
  bad.mutable_period()->mutable_from()->set_month(13);
  bad.mutable_period()->mutable_to()->set_year(2026);
  bad.mutable_period()->mutable_to()->set_month(12);
  auto [bad_month, _2] = satisfaction_.Call(&SatisfactionStub::GetNps, bad);
  EXPECT_EQ(bad_month.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_month.error_message(), HasSubstr("period.from"));
}

TEST_F(SurveysAndNpsTest, TrendHasEveryStepOfThePeriodAndResponsesFallInTheirMonth) {
  crm::v1::RecordResponseRequest december = Response(survey_, customer_, person_, 10);
  Record(december);
  const std::string later = AddPerson(registry_, customer_, "Late", crm::v1::DECISION_ROLE_USER, 1);
  satisfaction_.clock().Advance(absl::Hours(24 * 5));  // 2026-12-25
  Record(Response(survey_, customer_, later, 2));

  crm::v1::GetNpsTrendRequest request;
  request.mutable_scope()->set_customer_id(customer_);
  request.mutable_period()->mutable_from()->set_year(2026);
  request.mutable_period()->mutable_from()->set_month(7);
  request.mutable_period()->mutable_to()->set_year(2027);
  request.mutable_period()->mutable_to()->set_month(1);
  request.set_step(crm::v1::TREND_STEP_QUARTER);
  auto [status, trend] = satisfaction_.Call(&SatisfactionStub::GetNpsTrend, request);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(trend.points_size(), 3);
  EXPECT_EQ(trend.points(0).period(), "2026-Q3");
  EXPECT_FALSE(trend.points(0).has_summary());
  EXPECT_EQ(trend.points(1).period(), "2026-Q4");
  EXPECT_EQ(trend.points(1).summary().responses(), 2);
  EXPECT_DOUBLE_EQ(trend.points(1).summary().nps(), 0.0);
  EXPECT_EQ(trend.points(2).period(), "2027-Q1");
  EXPECT_FALSE(trend.points(2).has_summary());

  // The default period is the twelve months to the current one.
  crm::v1::GetNpsResponse nps = Nps(RegionScope("emea"));
  EXPECT_EQ(nps.period().from().year(), 2026);
  EXPECT_EQ(nps.period().from().month(), 1);
  EXPECT_EQ(nps.period().to().month(), 12);
}

TEST_F(SurveysAndNpsTest, ChurnReasonsAreListedNewestFirstAndCountedByCategory) {
  auto record = [&](crm::v1::ChurnCategory category, const std::string& text) {
    crm::v1::RecordChurnReasonRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_);
    request.set_category(category);
    request.set_text(text);
    satisfaction_.clock().Advance(absl::Minutes(1));
    return satisfaction_.Call(&SatisfactionStub::RecordChurnReason, request);
  };
  ASSERT_TRUE(record(crm::v1::CHURN_CATEGORY_PRICE, "a cheaper offer").first.ok());
  ASSERT_TRUE(record(crm::v1::CHURN_CATEGORY_COMPETITOR, "went with a rival").first.ok());
  ASSERT_TRUE(record(crm::v1::CHURN_CATEGORY_PRICE, "budget cut").first.ok());
  auto [no_text, _1] = record(crm::v1::CHURN_CATEGORY_PRICE, "");
  EXPECT_EQ(no_text.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_text.error_message(), HasSubstr("text"));
  EXPECT_EQ(record(crm::v1::CHURN_CATEGORY_UNSPECIFIED, "x").first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  crm::v1::ListChurnReasonsRequest list;
  list.set_customer_id(customer_);
  auto [listed, reasons] = satisfaction_.Call(&SatisfactionStub::ListChurnReasons, list);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(reasons.churn_reasons_size(), 3);
  EXPECT_EQ(reasons.churn_reasons(0).text(), "budget cut");
  EXPECT_EQ(reasons.churn_reasons(0).recorded_by().principal(), "u-alice");

  auto [reported, report] =
      satisfaction_.Call(&SatisfactionStub::GetChurnReport, crm::v1::GetChurnReportRequest());
  ASSERT_TRUE(reported.ok()) << reported.error_message();
  EXPECT_EQ(report.total(), 3);
  ASSERT_EQ(report.counts_size(), 2);
  EXPECT_EQ(report.counts(0).category(), crm::v1::CHURN_CATEGORY_PRICE);
  EXPECT_EQ(report.counts(0).count(), 2);
}

}  // namespace
}  // namespace crm::satisfaction::testing
