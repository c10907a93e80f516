// An evaluation run over 1,000,000 customers: every result kept with its explanation (the
// current tier and the history row) and every tier change as an event, on a synced store,
// through a real gRPC call. In the same run, when PostgreSQL is installed, the same scores
// and percentile tiers computed by one SQL statement into a table (see pg_tiering.h).
//
// Each run starts from a fresh store seeded with the same synthetic customers (eight
// regions, the ten entered inputs of fiscal year 2026 drawn from a fixed seed), so every
// customer gets its first tier and every result is a change with its event: the most a
// run writes. A second run over the same inputs follows, where no tier changes: every
// result is written, no event. Medians of --runs runs.
//
//   build/bench/evaluation_run_bench [--customers=1000000] [--runs=3] [--dir=/tmp]
#include <unistd.h>

#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/server_threads.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/scoring_model.h"
#include "crm/v1/tiering.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "support/echo_service.h"
#include "support/harness.h"
#include "support/pg_tiering.h"
#include "tiering_service.h"

namespace {

using crm::bench::Check;
using Clock = std::chrono::steady_clock;

constexpr int kRegions = 8;
constexpr int kFiscalYear = 2026;
constexpr size_t kSeedBatch = 20000;

std::string CustomerId(int c) { return absl::StrFormat("cus_%07d", c); }

// The ten entered inputs of every customer, drawn from a fixed seed: the same for our
// store and for PostgreSQL.
std::vector<crm::bench::CustomerInputRow> SyntheticInputs(const crm::v1::ScoringModel& model,
                                                          int customers) {
  std::mt19937_64 random(20261123);
  std::vector<crm::bench::CustomerInputRow> rows(customers);
  for (int c = 0; c < customers; ++c) {
    rows[c].customer_id = CustomerId(c);
    rows[c].region = absl::StrCat("region-", c % kRegions);
    for (const crm::v1::Factor& factor : model.factors()) {
      // Derived factors come from other services' events, which this population has none
      // of: they are missing and score the lowest level.
      if (factor.factor_id() == "loyalty" || factor.factor_id() == "relationship_length" ||
          factor.factor_id() == "relationship_depth") {
        rows[c].values.push_back(std::nullopt);
        continue;
      }
      // Spread over the factor's levels: up to 1.5 times its top level's threshold.
      const double top = factor.levels(factor.levels_size() - 1).min_input();
      const double low = factor.levels(0).min_input();
      std::uniform_real_distribution<double> value(low, low + 1.5 * (top - low));
      rows[c].values.push_back(std::round(value(random) * 10) / 10);
    }
  }
  return rows;
}

// The projection's and the inputs' rows, as the registry's events and RecordInputs would
// have written them.
void Seed(crm::eventstore::EventStore& store, const crm::v1::ScoringModel& model,
          const std::vector<crm::bench::CustomerInputRow>& rows) {
  crm::eventstore::AppendRequest batch{.stream_id = "bench-seed"};
  auto flush = [&] {
    if (absl::Status written = store.Append(std::move(batch)).status(); !written.ok()) {
      std::fprintf(stderr, "seeding failed: %s\n", written.ToString().c_str());
      std::abort();
    }
    batch = crm::eventstore::AppendRequest{.stream_id = "bench-seed"};
  };
  for (const crm::bench::CustomerInputRow& row : rows) {
    crm::internal::KnownCustomer known;
    known.set_customer_id(row.customer_id);
    known.set_registered(true);
    known.set_region(row.region);
    known.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
    batch.rows.push_back({std::string(crm::customers::kKnownCustomersTable), row.customer_id,
                          known.SerializeAsString()});
    crm::v1::CustomerInputs inputs;
    inputs.set_customer_id(row.customer_id);
    inputs.set_fiscal_year(kFiscalYear);
    for (int f = 0; f < model.factors_size(); ++f) {
      if (!row.values[f]) continue;
      crm::v1::FactorInput& input = *inputs.add_inputs();
      input.set_factor_id(model.factors(f).factor_id());
      input.set_value(*row.values[f]);
      input.set_source(crm::v1::INPUT_SOURCE_ENTERED);
    }
    batch.rows.push_back({std::string(crm::tiering::kInputs),
                          crm::tiering::InputsKey(kFiscalYear, row.customer_id),
                          inputs.SerializeAsString()});
    if (batch.rows.size() >= kSeedBatch) flush();
  }
  flush();
}

struct OurRun {
  // The first run, where every customer gets its first tier, and a second over the same
  // inputs, where none changes.
  double first_seconds = 0;
  double again_seconds = 0;
  crm::v1::EvaluationRun first;
  crm::v1::EvaluationRun again;
};

// One run on a fresh store: seeds it (not timed), then times RunEvaluation over gRPC.
OurRun RunOnFreshStore(const std::string& dir, const crm::v1::ScoringModel& model,
                       const std::vector<crm::bench::CustomerInputRow>& rows, int n) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = crm::eventstore::EventStore::Open({.path = dir, .sync = true});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    std::abort();
  }
  Seed(**store, model, rows);
  const crm::customers::CustomerDirectory directory(**store, nullptr, "bench");
  crm::tiering::TieringService service(**store, directory, {.topic = "crm.tiering.events.v1"});
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(64 << 20);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = crm::v1::TieringService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));

  auto timed_run = [&](const std::string& run_id, double& seconds, crm::v1::EvaluationRun& run) {
    grpc::ClientContext context;
    context.AddMetadata(crm::runtime::kRoleHeader, "admin");
    crm::v1::RunEvaluationRequest request;
    request.set_request_id(run_id);
    request.set_run_id(run_id);
    request.set_fiscal_year(kFiscalYear);
    crm::v1::RunEvaluationResponse response;
    const auto start = Clock::now();
    Check(stub->RunEvaluation(&context, request, &response), "RunEvaluation");
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    run = response.run();
  };
  OurRun result;
  timed_run(absl::StrCat("bench-", n), result.first_seconds, result.first);
  timed_run(absl::StrCat("bench-", n, "-again"), result.again_seconds, result.again);
  server->Shutdown();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  crm::runtime::SkipMutexDeadlockDetection();  // as the service processes do
  const crm::bench::Flags flags(argc, argv);
  const int customers = flags.Int("customers", 1000000);
  const int runs = flags.Int("runs", 3);
  const std::string dir =
      absl::StrCat(flags.String("dir", "/tmp"), "/crm-tiering-bench-", getpid());
  const crm::v1::ScoringModel model = crm::tiering::DefaultModel();
  const std::vector<crm::bench::CustomerInputRow> rows = SyntheticInputs(model, customers);

  std::vector<double> firsts, agains;
  OurRun last;
  for (int n = 0; n < runs; ++n) {
    last = RunOnFreshStore(absl::StrCat(dir, "/store"), model, rows, n);
    std::printf("run %d: %.2f s, again %.2f s\n", n + 1, last.first_seconds, last.again_seconds);
    firsts.push_back(last.first_seconds);
    agains.push_back(last.again_seconds);
  }
  std::filesystem::remove_all(absl::StrCat(dir, "/store"));

  std::optional<crm::bench::PgResult> pg;
  std::vector<double> pg_seconds;
  {
    crm::bench::PgTiering postgres(absl::StrCat(dir, "/pg"));
    if (postgres.Available()) {
      postgres.Load(model, rows);
      for (int n = 0; n < runs; ++n) {
        pg = postgres.Run(model);
        std::printf("postgres run %d: %.2f s\n", n + 1, pg->seconds);
        pg_seconds.push_back(pg->seconds);
      }
    }
  }  // the cluster stops here
  std::filesystem::remove_all(dir);

  std::printf("\n%d customers, default model (shares 5/20/30/45), median of %d runs\n", customers,
              runs);
  std::printf(
      "| | median s | changed (events) | S | A | B | C | ratio to PostgreSQL |\n"
      "|---|---|---|---|---|---|---|---|\n");
  const double pg_median = pg ? crm::bench::Median(pg_seconds) : 0;
  auto row = [&](const char* what, double seconds, const crm::v1::EvaluationRun& run) {
    std::printf("| %s | %.2f | %lld | %lld | %lld | %lld | %lld | %s |\n", what, seconds,
                static_cast<long long>(run.changed()), static_cast<long long>(run.tier_s()),
                static_cast<long long>(run.tier_a()), static_cast<long long>(run.tier_b()),
                static_cast<long long>(run.tier_c()),
                pg ? absl::StrFormat("%.2f", seconds / pg_median).c_str() : "no PostgreSQL");
  };
  row("RunEvaluation, first tiers (synced)", crm::bench::Median(firsts), last.first);
  row("RunEvaluation again, no tier changes (synced)", crm::bench::Median(agains), last.again);
  if (pg) {
    std::printf(
        "| PostgreSQL, one statement into a table | %.2f | – | %lld | %lld | %lld | %lld "
        "| 1.00 |\n",
        pg_median, pg->tier_s, pg->tier_a, pg->tier_b, pg->tier_c);
  }
  return 0;
}
