// crm-engagement as a process killed with SIGKILL: every touchpoint it acknowledged is
// there after a restart on the same data directory, counted once, and reaches the topic.
#include <set>

#include "engagement_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/call_as.h"
#include "support/service_under_test.h"
#include "support/wait.h"
#include "topic_reader.h"

namespace crm::engagement::testing {
namespace {

class EngagementProcess {
 public:
  EngagementProcess(const RegistryHarness& registry, std::string data_dir)
      : process_(CRM_ENGAGEMENT_PATH, std::move(data_dir),
                 {{"CRM_KAFKA_BROKERS", registry.brokers()},
                  {"CRM_TOPIC_PREFIX", registry.topic_prefix()},
                  {"CRM_REGISTRY_ADDR", registry.address()},
                  {"CRM_KAFKA_CONFIG", "session.timeout.ms=3000,heartbeat.interval.ms=500"}}),
        stub_(crm::v1::EngagementService::NewStub(process_.Channel())) {}

  void Start() { ASSERT_TRUE(process_.Start().ok()); }
  void Kill() { process_.Kill(); }

  template <class Request, class Response>
  std::pair<grpc::Status, Response> Call(
      grpc::Status (EngagementStub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request) {
    return crm::testing::CallAs(*stub_, method, request, "account_manager", "u-alice");
  }

 private:
  crm::testing::ServiceUnderTest process_;
  std::unique_ptr<EngagementStub> stub_;
};

TEST(EngagementCrash, AcknowledgedTouchpointsSurviveSigkill) {
  RegistryHarness registry;
  const std::string customer = RegisterCustomer(registry, "Crash Proof SE");
  const std::string person =
      AddPerson(registry, customer, "Kai", crm::v1::DECISION_ROLE_DECISION_MAKER, 4);
  crm::testing::TempDir dir;
  EngagementProcess engagement(registry, dir.Sub("engagement"));
  engagement.Start();

  // The real clock: touchpoints are dated yesterday, so that they are never in the future.
  const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1;
  const crm::v1::CalendarDate date =
      Date(static_cast<int>(yesterday.year()), yesterday.month(), yesterday.day());
  std::set<std::string> acknowledged;
  ASSERT_TRUE(crm::testing::WaitFor([&] {  // until the process serves
    auto [status, reply] =
        engagement.Call(&EngagementStub::LogTouchpoint, Touchpoint(customer, date, {person}));
    if (status.ok()) acknowledged.insert(reply.touchpoint().touchpoint_id());
    return status.ok();
  }));
  for (int i = 0; i < 19; ++i) {
    auto [status, reply] =
        engagement.Call(&EngagementStub::LogTouchpoint, Touchpoint(customer, date, {person}));
    ASSERT_TRUE(status.ok()) << status.error_message();
    acknowledged.insert(reply.touchpoint().touchpoint_id());
  }
  engagement.Kill();
  engagement.Start();

  crm::v1::ListTouchpointsRequest list;
  list.set_customer_id(customer);
  crm::v1::ListTouchpointsResponse listed;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] = engagement.Call(&EngagementStub::ListTouchpoints, list);
    listed = reply;
    return status.ok();
  }));
  std::set<std::string> stored;
  for (const auto& touchpoint : listed.touchpoints()) stored.insert(touchpoint.touchpoint_id());
  EXPECT_EQ(stored, acknowledged);

  crm::v1::GetQuotaReportRequest report;
  *report.mutable_week_of() = date;
  auto [reported, week] = engagement.Call(&EngagementStub::GetQuotaReport, report);
  ASSERT_EQ(week.employees_size(), 1);
  EXPECT_EQ(week.employees(0).touchpoints(), 20);

  std::set<std::string> published;
  for (const auto& record : kafka::testing::ReadTopic(
           registry.brokers(), kafka::EventTopic(registry.topic_prefix(), "engagement"), 20)) {
    crm::v1::TouchpointLogged event;
    ASSERT_TRUE(event.ParseFromString(record.value));
    published.insert(event.touchpoint().touchpoint_id());
  }
  EXPECT_EQ(published, acknowledged);
}

}  // namespace
}  // namespace crm::engagement::testing
