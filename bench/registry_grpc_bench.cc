// The registry under gRPC load against a bare gRPC echo server in the same process, same
// server and same run: RegisterCustomer and UpdateSection (durable writes: WAL synced),
// GetCustomer and ListCustomers (reads), each at 1, 16 and 64 outstanding calls, with
// throughput as a ratio to echo and p50/p99 latency.
//
// One gRPC server hosts both services (the echo handler answers with its input), so both
// pay the same transport; clients are blocking calls from N threads over one channel.
// The outbox relay is not running (it is measured by relay_bench); events wait in the
// outbox.
//
//   build/bench/registry_grpc_bench [--seconds=2] [--runs=3] [--dir=/tmp] [--customers=1000]
//                                   [--min_pollers=N --max_pollers=M]
//
// The server's handler threads are sized as the services size them (SizeHandlerThreads);
// --max_pollers overrides the gRPC sync server's poller bounds, to study how handler
// threads that block on a WAL sync are kept or churned (gRPC's own default is 1 and 2).
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "crm/crypto/key_vault.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/server_threads.h"
#include "crm/testing/v1/testing.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "registry_service.h"
#include "support/harness.h"

namespace {

using crm::bench::MedianOf;
using crm::bench::RunConcurrent;
using crm::bench::RunResult;

class BareEcho final : public crm::testing::v1::EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const crm::testing::v1::EchoRequest* request,
                    crm::testing::v1::EchoResponse* response) override {
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

crm::v1::CustomerSummary SummaryOf(const std::string& name) {
  crm::v1::CustomerSummary summary;
  summary.set_legal_name(name);
  summary.set_region("emea");
  summary.set_country_code("DE");
  summary.set_industry("telecom operator");
  summary.set_owner_id("u-bench");
  return summary;
}

void Check(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, status.error_message().c_str());
    std::abort();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const crm::bench::Flags flags(argc, argv);
  const int seconds = flags.Int("seconds", 2);
  const int runs = flags.Int("runs", 3);
  const int customers = flags.Int("customers", 1000);
  const std::string dir = absl::StrCat(flags.String("dir", "/tmp"), "/crm-bench-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  auto store = crm::eventstore::EventStore::Open({.path = dir + "/registry", .sync = true});
  auto vault = crm::crypto::KeyVault::Open({.path = dir + "/registry/keys"});
  if (!store.ok() || !vault.ok()) {
    std::fprintf(stderr, "cannot open the store in %s\n", dir.c_str());
    return 1;
  }
  crm::registry::RegistryService registry(**store, **vault, {.topic = "crm.registry.events.v1"});
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
  builder.RegisterService(&echo);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto stub = crm::v1::RegistryService::NewStub(channel);
  auto echo_stub = crm::testing::v1::EchoService::NewStub(channel);

  // The customers that updates and reads pick from.
  std::vector<std::string> ids;
  for (int i = 0; i < customers; ++i) {
    grpc::ClientContext context;
    crm::v1::RegisterCustomerRequest request;
    request.set_request_id(absl::StrCat("seed-", i));
    *request.mutable_summary() = SummaryOf(absl::StrCat("Seed Customer ", i));
    crm::v1::RegisterCustomerResponse response;
    Check(stub->RegisterCustomer(&context, request, &response), "seeding");
    ids.push_back(response.customer_id());
  }

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
         grpc::ClientContext context;
         crm::v1::RegisterCustomerRequest request;
         request.set_request_id(absl::StrCat("register-", n));
         *request.mutable_summary() = SummaryOf(absl::StrCat("Load Customer ", n));
         crm::v1::RegisterCustomerResponse response;
         Check(stub->RegisterCustomer(&context, request, &response), "RegisterCustomer");
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
         Check(stub->UpdateSection(&context, request, &response), "UpdateSection");
       }},
      {"GetCustomer",
       [&](int thread, uint64_t i) {
         grpc::ClientContext context;
         crm::v1::GetCustomerRequest request;
         request.set_customer_id(ids[(thread * 97 + i) % ids.size()]);
         crm::v1::GetCustomerResponse response;
         Check(stub->GetCustomer(&context, request, &response), "GetCustomer");
       }},
      {"ListCustomers",
       [&](int, uint64_t) {
         grpc::ClientContext context;
         crm::v1::ListCustomersRequest request;
         request.set_region("emea");
         request.mutable_page()->set_page_size(20);
         crm::v1::ListCustomersResponse response;
         Check(stub->ListCustomers(&context, request, &response), "ListCustomers");
       }},
  };

  std::printf("%d s per run, median of %d runs; %d customers seeded; WAL synced\n\n", seconds, runs,
              customers);
  std::printf("| calls | RPC | calls/s | ratio to echo | p50 µs | p99 µs |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (int outstanding : {1, 16, 64}) {
    double echo_rate = 0;
    for (const auto& [name, op] : ops) {
      std::vector<RunResult> results;
      for (int run = 0; run < runs; ++run) {
        results.push_back(RunConcurrent(outstanding, std::chrono::seconds(seconds), op));
      }
      const RunResult median = MedianOf(results);
      if (name == "echo") echo_rate = median.ops_per_second;
      std::printf("| %d | %s | %.0f | %.2f | %.0f | %.0f |\n", outstanding, name.c_str(),
                  median.ops_per_second, median.ops_per_second / echo_rate, median.p50_us,
                  median.p99_us);
      std::fflush(stdout);
    }
  }
  server->Shutdown();
  (void)(*store)->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
