// The services under gRPC load against a bare gRPC echo server in the same process, same
// server and same run, each RPC at 1, 16 and 64 outstanding calls, with throughput as a
// ratio to echo and p50/p99 latency:
//   registry:   RegisterCustomer and UpdateSection (durable writes: WAL synced),
//               GetCustomer and ListCustomers (reads);
//   engagement: LogTouchpoint (durable write) and GetCoverage of a customer with 200 key
//               persons and 10,000 touchpoints;
//   satisfaction: RecordResponse (durable write; each replaces the person's earlier
//               answer, the costlier path: its counts are taken out and the new ones added)
//               and GetNps of the region over twelve months.
//
// One gRPC server hosts all services (the echo handler answers with its input), so all pay
// the same transport; clients are blocking calls from N threads over one channel. Each run
// of an RPC follows a run of echo, and its ratio is the median of those pairs' ratios, so
// that the machine's drift over the minutes a benchmark takes cancels out. The
// outbox relays are not running (relay_bench measures them); events wait in the outboxes.
// Engagement's and satisfaction's projections of registry customers are seeded from the
// registry's answers, as their consumers would have written them.
//
//   build/bench/grpc_load_bench [--seconds=2] [--runs=3] [--dir=/tmp] [--customers=1000]
//                               [--only=GetCoverage,LogTouchpoint,RecordResponse,GetNps]
//                               [--calls=1,16,64] [--min_pollers=N --max_pollers=M]
//
// The server's handler threads are sized as the services size them (SizeHandlerThreads);
// --max_pollers overrides the gRPC sync server's poller bounds, to study how handler
// threads that block on a WAL sync are kept or churned (gRPC's own default is 1 and 2).
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crm/calendar/calendar.h"
#include "crm/crypto/key_vault.h"
#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/server_threads.h"
#include "crm/testing/v1/testing.grpc.pb.h"
#include "crm/v1/engagement.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "engagement_service.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "registry_service.h"
#include "satisfaction_service.h"
#include "support/echo_service.h"
#include "support/harness.h"
#include "support/registry_calls.h"

namespace {

using crm::bench::BareEcho;
using crm::bench::Check;
using crm::bench::MedianOf;
using crm::bench::OrDie;
using crm::bench::Register;
using crm::bench::RunConcurrent;
using crm::bench::RunResult;
using RegistryStub = crm::v1::RegistryService::Stub;
using EngagementStub = crm::v1::EngagementService::Stub;
using SatisfactionStub = crm::v1::SatisfactionService::Stub;

constexpr int kCoveragePersons = 200;
constexpr int kCoverageTouchpoints = 10000;

// The key person every seeded customer has in the projections: the registry's customers
// here have none, and a survey response needs one.
constexpr char kBenchPerson[] = "kp-bench";

// Writes a service's known-customer row of each customer as the registry answers it.
void SeedKnownCustomers(RegistryStub& registry, crm::eventstore::EventStore& service_store,
                        const std::vector<std::string>& ids) {
  crm::eventstore::AppendRequest seed{.stream_id = "bench-seed"};
  for (const std::string& id : ids) {
    grpc::ClientContext context;
    crm::v1::GetCustomerRequest request;
    request.set_customer_id(id);
    request.add_parts(crm::v1::ARCHIVE_PART_KEY_PERSONS);
    crm::v1::GetCustomerResponse response;
    Check(registry.GetCustomer(&context, request, &response), "GetCustomer");
    crm::internal::KnownCustomer known =
        crm::customers::KnownCustomerOf(response.customer(), crm::v1::TIER_A);
    known.add_persons()->set_person_id(kBenchPerson);
    seed.rows.push_back(
        {std::string(crm::customers::kKnownCustomersTable), id, known.SerializeAsString()});
  }
  OrDie(service_store.Append(std::move(seed)), "seeding known customers");
}

crm::v1::LogTouchpointRequest TouchpointOn(const std::string& customer_id, int day_offset,
                                           std::vector<std::string> persons) {
  crm::v1::LogTouchpointRequest request;
  request.set_customer_id(customer_id);
  crm::v1::TouchpointFacts& facts = *request.mutable_facts();
  facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
  facts.set_layer(crm::v1::RelationshipLayer(1 + day_offset % 3));
  const absl::CivilDay day = absl::CivilDay(2026, 11, 1) - day_offset % 700;
  facts.mutable_date()->set_year(static_cast<int32_t>(day.year()));
  facts.mutable_date()->set_month(day.month());
  facts.mutable_date()->set_day(day.day());
  for (std::string& person : persons) facts.add_person_ids(std::move(person));
  crm::v1::EmployeePresence& employee = *facts.add_employees();
  employee.set_employee_id(absl::StrCat("u-", day_offset % 50));
  employee.set_role("account_manager");
  facts.set_outcome("discussed the roadmap");
  return request;
}

// A customer with 200 key persons and 10,000 touchpoints, each with three persons, spread
// over two years and the three layers; logged from 16 threads.
std::string SeedCoverageCustomer(RegistryStub& registry, EngagementStub& engagement,
                                 crm::eventstore::EventStore& engagement_store) {
  const std::string id = Register(registry, "coverage-customer", "Coverage Customer");
  std::vector<std::string> persons;
  for (int i = 0; i < kCoveragePersons; ++i) {
    grpc::ClientContext context;
    crm::v1::AddKeyPersonRequest request;
    request.set_request_id(absl::StrCat("coverage-person-", i));
    request.set_customer_id(id);
    request.mutable_person()->set_name(absl::StrCat("Person ", i));
    request.mutable_person()->set_influence(1 + i % 5);
    request.mutable_person()->set_role(crm::v1::DecisionRole(1 + i % 5));
    request.mutable_person()->set_stance(crm::v1::Stance(1 + i % 3));
    crm::v1::AddKeyPersonResponse response;
    Check(registry.AddKeyPerson(&context, request, &response), "AddKeyPerson");
    persons.push_back(response.person_id());
  }
  SeedKnownCustomers(registry, engagement_store, {id});
  std::atomic<int> next{0};
  std::vector<std::thread> loggers;
  for (int t = 0; t < 16; ++t) {
    loggers.emplace_back([&] {
      for (int n = next.fetch_add(1); n < kCoverageTouchpoints; n = next.fetch_add(1)) {
        crm::v1::LogTouchpointRequest request =
            TouchpointOn(id, n,
                         {persons[n % kCoveragePersons], persons[(n * 7 + 1) % kCoveragePersons],
                          persons[(n * 13 + 2) % kCoveragePersons]});
        request.set_request_id(absl::StrCat("coverage-touchpoint-", n));
        grpc::ClientContext context;
        crm::v1::LogTouchpointResponse response;
        Check(engagement.LogTouchpoint(&context, request, &response), "LogTouchpoint");
      }
    });
  }
  for (auto& logger : loggers) logger.join();
  return id;
}

// A survey of every customer, open from a month ago for a year.
std::string CreateSurvey(SatisfactionStub& satisfaction, const std::vector<std::string>& ids) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  crm::v1::CreateSurveyRequest request;
  request.set_request_id("bench-survey");
  request.set_title("Relationship survey");
  request.set_kind(crm::v1::SURVEY_KIND_RELATIONSHIP);
  for (const std::string& id : ids) request.add_customer_ids(id);
  *request.mutable_opens_on() = crm::CalendarDateOf(today - 30);
  *request.mutable_closes_on() = crm::CalendarDateOf(today + 365);
  grpc::ClientContext context;
  crm::v1::CreateSurveyResponse response;
  Check(satisfaction.CreateSurvey(&context, request, &response), "CreateSurvey");
  return response.survey().survey_id();
}

}  // namespace

int main(int argc, char** argv) {
  crm::runtime::SkipMutexDeadlockDetection();  // as the service processes do
  const crm::bench::Flags flags(argc, argv);
  const int seconds = flags.Int("seconds", 2);
  const int runs = flags.Int("runs", 3);
  const int customers = flags.Int("customers", 1000);
  const std::string only = flags.String("only", "");
  std::vector<int> calls;
  for (const std::string& n :
       std::vector<std::string>(absl::StrSplit(flags.String("calls", "1,16,64"), ','))) {
    calls.push_back(std::stoi(n));
  }
  const std::set<std::string> selected = absl::StrSplit(only, ',', absl::SkipEmpty());
  const std::string dir = absl::StrCat(flags.String("dir", "/tmp"), "/crm-bench-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  auto registry_store =
      OrDie(crm::eventstore::EventStore::Open({.path = dir + "/registry", .sync = true}),
            "registry store");
  auto vault = OrDie(crm::crypto::KeyVault::Open({.path = dir + "/registry/keys"}), "key vault");
  auto engagement_store =
      OrDie(crm::eventstore::EventStore::Open({.path = dir + "/engagement", .sync = true}),
            "engagement store");
  crm::registry::RegistryService registry(*registry_store, *vault,
                                          {.topic = "crm.registry.events.v1"});
  // No registry to ask: every customer the bench uses is seeded into the projection.
  const crm::customers::CustomerDirectory directory(*engagement_store, nullptr, "bench");
  crm::engagement::EngagementService engagement(*engagement_store, directory,
                                                {.topic = "crm.engagement.events.v1"});
  auto satisfaction_store =
      OrDie(crm::eventstore::EventStore::Open({.path = dir + "/satisfaction", .sync = true}),
            "satisfaction store");
  const crm::customers::CustomerDirectory satisfaction_directory(*satisfaction_store, nullptr,
                                                                 "bench");
  crm::satisfaction::SatisfactionService satisfaction(*satisfaction_store, satisfaction_directory,
                                                      {.topic = "crm.satisfaction.events.v1"});
  BareEcho echo;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  crm::runtime::SizeHandlerThreads(builder);
  if (flags.Int("max_pollers", 0) > 0) {
    builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS,
                                flags.Int("min_pollers", 1));
    builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                                flags.Int("max_pollers", 2));
  }
  builder.RegisterService(&registry);
  builder.RegisterService(&engagement);
  builder.RegisterService(&satisfaction);
  builder.RegisterService(&echo);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto registry_stub = crm::v1::RegistryService::NewStub(channel);
  auto engagement_stub = crm::v1::EngagementService::NewStub(channel);
  auto satisfaction_stub = crm::v1::SatisfactionService::NewStub(channel);
  auto echo_stub = crm::testing::v1::EchoService::NewStub(channel);

  // The customers that updates, reads and touchpoints pick from.
  std::vector<std::string> ids;
  for (int i = 0; i < customers; ++i) {
    ids.push_back(Register(*registry_stub, absl::StrCat("seed-", i), absl::StrCat("Seed ", i)));
  }
  const bool wants_coverage = selected.empty() || selected.contains("GetCoverage");
  const std::string coverage_customer =
      wants_coverage ? SeedCoverageCustomer(*registry_stub, *engagement_stub, *engagement_store)
                     : "";
  SeedKnownCustomers(*registry_stub, *engagement_store, ids);
  SeedKnownCustomers(*registry_stub, *satisfaction_store, ids);
  const std::string survey = CreateSurvey(*satisfaction_stub, ids);

  std::atomic<uint64_t> sequence{0};
  const std::string note(200, 'n');
  const std::vector<std::pair<std::string, std::function<void(int, uint64_t)>>> ops = {
      {"echo",
       [&](int, uint64_t) {
         grpc::ClientContext context;
         crm::testing::v1::EchoRequest request;
         request.set_message(note);
         crm::testing::v1::EchoResponse response;
         Check(echo_stub->Echo(&context, request, &response), "Echo");
       }},
      {"RegisterCustomer",
       [&](int, uint64_t) {
         const uint64_t n = sequence.fetch_add(1);
         Register(*registry_stub, absl::StrCat("register-", n), absl::StrCat("Load ", n));
       }},
      {"UpdateSection",
       [&](int thread, uint64_t i) {
         const uint64_t n = sequence.fetch_add(1);
         grpc::ClientContext context;
         crm::v1::UpdateSectionRequest request;
         request.set_request_id(absl::StrCat("update-", n));
         // Each thread updates customers of its own, as account teams do.
         request.set_customer_id(ids[(thread * 97 + i) % ids.size()]);
         request.mutable_update()->set_notes(absl::StrCat(note, n));
         crm::v1::UpdateSectionResponse response;
         Check(registry_stub->UpdateSection(&context, request, &response), "UpdateSection");
       }},
      {"GetCustomer",
       [&](int thread, uint64_t i) {
         grpc::ClientContext context;
         crm::v1::GetCustomerRequest request;
         request.set_customer_id(ids[(thread * 97 + i) % ids.size()]);
         crm::v1::GetCustomerResponse response;
         Check(registry_stub->GetCustomer(&context, request, &response), "GetCustomer");
       }},
      {"ListCustomers",
       [&](int, uint64_t) {
         grpc::ClientContext context;
         crm::v1::ListCustomersRequest request;
         request.set_region("emea");
         request.mutable_page()->set_page_size(20);
         crm::v1::ListCustomersResponse response;
         Check(registry_stub->ListCustomers(&context, request, &response), "ListCustomers");
       }},
      {"LogTouchpoint",
       [&](int thread, uint64_t i) {
         const uint64_t n = sequence.fetch_add(1);
         crm::v1::LogTouchpointRequest request =
             TouchpointOn(ids[(thread * 97 + i) % ids.size()], static_cast<int>(n % 700), {});
         request.set_request_id(absl::StrCat("touchpoint-", n));
         grpc::ClientContext context;
         crm::v1::LogTouchpointResponse response;
         Check(engagement_stub->LogTouchpoint(&context, request, &response), "LogTouchpoint");
       }},
      {"GetCoverage",
       [&](int, uint64_t) {
         grpc::ClientContext context;
         crm::v1::GetCoverageRequest request;
         request.set_customer_id(coverage_customer);
         request.set_window_days(90);
         crm::v1::GetCoverageResponse response;
         Check(engagement_stub->GetCoverage(&context, request, &response), "GetCoverage");
       }},
      {"RecordResponse",
       [&](int thread, uint64_t i) {
         const uint64_t n = sequence.fetch_add(1);
         crm::v1::RecordResponseRequest request;
         request.set_request_id(absl::StrCat("response-", n));
         request.set_survey_id(survey);
         request.set_customer_id(ids[(thread * 97 + i) % ids.size()]);
         request.set_person_id(kBenchPerson);
         request.set_score(static_cast<int32_t>(n % 11));
         request.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
         request.set_replace(true);
         grpc::ClientContext context;
         crm::v1::RecordResponseResponse response;
         Check(satisfaction_stub->RecordResponse(&context, request, &response), "RecordResponse");
       }},
      {"GetNps",
       [&](int, uint64_t) {
         grpc::ClientContext context;
         crm::v1::GetNpsRequest request;
         request.mutable_scope()->set_region("emea");
         crm::v1::GetNpsResponse response;
         Check(satisfaction_stub->GetNps(&context, request, &response), "GetNps");
       }},
  };

  std::printf(
      "%d s per run, median of %d runs, each RPC run paired with an echo run just "
      "before it; %d customers seeded; WAL synced\n\n",
      seconds, runs, customers);
  std::printf("| calls | RPC | calls/s | echo calls/s | ratio to echo | p50 µs | p99 µs |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  std::fflush(stdout);
  const auto& echo_op = ops.front().second;
  for (int outstanding : calls) {
    for (const auto& [name, op] : ops) {
      if (name == "echo" || (!selected.empty() && !selected.contains(name))) continue;
      // Echo runs just before each run of the RPC, so that the machine's drift between
      // runs moves both sides of each ratio alike; the ratio is the median of the pairs'.
      std::vector<RunResult> results;
      std::vector<RunResult> echo_results;
      std::vector<double> ratios;
      for (int run = 0; run < runs; ++run) {
        echo_results.push_back(RunConcurrent(outstanding, std::chrono::seconds(seconds), echo_op));
        results.push_back(RunConcurrent(outstanding, std::chrono::seconds(seconds), op));
        ratios.push_back(results.back().ops_per_second / echo_results.back().ops_per_second);
      }
      const RunResult median = MedianOf(results);
      std::printf("| %d | %s | %.0f | %.0f | %.2f | %.0f | %.0f |\n", outstanding, name.c_str(),
                  median.ops_per_second, MedianOf(echo_results).ops_per_second,
                  crm::bench::Median(ratios), median.p50_us, median.p99_us);
      std::fflush(stdout);
    }
  }
  server->Shutdown();
  (void)registry_store->Close();
  (void)engagement_store->Close();
  (void)satisfaction_store->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
