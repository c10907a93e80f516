// crm-tiering as a process killed with SIGKILL in the middle of an evaluation run: asked
// again after a restart on the same data directory, the run finishes where it stopped,
// every customer has exactly one result of the run, and exactly one tier change per
// customer reaches the topic.
#include <set>
#include <thread>

#include "absl/strings/str_format.h"
#include "crm/customers/known_customers.h"
#include "crm/eventstore/event_store.h"
#include "crm/kafka/cloud_events.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "support/call_as.h"
#include "support/service_under_test.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "tables.h"
#include "tiering_harness.h"
#include "topic_reader.h"

namespace crm::tiering::testing {
namespace {

// Enough customers for a run of several chunks (5000 each).
constexpr int kCustomers = 30000;

std::string CustomerId(int c) { return absl::StrFormat("cus_%06d", c); }

// The rows the registry's events and RecordInputs would have left: known customers, each
// with a revenue for 2026.
void SeedStore(const std::string& path) {
  auto store = eventstore::EventStore::Open({.path = path, .sync = false});
  ASSERT_TRUE(store.ok()) << store.status();
  eventstore::AppendRequest seed{.stream_id = "test-seed"};
  for (int c = 0; c < kCustomers; ++c) {
    crm::internal::KnownCustomer known;
    known.set_customer_id(CustomerId(c));
    known.set_registered(true);
    known.set_region("emea");
    known.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
    seed.rows.push_back({std::string(customers::kKnownCustomersTable), known.customer_id(),
                         known.SerializeAsString()});
    crm::v1::CustomerInputs inputs;
    inputs.set_customer_id(known.customer_id());
    inputs.set_fiscal_year(2026);
    *inputs.add_inputs() = InputOf("last_year_revenue", c % 400);
    seed.rows.push_back(
        {std::string(kInputs), InputsKey(2026, known.customer_id()), inputs.SerializeAsString()});
  }
  ASSERT_TRUE((*store)->Append(std::move(seed)).ok());
}

class TieringProcess {
 public:
  TieringProcess(const RegistryHarness& registry, std::string data_dir)
      : process_(CRM_TIERING_PATH, std::move(data_dir),
                 {{"CRM_KAFKA_BROKERS", registry.brokers()},
                  {"CRM_TOPIC_PREFIX", registry.topic_prefix()},
                  {"CRM_REGISTRY_ADDR", registry.address()},
                  {"CRM_KAFKA_CONFIG", "session.timeout.ms=3000,heartbeat.interval.ms=500"}}),
        stub_(crm::v1::TieringService::NewStub(process_.Channel())) {}

  void Start() { ASSERT_TRUE(process_.Start().ok()); }
  void Kill() { process_.Kill(); }

  // Events the process appended since it started; -1 while its metrics do not answer.
  double EventsAppended() {
    httplib::Client http("127.0.0.1", process_.metrics_port());
    auto response = http.Get("/metrics");
    if (!response || response->status != 200) return -1;
    const std::string& text = response->body;
    const size_t at = text.find("\ncrm_events_appended_total ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + std::strlen("\ncrm_events_appended_total ")));
  }

  std::pair<grpc::Status, crm::v1::RunEvaluationResponse> Run() {
    crm::v1::RunEvaluationRequest request;
    request.set_request_id(NewUuid());
    request.set_run_id("fy26-all");
    request.set_fiscal_year(2026);
    return crm::testing::CallAs(*stub_, &TieringStub::RunEvaluation, request, "admin", "u-ada");
  }

  template <class Request, class Response>
  std::pair<grpc::Status, Response> Call(grpc::Status (TieringStub::*method)(grpc::ClientContext*,
                                                                             const Request&,
                                                                             Response*),
                                         const Request& request) {
    return crm::testing::CallAs(*stub_, method, request, "account_manager", "u-alice");
  }

 private:
  crm::testing::ServiceUnderTest process_;
  std::unique_ptr<TieringStub> stub_;
};

TEST(TieringCrash, ARunKilledMidwayFinishesWhenAskedAgainWithEveryResultOnce) {
  RegistryHarness registry;
  crm::testing::TempDir dir;
  SeedStore(dir.Sub("tiering"));
  TieringProcess tiering(registry, dir.Sub("tiering"));
  tiering.Start();
  ASSERT_TRUE(crm::testing::WaitFor([&] {  // until the process serves
    return tiering.Call(&TieringStub::GetModel, crm::v1::GetModelRequest()).first.ok();
  }));

  // The run goes on in the background; it is killed once its first chunk is written.
  std::jthread first_ask([&] { tiering.Run(); });
  bool killed_midway = false;
  ASSERT_TRUE(crm::testing::WaitFor(
      [&] {
        const double appended = tiering.EventsAppended();
        killed_midway = appended > 0 && appended < kCustomers;
        return appended > 0;
      },
      absl::Seconds(60)));
  tiering.Kill();
  // On a machine fast enough to finish before the kill, the rest still holds; say so.
  if (!killed_midway) std::printf("note: the run completed before it could be killed\n");

  tiering.Start();
  crm::v1::RunEvaluationResponse finished;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto [status, reply] = tiering.Run();
    finished = reply;
    return status.ok();
  }));
  EXPECT_EQ(finished.run().customers(), kCustomers);
  EXPECT_EQ(finished.run().changed(), kCustomers);
  EXPECT_EQ(finished.run().tier_s() + finished.run().tier_a() + finished.run().tier_b() +
                finished.run().tier_c(),
            kCustomers);

  // One result of the run for customers on either side of where it stopped.
  for (int c : {0, kCustomers / 2, kCustomers - 1}) {
    crm::v1::ListTierHistoryRequest history;
    history.set_customer_id(CustomerId(c));
    auto [listed, entries] = tiering.Call(&TieringStub::ListTierHistory, history);
    ASSERT_TRUE(listed.ok()) << listed.error_message();
    ASSERT_EQ(entries.entries_size(), 1) << CustomerId(c);
    EXPECT_EQ(entries.entries(0).run_id(), "fy26-all");
  }

  // Every customer's change on the topic, once; then the run's completion.
  std::set<std::string> changed;
  size_t changes = 0;
  for (const auto& record : kafka::testing::ReadTopic(
           registry.brokers(), kafka::EventTopic(registry.topic_prefix(), "tiering"),
           kCustomers + 1, absl::Seconds(60))) {
    if (record.headers.at("ce_type") != "crm.v1.CustomerTierChanged") continue;
    ++changes;
    changed.insert(record.key);
  }
  EXPECT_EQ(changes, static_cast<size_t>(kCustomers));
  EXPECT_EQ(changed.size(), static_cast<size_t>(kCustomers));
}

}  // namespace
}  // namespace crm::tiering::testing
