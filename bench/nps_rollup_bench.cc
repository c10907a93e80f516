// NPS of a region over twelve months when the region holds 1,000,000 responses: the
// roll-up reads one counter row per month, so its time must not grow with the responses.
//
// Responses are recorded through the service's own handler (called in-process, the same
// write path as over gRPC: checks, the customer's stream, the response row, the counters
// of every scope, a follow-up issue for each detractor), spread over twelve months, from
// one survey round per ten thousand customers × ten key persons. The store is not synced
// while seeding (the point is the query). Then GetNps of the region is timed over a real
// gRPC channel, and GetNps of one customer beside it, against a bare echo RPC in the same
// server; medians of --runs runs of --calls calls each.
//
//   build/bench/nps_rollup_bench [--responses=1000000] [--runs=5] [--calls=200] [--dir=/tmp]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "crm/calendar/calendar.h"
#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/server_threads.h"
#include "crm/testing/v1/testing.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "satisfaction_service.h"
#include "support/echo_service.h"
#include "support/harness.h"

namespace {

using crm::bench::BareEcho;
using crm::bench::Check;
using Clock = std::chrono::steady_clock;

constexpr int kPersonsPerCustomer = 10;
constexpr int kCustomersPerSurvey = 10000;

std::string CustomerId(int c) { return absl::StrCat("cus_", c); }
std::string PersonId(int c, int p) { return absl::StrCat("kp_", c, "_", p); }

// The projection's rows, as the registry's events would have written them: every
// customer in "emea", each with ten key persons.
void SeedCustomers(crm::eventstore::EventStore& store, int customers) {
  crm::eventstore::AppendRequest seed{.stream_id = "bench-seed"};
  for (int c = 0; c < customers; ++c) {
    crm::internal::KnownCustomer known;
    known.set_customer_id(CustomerId(c));
    known.set_registered(true);
    known.set_region("emea");
    known.set_industry(c % 2 ? "telecom operator" : "utilities");
    for (int p = 0; p < kPersonsPerCustomer; ++p) {
      known.add_persons()->set_person_id(PersonId(c, p));
    }
    seed.rows.push_back({std::string(crm::customers::kKnownCustomersTable), known.customer_id(),
                         known.SerializeAsString()});
  }
  if (!store.Append(std::move(seed)).ok()) std::abort();
}

// Records `responses` responses from as many threads as there are cores.
void SeedResponses(crm::satisfaction::SatisfactionService& service, int customers, int responses,
                   absl::Time now) {
  const absl::CivilDay opens = absl::ToCivilDay(now, absl::UTCTimeZone()) - 360;
  const int rounds =
      (responses + customers * kPersonsPerCustomer - 1) / (customers * kPersonsPerCustomer);
  std::vector<std::string> surveys;
  for (int round = 0; round < rounds; ++round) {
    for (int first = 0; first < customers; first += kCustomersPerSurvey) {
      crm::v1::CreateSurveyRequest request;
      request.set_request_id(absl::StrCat("survey-", round, "-", first));
      request.set_title(absl::StrCat("Round ", round));
      request.set_kind(crm::v1::SURVEY_KIND_RELATIONSHIP);
      for (int c = first; c < std::min(customers, first + kCustomersPerSurvey); ++c) {
        request.add_customer_ids(CustomerId(c));
      }
      *request.mutable_opens_on() = crm::CalendarDateOf(opens);
      *request.mutable_closes_on() = crm::CalendarDateOf(opens + 400);
      grpc::ServerContext context;
      crm::v1::CreateSurveyResponse response;
      Check(service.CreateSurvey(&context, &request, &response), "CreateSurvey");
      surveys.push_back(response.survey().survey_id());
    }
  }
  const int surveys_per_round = static_cast<int>(surveys.size()) / rounds;
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t < cores; ++t) {
    threads.emplace_back([&] {
      for (int n = next.fetch_add(1); n < responses; n = next.fetch_add(1)) {
        const int person = n % kPersonsPerCustomer;
        const int customer = (n / kPersonsPerCustomer) % customers;
        const int round = n / (kPersonsPerCustomer * customers);
        crm::v1::RecordResponseRequest request;
        request.set_request_id(absl::StrCat("response-", n));
        request.set_survey_id(surveys[round * surveys_per_round + customer / kCustomersPerSurvey]);
        request.set_customer_id(CustomerId(customer));
        request.set_person_id(PersonId(customer, person));
        // Mostly promoters and passives, a fifth detractors (each opens a follow-up).
        request.set_score((n * 7) % 10 < 2 ? n % 7 : 7 + n % 4);
        request.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
        *request.mutable_responded_at() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
            absl::ToUnixNanos(now - absl::Hours(24 * (n % 350))));
        grpc::ServerContext context;
        crm::v1::RecordResponseResponse response;
        Check(service.RecordResponse(&context, &request, &response), "RecordResponse");
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

// Median microseconds per call of `calls` calls of `call`, over `runs` runs.
template <class Call>
double MedianMicros(int runs, int calls, Call call) {
  std::vector<double> per_run;
  for (int run = 0; run < runs; ++run) {
    std::vector<double> micros;
    for (int i = 0; i < calls; ++i) {
      const auto start = Clock::now();
      call();
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    per_run.push_back(crm::bench::Median(micros));
  }
  return crm::bench::Median(per_run);
}

}  // namespace

int main(int argc, char** argv) {
  crm::runtime::SkipMutexDeadlockDetection();  // as the service processes do
  const crm::bench::Flags flags(argc, argv);
  const int responses = flags.Int("responses", 1000000);
  const int runs = flags.Int("runs", 5);
  const int calls = flags.Int("calls", 200);
  const int customers = std::max(1, std::min(100000, responses / kPersonsPerCustomer));
  const std::string dir = absl::StrCat(flags.String("dir", "/tmp"), "/crm-nps-bench-", getpid());
  std::filesystem::remove_all(dir);

  auto store = crm::eventstore::EventStore::Open({.path = dir, .sync = false});
  if (!store.ok()) return 1;
  const crm::customers::CustomerDirectory directory(**store, nullptr, "bench");
  crm::satisfaction::SatisfactionService service(**store, directory,
                                                 {.topic = "crm.satisfaction.events.v1"});
  SeedCustomers(**store, customers);
  const auto seed_start = Clock::now();
  SeedResponses(service, customers, responses, absl::Now());
  const double seed_seconds = std::chrono::duration<double>(Clock::now() - seed_start).count();

  BareEcho echo;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&service);
  builder.RegisterService(&echo);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto stub = crm::v1::SatisfactionService::NewStub(channel);
  auto echo_stub = crm::testing::v1::EchoService::NewStub(channel);

  crm::v1::GetNpsResponse region;
  auto nps_of = [&](const crm::v1::NpsScope& scope) {
    grpc::ClientContext context;
    crm::v1::GetNpsRequest request;
    *request.mutable_scope() = scope;
    Check(stub->GetNps(&context, request, &region), "GetNps");
  };
  crm::v1::NpsScope region_scope;
  region_scope.set_region("emea");
  crm::v1::NpsScope customer_scope;
  customer_scope.set_customer_id(CustomerId(0));
  const double echo_us = MedianMicros(runs, calls, [&] {
    grpc::ClientContext context;
    crm::testing::v1::EchoRequest request;
    request.set_message("nps");
    crm::testing::v1::EchoResponse response;
    Check(echo_stub->Echo(&context, request, &response), "Echo");
  });
  const double customer_us = MedianMicros(runs, calls, [&] { nps_of(customer_scope); });
  const double region_us = MedianMicros(runs, calls, [&] { nps_of(region_scope); });

  std::printf("%d responses (%d customers × %d persons) recorded in %.1f s (%.0f/s, unsynced)\n",
              responses, customers, kPersonsPerCustomer, seed_seconds, responses / seed_seconds);
  std::printf("region NPS over 12 months: %lld responses, NPS %.1f ± %.2f\n\n",
              static_cast<long long>(region.summary().responses()), region.summary().nps(),
              region.summary().margin_of_error());
  std::printf("| call | median µs | ratio to echo |\n|---|---|---|\n");
  std::printf("| echo | %.0f | 1.00 |\n", echo_us);
  std::printf("| GetNps, one customer (%d responses) | %.0f | %.2f |\n", responses / customers,
              customer_us, customer_us / echo_us);
  std::printf("| GetNps, region (%d responses) | %.0f | %.2f |\n", responses, region_us,
              region_us / echo_us);
  server->Shutdown();
  (void)(*store)->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
