// Each service is restarted twice while an account team keeps working: once with SIGTERM
// (a rolling update) and once with SIGKILL (a crash). The team retries a call the way a
// client does, with the same request id, until the service acknowledges it. Afterwards
// every acknowledged command is there exactly once, in the service that took it and on
// its topic, and the projections that other services built from the events agree with it:
// nothing lost, nothing applied twice.
#include <signal.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "crm/base/ids.h"
#include "gtest/gtest.h"
#include "support/wait.h"
#include "system.h"

namespace crm::e2e {
namespace {

// A failure that a retry of the same request can outlast: the service was away.
bool Retryable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         status.error_code() == grpc::StatusCode::CANCELLED;
}

// Sends `request` until the service acknowledges it, as a client with retries does; a
// refusal other than the service being away fails the test.
template <class Stub, class Request, class Response>
Response Acknowledged(Stub& stub,
                      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                      const Request& request, const std::string& role = "account_manager") {
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  for (;;) {
    grpc::ClientContext context;
    context.AddMetadata("x-crm-principal", "u-alice");
    context.AddMetadata("x-crm-role", role);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    // Waits while the channel reconnects to a restarting service (until the deadline).
    context.set_wait_for_ready(true);
    Response response;
    const grpc::Status status = (stub.*method)(&context, request, &response);
    if (status.ok()) return response;
    if (!Retryable(status) || absl::Now() > give_up) {
      ADD_FAILURE() << Request::descriptor()->name() << ": " << status.error_code() << " "
                    << status.error_message();
      return response;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

// What the service acknowledged for one customer.
struct Customer {
  std::string id;
  std::vector<std::string> persons;  // the decision maker first
  std::string touchpoint;
  std::vector<std::string> responses;
  std::string follow_up_issue;
};

// The scores each customer's three persons give: two promoters and a detractor, NPS 33.3.
// Any one of them applied twice moves the NPS another service derives from the events.
constexpr int kScores[] = {10, 9, 2};

// An account team working through new customers, one after another, until stopped.
class AccountTeam {
 public:
  explicit AccountTeam(System& system) : system_(system) {}

  void Start() {
    worker_ = std::thread([this] {
      for (int n = 0; !stop_.load(); ++n) {
        Customer customer = Onboard(n);
        absl::MutexLock lock(&mutex_);
        customers_.push_back(std::move(customer));
      }
    });
  }
  void Stop() {
    stop_.store(true);
    worker_.join();
  }
  // Waits until `more` customers are onboarded beyond those done now.
  bool WaitForProgress(size_t more) {
    const size_t target = Done() + more;
    return crm::testing::WaitFor([&] { return Done() >= target; }, absl::Seconds(90));
  }
  std::vector<Customer> customers() {
    absl::MutexLock lock(&mutex_);
    return customers_;
  }

 private:
  size_t Done() {
    absl::MutexLock lock(&mutex_);
    return customers_.size();
  }

  // Every service gets commands: the registry a customer and three persons, engagement a
  // meeting, satisfaction a survey with three answers, tiering the customer's inputs.
  Customer Onboard(int n) {
    Customer customer;
    crm::v1::RegisterCustomerRequest registration;
    registration.set_request_id(NewUuid());
    registration.mutable_summary()->set_legal_name(absl::StrCat("Restart Telecom ", n, " AG"));
    registration.mutable_summary()->set_region("emea");
    registration.mutable_summary()->set_industry("telecom operator");
    customer.id = Acknowledged(*system_.registry, &RegistryStub::RegisterCustomer, registration)
                      .customer_id();
    for (int k = 0; k < 3; ++k) {
      crm::v1::AddKeyPersonRequest add;
      add.set_request_id(NewUuid());
      add.set_customer_id(customer.id);
      add.mutable_person()->set_name(absl::StrCat("Person ", n, "-", k));
      add.mutable_person()->set_role(k == 0 ? crm::v1::DECISION_ROLE_DECISION_MAKER
                                            : crm::v1::DECISION_ROLE_USER);
      add.mutable_person()->set_influence(3);
      add.mutable_person()->set_stance(crm::v1::STANCE_NEUTRAL);
      customer.persons.push_back(
          Acknowledged(*system_.registry, &RegistryStub::AddKeyPerson, add).person_id());
    }

    crm::v1::LogTouchpointRequest meeting;
    meeting.set_request_id(NewUuid());
    meeting.set_customer_id(customer.id);
    crm::v1::TouchpointFacts& facts = *meeting.mutable_facts();
    facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
    facts.set_layer(crm::v1::RELATIONSHIP_LAYER_KEY_PERSON);
    *facts.mutable_date() = DaysAgo(10);
    facts.add_person_ids(customer.persons[0]);
    facts.add_employees()->set_employee_id("u-alice");
    facts.mutable_employees(0)->set_role("account_manager");
    customer.touchpoint = Acknowledged(*system_.engagement, &EngagementStub::LogTouchpoint, meeting)
                              .touchpoint()
                              .touchpoint_id();

    crm::v1::CreateSurveyRequest survey;
    survey.set_request_id(NewUuid());
    survey.set_title(absl::StrCat("Onboarding ", n));
    survey.set_kind(crm::v1::SURVEY_KIND_TRANSACTIONAL);
    survey.add_customer_ids(customer.id);
    *survey.mutable_opens_on() = DaysAgo(1);
    *survey.mutable_closes_on() = DaysAgo(-30);
    const std::string survey_id =
        Acknowledged(*system_.satisfaction, &SatisfactionStub::CreateSurvey, survey)
            .survey()
            .survey_id();
    for (int k = 0; k < 3; ++k) {
      crm::v1::RecordResponseRequest response;
      response.set_request_id(NewUuid());
      response.set_survey_id(survey_id);
      response.set_customer_id(customer.id);
      response.set_person_id(customer.persons[k]);
      response.set_score(kScores[k]);
      response.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
      const crm::v1::RecordResponseResponse recorded =
          Acknowledged(*system_.satisfaction, &SatisfactionStub::RecordResponse, response);
      customer.responses.push_back(recorded.response().response_id());
      if (!recorded.follow_up_issue_id().empty()) {
        customer.follow_up_issue = recorded.follow_up_issue_id();
      }
    }

    crm::v1::RecordInputsRequest inputs;
    inputs.set_request_id(NewUuid());
    inputs.set_customer_id(customer.id);
    inputs.set_fiscal_year(2026);
    crm::v1::FactorInput& revenue = *inputs.add_inputs();
    revenue.set_factor_id("last_year_revenue");
    revenue.set_value(10 + n);
    crm::v1::FactorInput& payment = *inputs.add_inputs();
    payment.set_factor_id("payment_record");
    payment.set_value(4);
    Acknowledged(*system_.tiering, &TieringStub::RecordInputs, inputs);
    return customer;
  }

  System& system_;
  std::thread worker_;
  std::atomic<bool> stop_{false};
  absl::Mutex mutex_;
  std::vector<Customer> customers_ ABSL_GUARDED_BY(mutex_);
};

std::set<std::string> RegisteredInEmea(System& system) {
  std::set<std::string> ids;
  crm::v1::ListCustomersRequest list;
  list.set_region("emea");
  list.mutable_page()->set_page_size(1000);
  do {
    auto [status, page] = Call(*system.registry, &RegistryStub::ListCustomers, list);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& item : page.customers()) ids.insert(item.customer_id());
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list.page().page_token().empty());
  return ids;
}

// Tiering's view of a customer, built from the other services' events.
const crm::v1::HealthComponent* Component(const crm::v1::CustomerHealth& health,
                                          crm::v1::HealthComponentKind kind) {
  for (const auto& component : health.components()) {
    if (component.kind() == kind) return &component;
  }
  return nullptr;
}

bool TieringAgreesWith(System& system, const Customer& customer) {
  crm::v1::GetCustomerHealthRequest get;
  get.set_customer_id(customer.id);
  get.set_fiscal_year(2026);
  auto [status, reply] = Call(*system.tiering, &TieringStub::GetCustomerHealth, get);
  if (!status.ok()) return false;
  const auto* nps = Component(reply.health(), crm::v1::HEALTH_COMPONENT_KIND_NPS);
  const auto* issues = Component(reply.health(), crm::v1::HEALTH_COMPONENT_KIND_OPEN_ISSUES);
  const auto* coverage = Component(reply.health(), crm::v1::HEALTH_COMPONENT_KIND_COVERAGE);
  return nps != nullptr && nps->has_measure() && std::abs(nps->measure() - 100.0 / 3) < 1e-9 &&
         issues != nullptr && issues->measure() == 1 && coverage != nullptr &&
         coverage->measure() == 100;
}

TEST(Restarts, NoAcknowledgedCommandIsLostAndNoEventIsAppliedTwice) {
  System system;
  AccountTeam team(system);
  team.Start();
  ASSERT_TRUE(team.WaitForProgress(1));
  for (size_t service = 0; service < System::kServices.size(); ++service) {
    for (int signal : {SIGTERM, SIGKILL}) {
      SCOPED_TRACE(absl::StrCat(System::kServices[service], " restarted with signal ", signal));
      ASSERT_TRUE(system.process(service).Restart(signal).ok());
      ASSERT_TRUE(team.WaitForProgress(2));
    }
  }
  team.Stop();
  const std::vector<Customer> customers = team.customers();

  // The registry: every acknowledged customer once, no other.
  std::set<std::string> acknowledged;
  for (const Customer& customer : customers) acknowledged.insert(customer.id);
  ASSERT_EQ(acknowledged.size(), customers.size());
  EXPECT_EQ(RegisteredInEmea(system), acknowledged);

  for (const Customer& customer : customers) {
    SCOPED_TRACE(customer.id);
    // Engagement: the one meeting.
    crm::v1::ListTouchpointsRequest touchpoints;
    touchpoints.set_customer_id(customer.id);
    auto [listed, met] = Call(*system.engagement, &EngagementStub::ListTouchpoints, touchpoints);
    ASSERT_TRUE(listed.ok()) << listed.error_message();
    ASSERT_EQ(met.touchpoints_size(), 1);
    EXPECT_EQ(met.touchpoints(0).touchpoint_id(), customer.touchpoint);

    // Satisfaction: the three answers and the detractor's one issue.
    crm::v1::GetNpsRequest nps;
    nps.mutable_scope()->set_customer_id(customer.id);
    const crm::v1::NpsSummary summary =
        Call(*system.satisfaction, &SatisfactionStub::GetNps, nps).second.summary();
    EXPECT_EQ(summary.promoters(), 2);
    EXPECT_EQ(summary.detractors(), 1);
    EXPECT_EQ(summary.responses(), 3);
    crm::v1::ListIssuesRequest issues;
    issues.set_customer_id(customer.id);
    const crm::v1::ListIssuesResponse raised =
        Call(*system.satisfaction, &SatisfactionStub::ListIssues, issues).second;
    ASSERT_EQ(raised.issues_size(), 1);
    EXPECT_EQ(raised.issues(0).issue_id(), customer.follow_up_issue);

    // Tiering, from the three other topics: the same NPS, one open issue, the decision
    // maker met; a response applied twice would move the NPS, an issue twice is one id.
    EXPECT_TRUE(crm::testing::WaitFor([&] { return TieringAgreesWith(system, customer); },
                                      absl::Seconds(60)));
  }

  // Tiering's population: an evaluation of emea covers exactly the acknowledged customers.
  int runs = 0;
  crm::v1::EvaluationRun last;
  EXPECT_TRUE(crm::testing::WaitFor(
      [&] {
        crm::v1::RunEvaluationRequest run;
        run.set_request_id(NewUuid());
        run.set_run_id(absl::StrCat("after-restarts-", ++runs));
        run.set_fiscal_year(2026);
        run.set_region("emea");
        last = Call(*system.tiering, &TieringStub::RunEvaluation, run, "admin").second.run();
        return last.customers() == static_cast<int64_t>(customers.size());
      },
      absl::Seconds(60)))
      << last.DebugString();

  // The registry's topic: each registration published under one event id, whatever the
  // relay had to send again after a crash.
  const std::vector<kafka::testing::Record> records =
      kafka::testing::ReadTopic(system.brokers(), system.topic("registry"), 4 * customers.size());
  std::map<std::string, std::set<std::string>> registration_ids;
  for (const auto& record : records) {
    if (record.headers.at("ce_type") != "crm.v1.CustomerRegistered") continue;
    registration_ids[record.key].insert(record.headers.at("ce_id"));
  }
  for (const Customer& customer : customers) {
    EXPECT_EQ(registration_ids[customer.id].size(), 1u) << customer.id;
  }
  EXPECT_EQ(registration_ids.size(), customers.size());
}

}  // namespace
}  // namespace crm::e2e
