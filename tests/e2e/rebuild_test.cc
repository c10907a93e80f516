// A service's store rebuilt from its topic, over processes. A demo organisation is loaded;
// the registry is stopped and a new one rebuilds its store from the registry's events
// topic into an empty data directory, with a copy of the key vault (keys are not events).
// A first rebuild is killed (SIGKILL) midway and a second one finishes it. The rebuilt
// registry answers every query as the old one did, answers a retried request with the
// original reply without recording an event, and its store holds the same log, archives
// and read-model rows, table by table.
#include <signal.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "crm/eventstore/event_store.h"
#include "crm/registry/read_models.h"
#include "crmctl_runs.h"
#include "gtest/gtest.h"
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

// What a store holds: its log, every customer's head, every read-model table's rows.
struct StoreContents {
  std::vector<std::string> log;
  std::map<std::string, std::pair<uint64_t, std::string>> heads;
  std::map<std::string, std::map<std::string, std::string>> tables;
};

StoreContents ContentsOf(const std::string& data_dir) {
  StoreContents contents;
  auto store = eventstore::EventStore::Open({.path = data_dir, .service = "registry"});
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return contents;
  EXPECT_TRUE((*store)
                  ->ScanLog(1,
                            [&](uint64_t, std::string_view bytes) {
                              contents.log.emplace_back(bytes);
                              return true;
                            })
                  .ok());
  for (std::string_view table :
       {registry::kNameIndexTable, registry::kExternalIdIndexTable, registry::kCustomerListTable,
        registry::kKeyDateTable, registry::kProfileTable}) {
    auto& rows = contents.tables[std::string(table)];
    EXPECT_TRUE((*store)
                    ->VisitRows(table, "", "",
                                [&](std::string_view key, std::string_view value) {
                                  rows.emplace(key, value);
                                  return true;
                                })
                    .ok());
  }
  for (const auto& [key, value] : contents.tables[std::string(registry::kCustomerListTable)]) {
    crm::v1::CustomerListItem item;
    EXPECT_TRUE(item.ParseFromString(value));
    const std::string stream = "customer-" + item.customer_id();
    auto head = (*store)->LoadHead(stream);
    EXPECT_TRUE(head.ok()) << head.status();
    if (head.ok()) contents.heads[stream] = {head->version, head->state};
  }
  return contents;
}

TEST(Rebuild, TheRegistryRebuiltFromItsTopicIsTheSameRegistry) {
  crm::testing::TempDir dir;
  System system;
  ASSERT_TRUE(system.Serving());
  const CrmctlRun demo = Crmctl(system, {"demo", "--seed=7", "--customers=200", "--parallel=4"});
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  // A request whose retry the rebuilt registry must answer.
  crm::v1::RegisterCustomerRequest probe;
  probe.set_request_id("rebuild-probe-1");
  probe.mutable_summary()->set_legal_name("Probe Networks AG");
  probe.mutable_summary()->set_region("emea");
  probe.mutable_summary()->set_country_code("CH");
  probe.mutable_summary()->set_industry("telecom operator");
  probe.mutable_summary()->set_owner_id("u-alice");
  auto [probe_status, probe_reply] =
      Call(*system.registry, &RegistryStub::RegisterCustomer, probe, "admin");
  ASSERT_TRUE(probe_status.ok()) << probe_status.error_message();

  crm::testing::ServiceUnderTest& original = system.process(0);
  ASSERT_TRUE(crm::testing::WaitFor([&] { return Metric(original, "crm_outbox_depth") == 0; },
                                    absl::Seconds(60)));
  const double events = Metric(original, "crm_event_log_position");
  ASSERT_GT(events, 1000) << "a demo of a few hundred customers";
  const std::vector<std::string> answers = RegistryAnswers(*system.registry);
  original.Terminate();

  // The new volume: empty but for the key vault, restored from its own backup.
  const std::string rebuilt_dir = dir.Sub("rebuilt-registry");
  std::filesystem::create_directories(rebuilt_dir);
  const std::string original_dir = system.data_dir(0);
  std::filesystem::copy(original_dir + "/keys", rebuilt_dir + "/keys",
                        std::filesystem::copy_options::recursive);
  const crm::testing::ServiceUnderTest::Environment environment = {
      {"CRM_KAFKA_BROKERS", system.brokers()},
      {"CRM_TOPIC_PREFIX", system.topic_prefix()},
      {"CRM_REBUILD", "full"},
      // Small batches: the first rebuild is stopped among them.
      {"CRM_REBUILD_BATCH_EVENTS", "5"}};

  // The first rebuild is killed once it has written its first batch.
  {
    crm::testing::ReservedPort port;
    crm::testing::ServiceUnderTest::Environment first = environment;
    first.insert(first.end(), {{"CRM_AUTH", "off"},
                               {"CRM_DATA_DIR", rebuilt_dir},
                               {"CRM_LISTEN", absl::StrCat("127.0.0.1:", port.number())},
                               {"CRM_METRICS_LISTEN", "127.0.0.1:0"}});
    auto rebuild = crm::testing::Subprocess::Start({CRM_REGISTRY_PATH}, first);
    ASSERT_TRUE(rebuild.ok()) << rebuild.status();
    const std::optional<std::string> progress = (*rebuild)->ReadLine(absl::Seconds(60));
    ASSERT_TRUE(progress.has_value());
    ASSERT_TRUE(absl::StartsWith(*progress, "rebuild: ")) << *progress;
    (*rebuild)->Signal(SIGKILL);
    std::string rest;
    while (auto line = (*rebuild)->ReadLine(absl::Seconds(5))) rest += *line + "\n";
    (*rebuild)->Wait();
    ASSERT_EQ(rest.find("rebuild done"), std::string::npos)
        << "the first rebuild ended before it was killed:\n"
        << rest;
  }

  // The second finishes it, then serves.
  crm::testing::ServiceUnderTest rebuilt(CRM_REGISTRY_PATH, rebuilt_dir, environment);
  ASSERT_TRUE(rebuilt.Start().ok());
  ASSERT_GT(rebuilt.metrics_port(), 0) << "the rebuilt registry did not come up";
  auto registry = crm::v1::RegistryService::NewStub(rebuilt.Channel());
  EXPECT_TRUE(RegistryAnswers(*registry) == answers) << "the rebuilt registry answers otherwise";

  // The retried request: the first reply, and no new event.
  auto [retry_status, retry_reply] =
      Call(*registry, &RegistryStub::RegisterCustomer, probe, "admin");
  ASSERT_TRUE(retry_status.ok()) << retry_status.error_message();
  EXPECT_EQ(retry_reply.customer_id(), probe_reply.customer_id());
  EXPECT_EQ(retry_reply.version(), probe_reply.version());
  EXPECT_EQ(Metric(rebuilt, "crm_event_log_position"), events);
  rebuilt.Terminate();

  const StoreContents before = ContentsOf(original_dir);
  const StoreContents after = ContentsOf(rebuilt_dir);
  EXPECT_EQ(after.log.size(), before.log.size());
  EXPECT_TRUE(after.log == before.log) << "the rebuilt log differs";
  EXPECT_EQ(after.heads.size(), before.heads.size());
  EXPECT_TRUE(after.heads == before.heads) << "a rebuilt archive differs";
  for (const auto& [table, rows] : before.tables) {
    EXPECT_EQ(after.tables.at(table).size(), rows.size()) << table;
    EXPECT_TRUE(after.tables.at(table) == rows) << "table " << table << " differs";
  }
}

}  // namespace
}  // namespace crm::e2e
