// The four services as processes on one dev broker, used the way an account team would:
// register a customer and its decision maker, meet them, hear a detractor (an issue opens
// by itself), evaluate tiers; the tier change then reaches engagement (the customer is
// overdue under S's cadence) and satisfaction (the issue's deadline moves to S's response
// time). Every step goes over gRPC and every hand-off over Kafka; the second test takes
// the broker away in the middle and brings it back.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/base/ids.h"
#include "crm/tiering/scoring_model.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "support/wait.h"
#include "system.h"

namespace crm::e2e {
namespace {

using google::protobuf::util::TimeUtil;

// What an account team does with one customer, step by step, on a running system.
class AccountTeam {
 public:
  explicit AccountTeam(System& system) : system_(system) {}

  // Everything before an evaluation: the customer registered, met, heard as a detractor,
  // and a scoring model published.
  void UpToTheEvaluation() {
    RegisterCustomer();
    MeetFortyDaysAgo();
    HearADetractor();
    PublishThresholdModel();
  }

  // Registry: the customer and its decision maker (once the registry serves).
  void RegisterCustomer() {
    crm::v1::RegisterCustomerRequest request;
    request.set_request_id(NewUuid());
    request.mutable_summary()->set_legal_name("Loop Telecom AG");
    request.mutable_summary()->set_region("emea");
    request.mutable_summary()->set_industry("telecom operator");
    ASSERT_TRUE(crm::testing::WaitFor([&] {
      auto [status, reply] = Call(*system_.registry, &RegistryStub::RegisterCustomer, request);
      customer_ = reply.customer_id();
      return status.ok();
    }));
    crm::v1::AddKeyPersonRequest add;
    add.set_request_id(NewUuid());
    add.set_customer_id(customer_);
    add.mutable_person()->set_name("Ada CTO");
    add.mutable_person()->set_role(crm::v1::DECISION_ROLE_DECISION_MAKER);
    add.mutable_person()->set_influence(5);
    add.mutable_person()->set_stance(crm::v1::STANCE_SUPPORTER);
    auto [added, reply] = Call(*system_.registry, &RegistryStub::AddKeyPerson, add);
    ASSERT_TRUE(added.ok()) << added.error_message();
    person_ = reply.person_id();
  }

  // Engagement: met the decision maker 40 days ago, within C's 90 days.
  void MeetFortyDaysAgo() {
    crm::v1::LogTouchpointRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_);
    crm::v1::TouchpointFacts& facts = *request.mutable_facts();
    facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
    facts.set_layer(crm::v1::RELATIONSHIP_LAYER_KEY_PERSON);
    *facts.mutable_date() = DaysAgo(40);
    facts.add_person_ids(person_);
    facts.add_employees()->set_employee_id("u-alice");
    facts.mutable_employees(0)->set_role("account_manager");
    ASSERT_TRUE(crm::testing::WaitFor([&] {  // until engagement serves and knows the person
      return Call(*system_.engagement, &EngagementStub::LogTouchpoint, request).first.ok();
    }));
    EXPECT_EQ(Overdue().customers_size(), 0);
  }

  // Satisfaction: she answers 3 of 10; a detractor's follow-up issue opens by itself, owed
  // an acknowledgement within C's 72 hours.
  void HearADetractor() {
    crm::v1::CreateSurveyRequest survey;
    survey.set_request_id(NewUuid());
    survey.set_title("After the pilot");
    survey.set_kind(crm::v1::SURVEY_KIND_TRANSACTIONAL);
    survey.add_customer_ids(customer_);
    *survey.mutable_opens_on() = DaysAgo(1);
    *survey.mutable_closes_on() = DaysAgo(-30);
    crm::v1::CreateSurveyResponse created;
    ASSERT_TRUE(crm::testing::WaitFor([&] {
      auto [status, reply] = Call(*system_.satisfaction, &SatisfactionStub::CreateSurvey, survey);
      created = reply;
      return status.ok();
    }));
    crm::v1::RecordResponseRequest response;
    response.set_request_id(NewUuid());
    response.set_survey_id(created.survey().survey_id());
    response.set_customer_id(customer_);
    response.set_person_id(person_);
    response.set_score(3);
    response.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
    ASSERT_TRUE(crm::testing::WaitFor([&] {
      return Call(*system_.satisfaction, &SatisfactionStub::RecordResponse, response).first.ok();
    }));
    crm::v1::ListIssuesRequest of_customer;
    of_customer.set_customer_id(customer_);
    const crm::v1::ListIssuesResponse issues =
        Call(*system_.satisfaction, &SatisfactionStub::ListIssues, of_customer).second;
    ASSERT_EQ(issues.issues_size(), 1);
    issue_id_ = issues.issues(0).issue_id();
    EXPECT_EQ(issues.issues(0).category(), crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
    raised_ = TimeUtil::TimestampToNanoseconds(issues.issues(0).waiting_since());
    EXPECT_EQ(TimeUtil::TimestampToNanoseconds(issues.issues(0).acknowledge_by()) - raised_,
              absl::ToInt64Nanoseconds(absl::Hours(72)));
  }

  // Tiering: a model by thresholds (S from 60), made current.
  void PublishThresholdModel() {
    crm::v1::PublishModelRequest publish;
    publish.set_request_id(NewUuid());
    *publish.mutable_model() = crm::tiering::DefaultModel();
    publish.mutable_model()->set_version("fy26-thresholds");
    publish.mutable_model()->mutable_thresholds()->set_s_min(60);
    publish.mutable_model()->mutable_thresholds()->set_a_min(40);
    publish.mutable_model()->mutable_thresholds()->set_b_min(20);
    publish.set_make_current(true);
    ASSERT_TRUE(crm::testing::WaitFor([&] {
      return Call(*system_.tiering, &TieringStub::PublishModel, publish, "admin").first.ok();
    }));
  }

  // Her entered inputs at the top: explicit value 50, product importance and industry
  // influence 16, whatever the derived inputs add: S.
  void EnterTopInputs() {
    crm::v1::RecordInputsRequest inputs;
    inputs.set_request_id(NewUuid());
    inputs.set_customer_id(customer_);
    inputs.set_fiscal_year(2026);
    for (const auto& [factor, value] :
         std::vector<std::pair<const char*, double>>{{"last_year_profit", 30},
                                                     {"last_year_revenue", 300},
                                                     {"forecast_revenue", 300},
                                                     {"payment_record", 5},
                                                     {"share_of_wallet", 70},
                                                     {"product_importance", 5},
                                                     {"industry_influence", 5}}) {
      crm::v1::FactorInput& input = *inputs.add_inputs();
      input.set_factor_id(factor);
      input.set_value(value);
    }
    ASSERT_TRUE(crm::testing::WaitFor(
        [&] { return Call(*system_.tiering, &TieringStub::RecordInputs, inputs).first.ok(); }));
  }

  // Runs an evaluation of emea until one has her in `tier`: a run covers the customers
  // tiering has learnt from the registry's events, so it is run again (a new run id each
  // time) until her registration has arrived.
  void RunUntil(crm::v1::Tier tier) {
    ASSERT_TRUE(crm::testing::WaitFor([&] {
      crm::v1::RunEvaluationRequest run;
      run.set_request_id(NewUuid());
      run.set_run_id(absl::StrCat("fy26-emea-", ++runs_));
      run.set_fiscal_year(2026);
      run.set_region("emea");
      auto [ran, evaluated] = Call(*system_.tiering, &TieringStub::RunEvaluation, run, "admin");
      EXPECT_TRUE(ran.ok()) << ran.error_message();
      crm::v1::GetCustomerTierRequest get;
      get.set_customer_id(customer_);
      return Call(*system_.tiering, &TieringStub::GetCustomerTier, get).second.tier().tier() ==
             tier;
    }));
  }

  // Engagement: under S's 14 days the 40-day-old meeting is overdue.
  void ExpectOverdueAsStrategic(absl::Duration within) {
    crm::v1::ListOverdueContactsResponse overdue;
    ASSERT_TRUE(crm::testing::WaitFor(
        [&] {
          overdue = Overdue();
          return overdue.customers_size() == 1;
        },
        within))
        << overdue.DebugString();
    EXPECT_EQ(overdue.customers(0).customer_id(), customer_);
    EXPECT_EQ(overdue.customers(0).tier(), crm::v1::TIER_S);
  }

  // Satisfaction: the open issue is now owed an answer within S's 4 hours.
  void ExpectIssueOwedWithinFourHours(absl::Duration within) {
    crm::v1::GetIssueRequest get;
    get.set_issue_id(issue_id_);
    crm::v1::Issue issue;
    ASSERT_TRUE(crm::testing::WaitFor(
        [&] {
          issue = Call(*system_.satisfaction, &SatisfactionStub::GetIssue, get).second.issue();
          return issue.tier() == crm::v1::TIER_S &&
                 TimeUtil::TimestampToNanoseconds(issue.acknowledge_by()) - raised_ ==
                     absl::ToInt64Nanoseconds(absl::Hours(4));
        },
        within))
        << issue.DebugString();
  }

 private:
  crm::v1::ListOverdueContactsResponse Overdue() {
    return Call(*system_.engagement, &EngagementStub::ListOverdueContacts,
                crm::v1::ListOverdueContactsRequest())
        .second;
  }

  System& system_;
  std::string customer_;
  std::string person_;
  std::string issue_id_;
  int64_t raised_ = 0;
  int runs_ = 0;
};

TEST(FullLoop, ATierFromAnEvaluationReachesEngagementAndSatisfaction) {
  System system;
  AccountTeam team(system);
  team.UpToTheEvaluation();
  team.EnterTopInputs();
  team.RunUntil(crm::v1::TIER_S);
  team.ExpectOverdueAsStrategic(absl::Seconds(30));
  team.ExpectIssueOwedWithinFourHours(absl::Seconds(30));
}

TEST(FullLoop, CommandsSucceedWhileTheBrokerIsDownAndEveryServiceCatchesUp) {
  System system;
  AccountTeam team(system);
  team.UpToTheEvaluation();
  team.RunUntil(crm::v1::TIER_C);  // tiering knows her; nothing entered yet

  // The broker goes away: writes keep succeeding (their events wait in the outboxes).
  crm::testing::DevBroker::Shared()->Down();
  team.EnterTopInputs();
  team.RunUntil(crm::v1::TIER_S);
  absl::SleepFor(absl::Seconds(3));  // the relays and consumers retry meanwhile
  crm::testing::DevBroker::Shared()->Up();

  team.ExpectOverdueAsStrategic(absl::Seconds(60));
  team.ExpectIssueOwedWithinFourHours(absl::Seconds(60));
}

}  // namespace
}  // namespace crm::e2e
