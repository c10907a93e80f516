// The four services as processes on one dev broker, used the way an account team would:
// register a customer and its decision maker, meet them, hear a detractor (an issue opens
// by itself), evaluate tiers; the tier change then reaches engagement (the customer is
// overdue under S's cadence) and satisfaction (the issue's deadline moves to S's response
// time). Every step goes over gRPC and every hand-off over Kafka.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "crm/base/ids.h"
#include "crm/kafka/cloud_events.h"
#include "crm/tiering/scoring_model.h"
#include "crm/v1/engagement.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "crm/v1/tiering.grpc.pb.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "support/call_as.h"
#include "support/dev_broker.h"
#include "support/service_under_test.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "topic_reader.h"

namespace crm::e2e {
namespace {

using crm::testing::CallAs;
using crm::testing::ServiceUnderTest;
using google::protobuf::util::TimeUtil;

crm::v1::CalendarDate DaysAgo(int days) {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days;
  crm::v1::CalendarDate date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// The whole system: registry, engagement, satisfaction and tiering, each on its own data
// directory, sharing the test binary's broker under a topic prefix of their own.
class System {
 public:
  System() {
    const std::string brokers = crm::testing::DevBroker::Shared()->bootstrap();
    const std::string prefix = crm::testing::UniqueTopic("e2e") + ".";
    // Provisioned before the services start, as a deployment does: a consumer subscribed
    // to a topic that does not exist yet only notices it at a later rebalance.
    std::vector<std::string> topics;
    for (const char* service : {"registry", "engagement", "satisfaction", "tiering"}) {
      topics.push_back(kafka::EventTopic(prefix, service));
    }
    kafka::testing::CreateTopics(brokers, topics);
    const ServiceUnderTest::Environment common = {
        {"CRM_KAFKA_BROKERS", brokers},
        {"CRM_TOPIC_PREFIX", prefix},
        {"CRM_KAFKA_CONFIG",
         "session.timeout.ms=3000,heartbeat.interval.ms=500,"
         "topic.metadata.refresh.interval.ms=500"}};
    registry_ = std::make_unique<ServiceUnderTest>(CRM_REGISTRY_PATH, dir_.Sub("registry"), common);
    ServiceUnderTest::Environment asking = common;
    asking.emplace_back("CRM_REGISTRY_ADDR", registry_->address());
    engagement_ =
        std::make_unique<ServiceUnderTest>(CRM_ENGAGEMENT_PATH, dir_.Sub("engagement"), asking);
    satisfaction_ =
        std::make_unique<ServiceUnderTest>(CRM_SATISFACTION_PATH, dir_.Sub("satisfaction"), asking);
    tiering_ = std::make_unique<ServiceUnderTest>(CRM_TIERING_PATH, dir_.Sub("tiering"), asking);
    for (ServiceUnderTest* service :
         {registry_.get(), engagement_.get(), satisfaction_.get(), tiering_.get()}) {
      EXPECT_TRUE(service->Start().ok());
    }
    registry = crm::v1::RegistryService::NewStub(registry_->Channel());
    engagement = crm::v1::EngagementService::NewStub(engagement_->Channel());
    satisfaction = crm::v1::SatisfactionService::NewStub(satisfaction_->Channel());
    tiering = crm::v1::TieringService::NewStub(tiering_->Channel());
  }

  std::unique_ptr<crm::v1::RegistryService::Stub> registry;
  std::unique_ptr<crm::v1::EngagementService::Stub> engagement;
  std::unique_ptr<crm::v1::SatisfactionService::Stub> satisfaction;
  std::unique_ptr<crm::v1::TieringService::Stub> tiering;

 private:
  crm::testing::TempDir dir_;
  std::unique_ptr<ServiceUnderTest> registry_, engagement_, satisfaction_, tiering_;
};

// Calls as an account manager, or as an admin where the method asks for one.
template <class Stub, class Request, class Response>
std::pair<grpc::Status, Response> Call(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request, const std::string& role = "account_manager") {
  return CallAs(stub, method, request, role, "u-alice");
}

TEST(FullLoop, ATierFromAnEvaluationReachesEngagementAndSatisfaction) {
  System system;

  // Registry: the customer and its decision maker (once the registry serves).
  crm::v1::RegisterCustomerRequest register_customer;
  register_customer.set_request_id(NewUuid());
  register_customer.mutable_summary()->set_legal_name("Loop Telecom AG");
  register_customer.mutable_summary()->set_region("emea");
  register_customer.mutable_summary()->set_industry("telecom operator");
  std::string customer;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] = Call(*system.registry, &crm::v1::RegistryService::Stub::RegisterCustomer,
                                register_customer);
    customer = reply.customer_id();
    return status.ok();
  }));
  crm::v1::AddKeyPersonRequest add_person;
  add_person.set_request_id(NewUuid());
  add_person.set_customer_id(customer);
  add_person.mutable_person()->set_name("Ada CTO");
  add_person.mutable_person()->set_role(crm::v1::DECISION_ROLE_DECISION_MAKER);
  add_person.mutable_person()->set_influence(5);
  add_person.mutable_person()->set_stance(crm::v1::STANCE_SUPPORTER);
  auto [added, person_reply] =
      Call(*system.registry, &crm::v1::RegistryService::Stub::AddKeyPerson, add_person);
  ASSERT_TRUE(added.ok()) << added.error_message();
  const std::string person = person_reply.person_id();

  // Engagement: met her 40 days ago, within C's 90 days.
  crm::v1::LogTouchpointRequest touchpoint;
  touchpoint.set_request_id(NewUuid());
  touchpoint.set_customer_id(customer);
  crm::v1::TouchpointFacts& facts = *touchpoint.mutable_facts();
  facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
  facts.set_layer(crm::v1::RELATIONSHIP_LAYER_KEY_PERSON);
  *facts.mutable_date() = DaysAgo(40);
  facts.add_person_ids(person);
  facts.add_employees()->set_employee_id("u-alice");
  facts.mutable_employees(0)->set_role("account_manager");
  ASSERT_TRUE(crm::testing::WaitFor([&] {  // until engagement serves and knows the person
    return Call(*system.engagement, &crm::v1::EngagementService::Stub::LogTouchpoint, touchpoint)
        .first.ok();
  }));
  auto overdue = [&] {
    return Call(*system.engagement, &crm::v1::EngagementService::Stub::ListOverdueContacts,
                crm::v1::ListOverdueContactsRequest())
        .second;
  };
  EXPECT_EQ(overdue().customers_size(), 0);

  // Satisfaction: she answers 3 of 10; a detractor's follow-up issue opens by itself.
  crm::v1::CreateSurveyRequest survey;
  survey.set_request_id(NewUuid());
  survey.set_title("After the pilot");
  survey.set_kind(crm::v1::SURVEY_KIND_TRANSACTIONAL);
  survey.add_customer_ids(customer);
  *survey.mutable_opens_on() = DaysAgo(1);
  *survey.mutable_closes_on() = DaysAgo(-30);
  crm::v1::CreateSurveyResponse created;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] =
        Call(*system.satisfaction, &crm::v1::SatisfactionService::Stub::CreateSurvey, survey);
    created = reply;
    return status.ok();
  }));
  crm::v1::RecordResponseRequest response;
  response.set_request_id(NewUuid());
  response.set_survey_id(created.survey().survey_id());
  response.set_customer_id(customer);
  response.set_person_id(person);
  response.set_score(3);
  response.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    return Call(*system.satisfaction, &crm::v1::SatisfactionService::Stub::RecordResponse, response)
        .first.ok();
  }));
  crm::v1::ListIssuesRequest issues_of;
  issues_of.set_customer_id(customer);
  crm::v1::ListIssuesResponse issues =
      Call(*system.satisfaction, &crm::v1::SatisfactionService::Stub::ListIssues, issues_of).second;
  ASSERT_EQ(issues.issues_size(), 1);
  const crm::v1::Issue follow_up = issues.issues(0);
  EXPECT_EQ(follow_up.category(), crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
  const int64_t raised = TimeUtil::TimestampToNanoseconds(follow_up.waiting_since());
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(follow_up.acknowledge_by()) - raised,
            absl::ToInt64Nanoseconds(absl::Hours(72)));  // C

  // Tiering: a model by thresholds, her inputs at the top, a run: S (explicit value 50,
  // product importance and industry influence 16, whatever the derived inputs add).
  crm::v1::PublishModelRequest publish;
  publish.set_request_id(NewUuid());
  *publish.mutable_model() = crm::tiering::DefaultModel();
  publish.mutable_model()->set_version("fy26-thresholds");
  publish.mutable_model()->mutable_thresholds()->set_s_min(60);
  publish.mutable_model()->mutable_thresholds()->set_a_min(40);
  publish.mutable_model()->mutable_thresholds()->set_b_min(20);
  publish.set_make_current(true);
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    return Call(*system.tiering, &crm::v1::TieringService::Stub::PublishModel, publish, "admin")
        .first.ok();
  }));
  crm::v1::RecordInputsRequest inputs;
  inputs.set_request_id(NewUuid());
  inputs.set_customer_id(customer);
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
  ASSERT_TRUE(crm::testing::WaitFor([&] {  // until tiering knows the customer
    return Call(*system.tiering, &crm::v1::TieringService::Stub::RecordInputs, inputs).first.ok();
  }));
  // A run covers the customers tiering has learnt from the registry's events: run again
  // (a new run id each time) until the registration has arrived.
  int attempt = 0;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    crm::v1::RunEvaluationRequest run;
    run.set_request_id(NewUuid());
    run.set_run_id(absl::StrCat("fy26-emea-", ++attempt));
    run.set_fiscal_year(2026);
    run.set_region("emea");
    auto [ran, evaluated] =
        Call(*system.tiering, &crm::v1::TieringService::Stub::RunEvaluation, run, "admin");
    EXPECT_TRUE(ran.ok()) << ran.error_message();
    return evaluated.run().tier_s() == 1;
  }));

  // Engagement: under S's 14 days the 40-day-old meeting is overdue.
  crm::v1::ListOverdueContactsResponse now_overdue;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    now_overdue = overdue();
    return now_overdue.customers_size() == 1;
  })) << now_overdue.DebugString();
  EXPECT_EQ(now_overdue.customers(0).customer_id(), customer);
  EXPECT_EQ(now_overdue.customers(0).tier(), crm::v1::TIER_S);

  // Satisfaction: the open issue is now owed an answer within S's 4 hours.
  crm::v1::GetIssueRequest get_issue;
  get_issue.set_issue_id(follow_up.issue_id());
  crm::v1::Issue issue;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    issue = Call(*system.satisfaction, &crm::v1::SatisfactionService::Stub::GetIssue, get_issue)
                .second.issue();
    return issue.tier() == crm::v1::TIER_S &&
           TimeUtil::TimestampToNanoseconds(issue.acknowledge_by()) - raised ==
               absl::ToInt64Nanoseconds(absl::Hours(4));
  })) << issue.DebugString();
}

}  // namespace
}  // namespace crm::e2e
