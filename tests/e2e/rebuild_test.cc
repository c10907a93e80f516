// Every service's store rebuilt from its topic, over processes. A demo organisation is
// loaded; then, service by service, the service is stopped and a new one rebuilds its
// store from the service's events topic into an empty data directory (the registry's with
// a copy of its key vault: keys are not events). A first rebuild is killed (SIGKILL)
// midway and a second one finishes it. The rebuilt service answers every query as the old
// one did, answers a retried request with the original reply without recording an event,
// and its store holds the same log, stream heads, read-model and counter rows (table by
// table) and the replies kept for every request id. Tiering is then started once more
// with only its projections of the other services' topics rebuilt, and they come back the
// same.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "crm/customers/tier_policies_in_force.h"
#include "crm/engagement/read_models.h"
#include "crm/eventstore/event_store.h"
#include "crm/known_customers/known_customers.h"
#include "crm/registry/read_models.h"
#include "crm/satisfaction/read_models.h"
#include "crm/tiering/read_models.h"
#include "crmctl_runs.h"
#include "gtest/gtest.h"
#include "support/rebuilt_stores.h"
#include "support/reserved_port.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "system.h"

namespace crm::e2e {
namespace {

// What the registry answers: the customer list, every customer's archive and decision
// chain, and the upcoming key dates, serialized.
std::vector<std::string> RegistryAnswers(RegistryStub& registry) {
  std::vector<std::string> answers;
  std::vector<std::string> customer_ids;
  crm::v1::ListCustomersRequest list;
  list.mutable_page()->set_page_size(100);
  do {
    auto [status, page] = Call(registry, &RegistryStub::ListCustomers, list, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    answers.push_back(page.SerializeAsString());
    for (const auto& item : page.customers()) customer_ids.push_back(item.customer_id());
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list.page().page_token().empty());
  for (const std::string& id : customer_ids) {
    crm::v1::GetCustomerRequest get;
    get.set_customer_id(id);
    auto [status, customer] = Call(registry, &RegistryStub::GetCustomer, get, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    answers.push_back(customer.SerializeAsString());
    crm::v1::GetDecisionChainRequest chain;
    chain.set_customer_id(id);
    auto [chain_status, chain_reply] =
        Call(registry, &RegistryStub::GetDecisionChain, chain, "admin");
    EXPECT_TRUE(chain_status.ok()) << chain_status.error_message();
    answers.push_back(chain_reply.SerializeAsString());
  }
  crm::v1::ListUpcomingKeyDatesRequest dates;
  dates.set_within_days(366);
  dates.mutable_page()->set_page_size(1000);
  auto [status, upcoming] = Call(registry, &RegistryStub::ListUpcomingKeyDates, dates, "admin");
  EXPECT_TRUE(status.ok()) << status.error_message();
  answers.push_back(upcoming.SerializeAsString());
  return answers;
}

// What the satisfaction service answers: its surveys with their responses, every issue,
// the overdue ones, the issue times, the commitments, the churn report, and per customer
// its NPS and churn reasons; NPS by region and everything, with its trend.
std::vector<std::string> SatisfactionAnswers(SatisfactionStub& satisfaction,
                                             const std::vector<std::string>& customer_ids) {
  std::vector<std::string> answers;
  auto answer = [&](auto method, const auto& request) {
    auto [status, reply] = Call(satisfaction, method, request, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    answers.push_back(reply.SerializeAsString());
    return reply;
  };
  crm::v1::ListSurveysRequest surveys;
  surveys.mutable_page()->set_page_size(1000);
  const crm::v1::ListSurveysResponse listed = answer(&SatisfactionStub::ListSurveys, surveys);
  for (const crm::v1::Survey& survey : listed.surveys()) {
    crm::v1::ListResponsesRequest responses;
    responses.set_survey_id(survey.survey_id());
    responses.mutable_page()->set_page_size(1000);
    do {
      auto page = answer(&SatisfactionStub::ListResponses, responses);
      responses.mutable_page()->set_page_token(page.page().next_page_token());
    } while (!responses.page().page_token().empty());
  }
  crm::v1::ListIssuesRequest issues;
  issues.mutable_page()->set_page_size(1000);
  do {
    auto page = answer(&SatisfactionStub::ListIssues, issues);
    issues.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!issues.page().page_token().empty());
  crm::v1::ListOverdueIssuesRequest overdue;
  overdue.mutable_page()->set_page_size(1000);
  answer(&SatisfactionStub::ListOverdueIssues, overdue);
  answer(&SatisfactionStub::GetIssueTimes, crm::v1::GetIssueTimesRequest());
  answer(&SatisfactionStub::GetResponseCommitments, crm::v1::GetResponseCommitmentsRequest());
  answer(&SatisfactionStub::GetChurnReport, crm::v1::GetChurnReportRequest());
  crm::v1::GetNpsRequest nps;
  nps.mutable_scope()->set_everything(true);
  answer(&SatisfactionStub::GetNps, nps);
  for (const char* region : {"emea", "apac", "americas"}) {
    nps.mutable_scope()->set_region(region);
    answer(&SatisfactionStub::GetNps, nps);
  }
  crm::v1::GetNpsTrendRequest trend;
  trend.mutable_scope()->set_everything(true);
  answer(&SatisfactionStub::GetNpsTrend, trend);
  for (const std::string& id : customer_ids) {
    nps.mutable_scope()->set_customer_id(id);
    answer(&SatisfactionStub::GetNps, nps);
    crm::v1::ListChurnReasonsRequest reasons;
    reasons.set_customer_id(id);
    answer(&SatisfactionStub::ListChurnReasons, reasons);
  }
  return answers;
}

// What engagement answers: per customer its touchpoints, coverage and relationship roll-up
// (the latest assessments); the overdue actions of plans, the overdue contacts, the cadence rules,
// the quotas, and the quota report of the last nine weeks.
std::vector<std::string> EngagementAnswers(EngagementStub& engagement,
                                           const std::vector<std::string>& customer_ids) {
  std::vector<std::string> answers;
  auto answer = [&](auto method, const auto& request) {
    auto [status, reply] = Call(engagement, method, request, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    answers.push_back(reply.SerializeAsString());
  };
  for (const std::string& id : customer_ids) {
    crm::v1::ListTouchpointsRequest touchpoints;
    touchpoints.set_customer_id(id);
    touchpoints.mutable_page()->set_page_size(1000);
    answer(&EngagementStub::ListTouchpoints, touchpoints);
    crm::v1::GetCoverageRequest coverage;
    coverage.set_customer_id(id);
    coverage.set_window_days(3650);
    answer(&EngagementStub::GetCoverage, coverage);
    crm::v1::GetRelationshipRollupRequest rollup;
    rollup.set_customer_id(id);
    answer(&EngagementStub::GetRelationshipRollup, rollup);
  }
  crm::v1::ListOverdueActionsRequest actions;
  actions.mutable_page()->set_page_size(1000);
  answer(&EngagementStub::ListOverdueActions, actions);
  crm::v1::ListOverdueContactsRequest contacts;
  contacts.mutable_page()->set_page_size(1000);
  answer(&EngagementStub::ListOverdueContacts, contacts);
  answer(&EngagementStub::GetCadenceRules, crm::v1::GetCadenceRulesRequest());
  answer(&EngagementStub::ListTouchpointQuotas, crm::v1::ListTouchpointQuotasRequest());
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  for (int week = 0; week < 9; ++week) {
    const absl::CivilDay day = today - 7 * week;
    crm::v1::GetQuotaReportRequest report;
    report.mutable_week_of()->set_year(static_cast<int32_t>(day.year()));
    report.mutable_week_of()->set_month(day.month());
    report.mutable_week_of()->set_day(day.day());
    report.mutable_page()->set_page_size(1000);
    answer(&EngagementStub::GetQuotaReport, report);
  }
  return answers;
}

// The customers of the registry, in its list's order.
std::vector<std::string> CustomerIds(RegistryStub& registry) {
  std::vector<std::string> ids;
  crm::v1::ListCustomersRequest list;
  list.mutable_page()->set_page_size(1000);
  do {
    auto [status, page] = Call(registry, &RegistryStub::ListCustomers, list, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const auto& item : page.customers()) ids.push_back(item.customer_id());
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list.page().page_token().empty());
  return ids;
}

// What tiering answers: the current model, the tier policies in force, every customer's
// tier, history and inputs, and the year's distribution and abnormal churn, serialized.
std::vector<std::string> TieringAnswers(TieringStub& tiering,
                                        const std::vector<std::string>& customer_ids) {
  std::vector<std::string> answers;
  auto answer = [&](auto method, const auto& request) {
    auto [status, reply] = Call(tiering, method, request, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    answers.push_back(reply.SerializeAsString());
    return reply;
  };
  answer(&TieringStub::GetModel, crm::v1::GetModelRequest());
  answer(&TieringStub::GetTierPolicies, crm::v1::GetTierPoliciesRequest());
  int fiscal_year = 0;  // the demo's, as its runs name it
  for (const std::string& id : customer_ids) {
    crm::v1::GetCustomerTierRequest tier;
    tier.set_customer_id(id);
    const crm::v1::GetCustomerTierResponse current = answer(&TieringStub::GetCustomerTier, tier);
    if (fiscal_year == 0) fiscal_year = current.tier().fiscal_year();
    crm::v1::ListTierHistoryRequest history;
    history.set_customer_id(id);
    history.mutable_page()->set_page_size(100);
    answer(&TieringStub::ListTierHistory, history);
    crm::v1::GetInputsRequest inputs;
    inputs.set_customer_id(id);
    inputs.set_fiscal_year(fiscal_year);
    auto [status, got] = Call(tiering, &TieringStub::GetInputs, inputs, "admin");
    EXPECT_TRUE(status.ok()) << status.error_message();
    // The entered ones: inputs derived from other services' events are computed when
    // asked, as of then (a relationship's length grows by the second).
    auto& held = *got.mutable_inputs()->mutable_inputs();
    held.erase(std::remove_if(held.begin(), held.end(),
                              [](const crm::v1::FactorInput& input) {
                                return input.source() != crm::v1::INPUT_SOURCE_ENTERED;
                              }),
               held.end());
    answers.push_back(got.SerializeAsString());
  }
  EXPECT_GT(fiscal_year, 0) << "the demo's runs tiered its customers";
  crm::v1::GetTierDistributionRequest distribution;
  distribution.set_fiscal_year(fiscal_year);
  answer(&TieringStub::GetTierDistribution, distribution);
  crm::v1::ListAbnormalChurnRequest churn;
  churn.set_fiscal_year(fiscal_year);
  churn.mutable_page()->set_page_size(1000);
  answer(&TieringStub::ListAbnormalChurn, churn);
  return answers;
}

// One service as the test rebuilds it.
struct RebuiltService {
  // Its index in System::kServices, its binary and the tables of its store.
  size_t index;
  const char* binary;
  std::vector<std::string_view> tables;
  // What it answers, over `channel`.
  std::function<std::vector<std::string>(const std::shared_ptr<grpc::Channel>& channel)> answers;
  // Sends the same request (one request id) each time, and returns its reply serialized.
  std::function<std::string(const std::shared_ptr<grpc::Channel>& channel)> probe;
  // Parts of its data directory that are not events, restored from their own backup.
  std::vector<std::string> restored = {};
  // Its environment besides the topics and the rebuild's.
  crm::testing::ServiceUnderTest::Environment environment = {};
  // At least this many events: a demo of a few hundred customers.
  double events_at_least = 500;
  // Its projections of other services' topics, when the test also rebuilds them alone
  // (--rebuild=projections) after the whole store.
  std::vector<std::string_view> projections = {};
};

// The events `process`'s consumers have applied, over every topic
// (crm_consumer_events_total{outcome="applied"}); -1 when the metrics cannot be read.
double AppliedEvents(const crm::testing::ServiceUnderTest& process) {
  httplib::Client http("127.0.0.1", process.metrics_port());
  auto response = http.Get("/metrics");
  if (!response || response->status != 200) return -1;
  const std::string& body = response->body;
  double applied = 0;
  for (size_t at = body.find("\ncrm_consumer_events_total{"); at != std::string::npos;
       at = body.find("\ncrm_consumer_events_total{", at + 1)) {
    const size_t labels_end = body.find("} ", at);
    if (labels_end == std::string::npos) return -1;
    if (body.substr(at, labels_end - at).find("outcome=\"applied\"") == std::string::npos) continue;
    applied += std::stod(body.substr(labels_end + 2));
  }
  return applied;
}

// `environment` and what a process the test starts itself needs besides.
crm::testing::ServiceUnderTest::Environment StartedByHand(
    crm::testing::ServiceUnderTest::Environment environment, const std::string& data_dir,
    const crm::testing::ReservedPort& port) {
  environment.insert(environment.end(), {{"CRM_AUTH", "off"},
                                         {"CRM_DATA_DIR", data_dir},
                                         {"CRM_LISTEN", absl::StrCat("127.0.0.1:", port.number())},
                                         {"CRM_METRICS_LISTEN", "127.0.0.1:0"}});
  return environment;
}

// Starts `binary` on `data_dir` and kills it (SIGKILL) once it has written its first batch:
// when it prints its first line, which starts with `progress`, and before the line that
// starts with `done`.
void KillAfterFirstProgress(const char* binary, const std::string& data_dir,
                            const crm::testing::ServiceUnderTest::Environment& environment,
                            std::string_view progress, std::string_view done) {
  crm::testing::ReservedPort port;
  auto process =
      crm::testing::Subprocess::Start({binary}, StartedByHand(environment, data_dir, port));
  ASSERT_TRUE(process.ok()) << process.status();
  const std::optional<std::string> line = (*process)->ReadLine(absl::Seconds(60));
  ASSERT_TRUE(line.has_value());
  ASSERT_TRUE(line->starts_with(progress)) << *line;
  (*process)->Signal(SIGKILL);
  std::string rest;
  while (auto next = (*process)->ReadLine(absl::Seconds(5))) rest += *next + "\n";
  (*process)->Wait();
  ASSERT_EQ(rest.find(done), std::string::npos) << "it ended before it was killed:\n" << rest;
}

// Sets CRM_REBUILD in `environment` to `form`.
crm::testing::ServiceUnderTest::Environment WithRebuild(
    crm::testing::ServiceUnderTest::Environment environment, const std::string& form) {
  for (auto& [variable, value] : environment) {
    if (variable == "CRM_REBUILD") value = form;
  }
  return environment;
}

// Starts the rebuilt `service` again with --rebuild=projections, after a row that no event
// gives was put into each of its projections (as a release that changes how a projection
// is made leaves rows the new code would not make): it answers as before, and its
// projections are the original service's, the stray rows gone.
void ExpectProjectionsRebuiltTheSame(const RebuiltService& service, const std::string& original_dir,
                                     const std::string& rebuilt_dir,
                                     const crm::testing::ServiceUnderTest::Environment& environment,
                                     const std::vector<std::string>& answers) {
  const std::string name = System::kServices[service.index];
  crm::testing::StoreContents projected;  // as the original service, caught up, had them
  {
    auto original = eventstore::EventStore::Open({.path = original_dir, .service = name});
    ASSERT_TRUE(original.ok()) << original.status();
    projected = crm::testing::ContentsOf(**original, service.projections);
  }
  {
    auto store = eventstore::EventStore::Open({.path = rebuilt_dir, .service = name});
    ASSERT_TRUE(store.ok()) << store.status();
    crm::testing::PutStrayRows(**store, service.projections);
  }
  crm::testing::ServiceUnderTest again(service.binary, rebuilt_dir,
                                       WithRebuild(environment, "projections"));
  ASSERT_TRUE(again.Start().ok());
  ASSERT_GT(again.metrics_port(), 0) << name << " did not come up";
  EXPECT_TRUE(crm::testing::WaitFor([&] { return service.answers(again.Channel()) == answers; },
                                    absl::Seconds(60)))
      << name << " with its projections rebuilt answers otherwise";
  // Its consumers have read their topics again: events applied, none left to read, and no
  // more coming for a second (answers alone would not tell: the registry answers for
  // customers the projection has not learnt yet).
  double applied = 0;
  EXPECT_TRUE(crm::testing::WaitFor(
      [&] {
        const double before = AppliedEvents(again);
        absl::SleepFor(absl::Seconds(1));
        applied = AppliedEvents(again);
        return applied > 0 && applied == before && ConsumerLag(again) == 0;
      },
      absl::Seconds(60)))
      << applied << " events applied";
  again.Terminate();

  auto store = eventstore::EventStore::Open({.path = rebuilt_dir, .service = name});
  ASSERT_TRUE(store.ok()) << store.status();
  crm::testing::ExpectSameContents(crm::testing::ContentsOf(**store, service.projections),
                                   projected);
}

// Recomputes the rebuilt `service`'s own read models from its own log
// (--rebuild=read-models), after a row that no event gives was put into each of its tables:
// a first run killed midway, a start without the recompute refused while it is half done,
// a second run that finishes it. The service answers as before, and its tables are the
// original service's, the stray rows gone.
void ExpectReadModelsRecomputedTheSame(
    const RebuiltService& service, const std::string& original_dir, const std::string& rebuilt_dir,
    const crm::testing::ServiceUnderTest::Environment& environment,
    const std::vector<std::string>& answers) {
  const std::string name = System::kServices[service.index];
  {
    auto store = eventstore::EventStore::Open({.path = rebuilt_dir, .service = name});
    ASSERT_TRUE(store.ok()) << store.status();
    crm::testing::Spoil(**store, service.tables);
  }
  const auto recompute = WithRebuild(environment, "read-models");
  // An event a batch, so that the first run, killed after its first, is far from done.
  auto one_by_one = recompute;
  one_by_one.emplace_back("CRM_REBUILD_BATCH_EVENTS", "1");
  KillAfterFirstProgress(service.binary, rebuilt_dir, one_by_one, "recompute: ", "recompute done");

  // Half-made read models are not served: started without the recompute, it exits.
  {
    crm::testing::ReservedPort port;
    auto refused = crm::testing::Subprocess::Start(
        {service.binary}, StartedByHand(WithRebuild(environment, "off"), rebuilt_dir, port));
    ASSERT_TRUE(refused.ok()) << refused.status();
    EXPECT_TRUE(crm::testing::WaitFor([&] { return !(*refused)->Running(); }, absl::Seconds(30)))
        << name << " started on half-made read models";
    if ((*refused)->Running()) (*refused)->Signal(SIGKILL);
    const int status = (*refused)->Wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << "wait status " << status;
  }

  crm::testing::ServiceUnderTest again(service.binary, rebuilt_dir, recompute);
  ASSERT_TRUE(again.Start().ok());
  ASSERT_GT(again.metrics_port(), 0) << name << " did not come up";
  EXPECT_TRUE(crm::testing::WaitFor([&] { return service.answers(again.Channel()) == answers; },
                                    absl::Seconds(60)))
      << name << " with its read models recomputed answers otherwise";
  again.Terminate();

  auto original = eventstore::EventStore::Open({.path = original_dir, .service = name});
  auto rebuilt = eventstore::EventStore::Open({.path = rebuilt_dir, .service = name});
  ASSERT_TRUE(original.ok() && rebuilt.ok());
  crm::testing::ExpectSameContents(crm::testing::ContentsOf(**rebuilt, service.tables),
                                   crm::testing::ContentsOf(**original, service.tables));
}

// Stops `service` in `system` (after a retried probe and once every event is on its
// topic), rebuilds it into a new directory of `dir` in two runs (the first killed midway)
// and checks the rebuilt service and store against the original.
void ExpectRebuiltTheSame(System& system, const RebuiltService& service,
                          const crm::testing::TempDir& dir) {
  crm::testing::ServiceUnderTest& original = system.process(service.index);
  const std::string probe_reply = service.probe(original.Channel());
  ASSERT_TRUE(crm::testing::WaitFor([&] { return Metric(original, "crm_outbox_depth") == 0; },
                                    absl::Seconds(60)));
  // Every service's events on their topics, and read by this one: its answers settled.
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    EXPECT_TRUE(crm::testing::WaitFor(
        [&] { return Metric(system.process(i), "crm_outbox_depth") <= 0; }, absl::Seconds(60)))
        << System::kServices[i];
  }
  ASSERT_TRUE(crm::testing::WaitFor([&] { return ConsumerLag(original) == 0; }, absl::Seconds(60)));
  const double events = Metric(original, "crm_event_log_position");
  ASSERT_GT(events, service.events_at_least) << "a demo of a few hundred customers";
  // And no longer changing.
  std::vector<std::string> answers = service.answers(original.Channel());
  ASSERT_TRUE(crm::testing::WaitFor(
      [&] {
        absl::SleepFor(absl::Milliseconds(500));
        std::vector<std::string> again = service.answers(original.Channel());
        const bool settled = again == answers;
        answers = std::move(again);
        return settled;
      },
      absl::Seconds(30)));
  original.Terminate();

  const std::string name = System::kServices[service.index];
  const std::string rebuilt_dir = dir.Sub("rebuilt-" + name);
  std::filesystem::create_directories(rebuilt_dir);
  const std::string original_dir = system.data_dir(service.index);
  for (const std::string& part : service.restored) {
    std::filesystem::copy(original_dir + "/" + part, rebuilt_dir + "/" + part,
                          std::filesystem::copy_options::recursive);
  }
  crm::testing::ServiceUnderTest::Environment environment = service.environment;
  environment.insert(environment.end(),
                     {{"CRM_KAFKA_BROKERS", system.brokers()},
                      {"CRM_TOPIC_PREFIX", system.topic_prefix()},
                      // The dev broker expires a stopped member of the
                      // group only after its session timeout.
                      {"CRM_KAFKA_CONFIG", "session.timeout.ms=3000,heartbeat.interval.ms=500"},
                      {"CRM_REBUILD", "full"},
                      // Small batches: the first rebuild is stopped among them.
                      {"CRM_REBUILD_BATCH_EVENTS", "5"}});

  // The first rebuild is killed once it has written its first batch.
  KillAfterFirstProgress(service.binary, rebuilt_dir, environment, "rebuild: ", "rebuild done");

  // The second finishes it, then serves.
  crm::testing::ServiceUnderTest rebuilt(service.binary, rebuilt_dir, environment);
  ASSERT_TRUE(rebuilt.Start().ok());
  ASSERT_GT(rebuilt.metrics_port(), 0) << "the rebuilt " << name << " did not come up";
  // Its projections of the other services' topics catch up from their start.
  EXPECT_TRUE(crm::testing::WaitFor([&] { return service.answers(rebuilt.Channel()) == answers; },
                                    absl::Seconds(60)))
      << "the rebuilt " << name << " answers otherwise";

  // The retried request: the first reply, and no new event.
  EXPECT_EQ(service.probe(rebuilt.Channel()), probe_reply);
  EXPECT_EQ(Metric(rebuilt, "crm_event_log_position"), events);
  rebuilt.Terminate();

  auto open = [&](const std::string& data_dir) {
    auto store = eventstore::EventStore::Open({.path = data_dir, .service = name});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  };
  std::unique_ptr<eventstore::EventStore> before = open(original_dir);
  std::unique_ptr<eventstore::EventStore> after = open(rebuilt_dir);
  ASSERT_TRUE(before != nullptr && after != nullptr);
  crm::testing::ExpectSameContents(crm::testing::ContentsOf(*after, service.tables),
                                   crm::testing::ContentsOf(*before, service.tables));
  after.reset();
  before.reset();
  ExpectReadModelsRecomputedTheSame(service, original_dir, rebuilt_dir, environment, answers);
  if (service.projections.empty()) return;
  ExpectProjectionsRebuiltTheSame(service, original_dir, rebuilt_dir, environment, answers);
}

TEST(Rebuild, EachServiceRebuiltFromItsTopicIsTheSameService) {
  crm::testing::TempDir dir;
  System system;
  ASSERT_TRUE(system.Serving());
  const CrmctlRun demo = Crmctl(system, {"demo", "--seed=7", "--customers=200", "--parallel=4"});
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  const std::vector<std::string> customer_ids = CustomerIds(*system.registry);
  ASSERT_GE(customer_ids.size(), 200u);

  // Satisfaction, engagement and tiering first, while the registry they ask about
  // customers is the original.
  const RebuiltService satisfaction = {
      .index = 2,
      .binary = CRM_SATISFACTION_PATH,
      .tables = {satisfaction::kSurveys, satisfaction::kSurveyCustomers, satisfaction::kResponses,
                 satisfaction::kIssues, satisfaction::kCustomerIssues, satisfaction::kWaitingIssues,
                 satisfaction::kChurnReasons, satisfaction::kNpsCounts, satisfaction::kIssueTimes,
                 satisfaction::kChurnCounts},
      .answers =
          [&](const std::shared_ptr<grpc::Channel>& channel) {
            return SatisfactionAnswers(*crm::v1::SatisfactionService::NewStub(channel),
                                       customer_ids);
          },
      .probe =
          [&](const std::shared_ptr<grpc::Channel>& channel) {
            crm::v1::RecordChurnReasonRequest probe;
            probe.set_request_id("rebuild-probe-satisfaction");
            probe.set_customer_id(customer_ids.front());
            probe.set_category(crm::v1::CHURN_CATEGORY_PRICE);
            probe.set_text("a competitor's offer");
            auto [status, reply] = Call(*crm::v1::SatisfactionService::NewStub(channel),
                                        &SatisfactionStub::RecordChurnReason, probe, "admin");
            EXPECT_TRUE(status.ok()) << status.error_message();
            return reply.SerializeAsString();
          },
      .environment = {{"CRM_REGISTRY_ADDR", system.process(0).address()}}};
  ExpectRebuiltTheSame(system, satisfaction, dir);

  const RebuiltService engagement = {
      .index = 1,
      .binary = CRM_ENGAGEMENT_PATH,
      .tables = {engagement::kTouchpoints, engagement::kTouchpointsByDay, engagement::kContacts,
                 engagement::kPlansByCustomer, engagement::kOpenActions, engagement::kAssessments,
                 engagement::kEmployeeWeekTouchpoints, engagement::kEmployeeWeekRoles},
      .answers =
          [&](const std::shared_ptr<grpc::Channel>& channel) {
            return EngagementAnswers(*crm::v1::EngagementService::NewStub(channel), customer_ids);
          },
      .probe =
          [&](const std::shared_ptr<grpc::Channel>& channel) {
            crm::v1::LogTouchpointRequest probe;
            probe.set_request_id("rebuild-probe-engagement");
            probe.set_customer_id(customer_ids.front());
            crm::v1::TouchpointFacts& facts = *probe.mutable_facts();
            facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
            facts.set_layer(crm::v1::RELATIONSHIP_LAYER_GENERAL);
            const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
            facts.mutable_date()->set_year(static_cast<int32_t>(today.year()));
            facts.mutable_date()->set_month(today.month());
            facts.mutable_date()->set_day(today.day());
            crm::v1::EmployeePresence& employee = *facts.add_employees();
            employee.set_employee_id("u-alice");
            employee.set_role("account_manager");
            auto [status, reply] = Call(*crm::v1::EngagementService::NewStub(channel),
                                        &EngagementStub::LogTouchpoint, probe, "admin");
            EXPECT_TRUE(status.ok()) << status.error_message();
            return reply.SerializeAsString();
          },
      .environment = {{"CRM_REGISTRY_ADDR", system.process(0).address()}}};
  ExpectRebuiltTheSame(system, engagement, dir);

  const RebuiltService tiering = {
      .index = 3,
      .binary = CRM_TIERING_PATH,
      .tables = {tiering::kModels, tiering::kInputs, tiering::kTierPolicies, tiering::kTiers,
                 tiering::kTierHistory, tiering::kRuns, tiering::kAbnormalChurn},
      .answers =
          [&](const std::shared_ptr<grpc::Channel>& channel) {
            return TieringAnswers(*crm::v1::TieringService::NewStub(channel), customer_ids);
          },
      .probe =
          [&](const std::shared_ptr<grpc::Channel>& channel) {
            crm::v1::RecordInputsRequest probe;
            probe.set_request_id("rebuild-probe-tiering");
            probe.set_customer_id(customer_ids.front());
            probe.set_fiscal_year(2026);
            crm::v1::FactorInput& input = *probe.add_inputs();
            input.set_factor_id("strategic_fit");
            input.set_value(3);
            auto [status, reply] = Call(*crm::v1::TieringService::NewStub(channel),
                                        &TieringStub::RecordInputs, probe, "admin");
            EXPECT_TRUE(status.ok()) << status.error_message();
            return reply.SerializeAsString();
          },
      .environment = {{"CRM_REGISTRY_ADDR", system.process(0).address()}},
      .events_at_least = 300,  // a run's results are a part per thousand customers
      .projections = {customers::kKnownCustomersTable, customers::kTierPoliciesInForceTable,
                      tiering::kSignals}};
  ExpectRebuiltTheSame(system, tiering, dir);

  const RebuiltService registry = {
      .index = 0,
      .binary = CRM_REGISTRY_PATH,
      .tables = {registry::kNameIndexTable, registry::kExternalIdIndexTable,
                 registry::kCustomerListTable, registry::kKeyDateTable, registry::kProfileTable},
      .answers =
          [](const std::shared_ptr<grpc::Channel>& channel) {
            return RegistryAnswers(*crm::v1::RegistryService::NewStub(channel));
          },
      .probe =
          [](const std::shared_ptr<grpc::Channel>& channel) {
            crm::v1::RegisterCustomerRequest probe;
            probe.set_request_id("rebuild-probe-registry");
            probe.mutable_summary()->set_legal_name("Probe Networks AG");
            probe.mutable_summary()->set_region("emea");
            probe.mutable_summary()->set_country_code("CH");
            probe.mutable_summary()->set_industry("telecom operator");
            probe.mutable_summary()->set_owner_id("u-alice");
            auto [status, reply] = Call(*crm::v1::RegistryService::NewStub(channel),
                                        &RegistryStub::RegisterCustomer, probe, "admin");
            EXPECT_TRUE(status.ok()) << status.error_message();
            return reply.SerializeAsString();
          },
      // The key vault: keys are not events, it has a backup of its own.
      .restored = {"keys"}};
  ExpectRebuiltTheSame(system, registry, dir);
}

}  // namespace
}  // namespace crm::e2e
