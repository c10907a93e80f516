// Evaluation runs: score every customer of the population, tier them together, and record
// the results (events in parts, with the rows that follow from them) and each tier change
// as an event, all in one bulk append on the run's stream: a run is recorded whole or not
// at all.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/base/field_errors.h"
#include "crm/base/parallel_tasks.h"
#include "crm/base/status_macros.h"
#include "crm/known_customers/known_customers.h"
#include "crm/log/logger.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/commands.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/run_results.h"
#include "crm/tiering/run_start.h"
#include "crm/tiering/scoring.h"
#include "crm/tiering/tiers.h"
#include "google/protobuf/util/time_util.h"
#include "tiering_service.h"

namespace crm::tiering {
namespace {

using google::protobuf::util::TimeUtil;

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("runs");
  return log;
}

std::vector<crm::v1::Tier> TiersOf(const crm::v1::ScoringModel& model,
                                   const std::vector<double>& scores) {
  if (model.has_shares()) return TiersByShares(scores, model.shares());
  std::vector<crm::v1::Tier> tiers;
  tiers.reserve(scores.size());
  for (double score : scores) tiers.push_back(TierByThresholds(score, model.thresholds()));
  return tiers;
}

// Adds one customer of `tier` worth `revenue` to a region's counts and values.
void CountTier(crm::v1::Tier tier, double revenue, crm::v1::TierDistribution& region) {
  switch (tier) {
    case crm::v1::TIER_S:
      region.set_tier_s(region.tier_s() + 1);
      region.set_revenue_s(region.revenue_s() + revenue);
      break;
    case crm::v1::TIER_A:
      region.set_tier_a(region.tier_a() + 1);
      region.set_revenue_a(region.revenue_a() + revenue);
      break;
    case crm::v1::TIER_B:
      region.set_tier_b(region.tier_b() + 1);
      region.set_revenue_b(region.revenue_b() + revenue);
      break;
    default:
      region.set_tier_c(region.tier_c() + 1);
      region.set_revenue_c(region.revenue_c() + revenue);
      break;
  }
}

// The run's per-region distribution (value shares filled in), and its counts: the sums
// over the regions.
void Summarise(const std::vector<RunMember>& population, const std::vector<crm::v1::Tier>& tiers,
               crm::v1::EvaluationRun& run) {
  // A hash lookup per customer finds its region's counts; the regions are listed in name
  // order at the end.
  absl::flat_hash_map<std::string_view, crm::v1::TierDistribution> by_name;
  for (size_t i = 0; i < population.size(); ++i) {
    const RunMember& evaluated = population[i];
    crm::v1::TierDistribution& region = by_name[evaluated.region];
    if (region.region().empty()) region.set_region(evaluated.region);
    if (evaluated.lost) {
      region.set_lost_customers(region.lost_customers() + 1);
    } else {
      CountTier(tiers[i], evaluated.revenue, region);
      if (evaluated.previous_tier == crm::v1::TIER_UNSPECIFIED) {
        region.set_new_customers(region.new_customers() + 1);
      }
    }
  }
  std::map<std::string_view, crm::v1::TierDistribution> regions;
  for (auto& [name, region] : by_name) regions.emplace(name, std::move(region));
  run.clear_regions();
  int64_t s = 0, a = 0, b = 0, c = 0, lost = 0;
  for (auto& [name, region] : regions) {
    s += region.tier_s();
    a += region.tier_a();
    b += region.tier_b();
    c += region.tier_c();
    lost += region.lost_customers();
    FillValueShares(region);
    *run.add_regions() = std::move(region);
  }
  run.set_tier_s(s);
  run.set_tier_a(a);
  run.set_tier_b(b);
  run.set_tier_c(c);
  run.set_lost(lost);
  run.set_customers(s + a + b + c);
}

// The lowest score each of S, A and B reached, when all three were reached.
void SetCutoffs(const std::vector<RunMember>& population, const std::vector<crm::v1::Tier>& tiers,
                crm::v1::EvaluationRun& run) {
  // By tier number; infinity where no customer reached the tier.
  std::array<double, crm::v1::Tier_ARRAYSIZE> lowest;
  lowest.fill(std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < population.size(); ++i) {
    if (population[i].lost) continue;
    double& tier_lowest = lowest[tiers[i]];
    tier_lowest = std::min(tier_lowest, population[i].total_score);
  }
  run.clear_cutoffs();
  const double s_min = lowest[crm::v1::TIER_S];
  const double a_min = lowest[crm::v1::TIER_A];
  const double b_min = lowest[crm::v1::TIER_B];
  if (std::isinf(s_min) || std::isinf(a_min) || std::isinf(b_min)) return;
  run.mutable_cutoffs()->set_s_min(s_min);
  run.mutable_cutoffs()->set_a_min(a_min);
  run.mutable_cutoffs()->set_b_min(b_min);
}

}  // namespace

void FillValueShares(crm::v1::TierDistribution& distribution) {
  const double total = distribution.revenue_s() + distribution.revenue_a() +
                       distribution.revenue_b() + distribution.revenue_c();
  const auto share = [&](double revenue) { return total > 0 ? 100.0 * revenue / total : 0.0; };
  distribution.set_value_share_s(share(distribution.revenue_s()));
  distribution.set_value_share_a(share(distribution.revenue_a()));
  distribution.set_value_share_b(share(distribution.revenue_b()));
  distribution.set_value_share_c(share(distribution.revenue_c()));
}

absl::StatusOr<crm::v1::EvaluationRun> TieringService::WriteRun(
    const grpc::ServerContext& context, internal::RunState state, uint64_t version,
    const std::vector<Evaluated>& population, const std::vector<crm::v1::Tier>& tiers) {
  eventstore::CommandContext command = runtime::CommandContextOf(context, "RunEvaluation", "");
  command.request_id.clear();  // the run id, not a request id, makes a run idempotent
  const google::protobuf::Timestamp now =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock->Now()));
  const std::string reason =
      absl::StrFormat("evaluation run %s, fiscal year %d, model %s", state.run().run_id(),
                      state.run().fiscal_year(), state.run().model_version());

  // The whole run is one bulk append: every result, every change and the completion are
  // recorded together or not at all, so a run interrupted by a crash has left nothing and
  // is simply run again. The results are events, in parts, and the rows follow from the
  // parts (run_results.h): the abnormal churn with the append, the current tiers and the
  // history, two rows per customer, straight into the append's files, each table in
  // customer id order.
  eventstore::AppendRequest append{.stream_id = RunStream(state.run().run_id()),
                                   .expected_version = version,
                                   .topic = options_.topic,
                                   .context = command};
  size_t factors = 0;  // a lost customer is not scored: it has no inputs
  for (const Evaluated& evaluated : population)
    factors = std::max(factors, evaluated.values.size());
  const size_t per_part = options_.most_results_per_part > 0
                              ? std::min(options_.most_results_per_part, ResultsPerPart(factors))
                              : ResultsPerPart(factors);
  const size_t part_count = (population.size() + per_part - 1) / per_part;
  std::vector<crm::v1::EvaluationResultsRecorded> parts(part_count);
  std::vector<size_t> changed;  // the population's indices whose tier changed
  for (size_t i = 0; i < population.size(); ++i) {
    if (tiers[i] != population[i].previous_tier) changed.push_back(i);
  }
  state.mutable_run()->set_changed(static_cast<int64_t>(changed.size()));
  // A first run of a million customers makes a thousand parts and a million changes: they
  // are made on every core, each into its place in the append, the parts first, then the
  // changes, then the run's completion.
  append.events.resize(part_count + changed.size());
  append.events.reserve(part_count + changed.size() + 1);
  const size_t threads = std::min<size_t>(WorkerThreads(), population.size() / 10000 + 1);
  RETURN_IF_ERROR(RunInParallel(threads, threads, [&](size_t thread) -> absl::Status {
    for (size_t p = part_count * thread / threads; p < part_count * (thread + 1) / threads; ++p) {
      const size_t begin = p * per_part;
      const size_t size = std::min(per_part, population.size() - begin);
      parts[p] = ResultsPart(state.run(), now, std::span(population).subspan(begin, size),
                             std::span(tiers).subspan(begin, size));
      append.events[p] = eventstore::NewEvent::From(parts[p]);
      append.events[p].customer_id = population[begin].customer_id;
    }
    crm::v1::CustomerTierChanged event;
    event.set_model_version(state.run().model_version());
    for (size_t k = changed.size() * thread / threads; k < changed.size() * (thread + 1) / threads;
         ++k) {
      const size_t i = changed[k];
      const Evaluated& evaluated = population[i];
      event.set_customer_id(evaluated.customer_id);
      event.set_tier(tiers[i]);
      event.set_previous_tier(evaluated.previous_tier);
      event.set_reason(evaluated.lost
                           ? absl::StrCat(reason, ": customer lost")
                           : absl::StrFormat("%s: score %.1f", reason, evaluated.total_score));
      append.events[part_count + k] = eventstore::NewEvent::From(event);
      append.events[part_count + k].customer_id = evaluated.customer_id;
    }
    return absl::OkStatus();
  }));
  for (const crm::v1::EvaluationResultsRecorded& part : parts) {
    runtime::AddRowWrites(AbnormalChurnRows(part), append.rows);
  }
  state.set_completed(true);
  *state.mutable_run()->mutable_completed_at() = now;
  crm::v1::EvaluationRunCompleted completed;
  *completed.mutable_run() = state.run();
  append.events.push_back(eventstore::NewEvent::From(completed));
  runtime::AddRowWrites({RunRow(state.run())}, append.rows);
  append.state = state.SerializeAsString();

  // The parts are cut into consecutive runs of parts, written side by side (a thread that
  // waits for the disk leaves its core to another).
  const size_t result_threads = std::min<size_t>(WorkerThreadsForWrites(), threads);
  auto write_results = [&](eventstore::EventStore::RowSink& rows, size_t thread) -> absl::Status {
    const auto put = [&](std::string_view table, std::string_view key, std::string_view value) {
      return rows.Put(table, key, value);
    };
    const size_t end = part_count * (thread + 1) / result_threads;
    for (size_t p = part_count * thread / result_threads; p < end; ++p) {
      RETURN_IF_ERROR(ForEachResultRow(parts[p], put));
    }
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(eventstore::AppendResult written,
                   store_.AppendBulk(std::move(append), write_results, result_threads));
  RETURN_IF_ERROR(runtime::AwaitPublished(store_, context, written.last_position));
  return state.run();
}

grpc::Status TieringService::RunEvaluation(grpc::ServerContext* context,
                                           const crm::v1::RunEvaluationRequest* request,
                                           crm::v1::RunEvaluationResponse* response) {
  auto run = [&]() -> absl::StatusOr<crm::v1::RunEvaluationResponse> {
    RETURN_IF_ERROR(runtime::RequireAdmin(*context, "running an evaluation"));
    RETURN_IF_ERROR(runtime::RequireRegionScope(*context, request->region(), "region"));
    RETURN_IF_ERROR(runtime::CheckRequestId(request->request_id()));
    if (!IsIdLike(request->run_id())) {
      return Invalid("run_id", "must be 1 to 64 letters, digits, '_' or '-'");
    }
    RETURN_IF_ERROR(ValidateFiscalYear(request->fiscal_year(), "fiscal_year"));
    ASSIGN_OR_RETURN(crm::v1::ScoringModel model,
                     LoadModel(request->model_version(), "model_version"));

    absl::MutexLock one_run_at_a_time(&runs_mu_);
    const std::string stream = RunStream(request->run_id());
    ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream));
    ASSIGN_OR_RETURN(internal::RunState state,
                     runtime::ParseState<internal::RunState>(head, stream));
    crm::v1::EvaluationRun asked;
    asked.set_run_id(request->run_id());
    asked.set_fiscal_year(request->fiscal_year());
    asked.set_region(request->region());
    asked.set_model_version(model.version());
    *asked.mutable_started_at() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock->Now()));
    ASSIGN_OR_RETURN(const RunStart start, DecideRunStart(state, head.version > 0, asked));
    crm::v1::RunEvaluationResponse reply;
    if (start == RunStart::kCompleted) {
      // Acknowledged as the run itself would be: its events are all before the log's end.
      RETURN_IF_ERROR(runtime::AwaitPublished(store_, *context, store_.LastPosition()));
      *reply.mutable_run() = state.run();
      return reply;
    }
    if (start == RunStart::kNew) *state.mutable_run() = std::move(asked);

    const auto started = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(std::vector<Evaluated> population,
                     Population(model, request->fiscal_year(), request->region()));
    const auto gathered = std::chrono::steady_clock::now();
    // Lost customers are not ranked: their tier is cleared.
    std::vector<double> scores;
    scores.reserve(population.size());
    for (const Evaluated& evaluated : population) {
      if (!evaluated.lost) scores.push_back(evaluated.total_score);
    }
    const std::vector<crm::v1::Tier> ranked = TiersOf(model, scores);
    std::vector<crm::v1::Tier> tiers;
    tiers.reserve(population.size());
    size_t next_ranked = 0;
    for (const Evaluated& evaluated : population) {
      tiers.push_back(evaluated.lost ? crm::v1::TIER_UNSPECIFIED : ranked[next_ranked++]);
    }
    Summarise(population, tiers, *state.mutable_run());
    if (model.has_shares()) SetCutoffs(population, tiers, *state.mutable_run());
    const auto tiered = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(*reply.mutable_run(),
                     WriteRun(*context, std::move(state), head.version, population, tiers));
    const auto recorded = std::chrono::steady_clock::now();
    // Where a run's time goes, for whoever sizes the service (bench/RESULTS.md quotes it).
    const auto seconds = [](auto duration) {
      return std::chrono::duration<double>(duration).count();
    };
    Log()->info(
        "evaluation run {}: {} customers, {} changed; population read in {:.2f} s, tiered in "
        "{:.2f} s, recorded in {:.2f} s",
        reply.run().run_id(), population.size(), reply.run().changed(), seconds(gathered - started),
        seconds(tiered - gathered), seconds(recorded - tiered));
    return reply;
  };
  return runtime::Answer(run(), response);
}

}  // namespace crm::tiering
