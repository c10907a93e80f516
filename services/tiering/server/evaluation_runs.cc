// Evaluation runs: score every customer of the population, tier them together, and
// write each result with its explanation and each tier change as an event. Results go
// out in chunks on the run's stream, in customer id order; the run's state records how
// far they got, so asking for the run again after a crash finishes it.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/customers/known_customers.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/scoring.h"
#include "crm/tiering/tiers.h"
#include "google/protobuf/util/time_util.h"
#include "tables.h"
#include "tiering_service.h"

namespace crm::tiering {
namespace {

using google::protobuf::util::TimeUtil;

// Customers per append: large enough that a million customers take a few hundred
// appends, small enough that one append stays a few megabytes.
constexpr size_t kChunkSize = 5000;
// Rows read per page while gathering the population.
constexpr size_t kScanPage = 10000;

std::vector<crm::v1::Tier> TiersOf(const crm::v1::ScoringModel& model,
                                   const std::vector<ScoredCustomer>& scored) {
  if (model.has_shares()) return TiersByShares(scored, model.shares());
  std::vector<crm::v1::Tier> tiers;
  tiers.reserve(scored.size());
  for (const ScoredCustomer& customer : scored) {
    tiers.push_back(TierByThresholds(customer.total_score, model.thresholds()));
  }
  return tiers;
}

void CountTier(crm::v1::Tier tier, crm::v1::EvaluationRun& run) {
  switch (tier) {
    case crm::v1::TIER_S:
      run.set_tier_s(run.tier_s() + 1);
      break;
    case crm::v1::TIER_A:
      run.set_tier_a(run.tier_a() + 1);
      break;
    case crm::v1::TIER_B:
      run.set_tier_b(run.tier_b() + 1);
      break;
    default:
      run.set_tier_c(run.tier_c() + 1);
      break;
  }
}

}  // namespace

absl::StatusOr<std::vector<TieringService::Evaluated>> TieringService::Population(
    const crm::v1::ScoringModel& model, int fiscal_year, std::string_view region) const {
  std::vector<Evaluated> population;
  std::string token;
  do {
    ASSIGN_OR_RETURN(eventstore::RowPage page,
                     store_.ScanRows(customers::kKnownCustomersTable, "", token, kScanPage));
    for (const auto& [customer_id, value] : page.rows) {
      ASSIGN_OR_RETURN(KnownCustomerRow customer, runtime::ParseRow<KnownCustomerRow>(value));
      if (!customer.registered() || customer.status() == crm::v1::LIFECYCLE_STATUS_CHURNED) {
        continue;
      }
      if (!region.empty() && customer.region() != region) continue;
      ASSIGN_OR_RETURN(crm::v1::CustomerInputs inputs, ScoringInputs(customer, fiscal_year));
      Evaluated evaluated{.customer_id = customer_id,
                          .card = Score(model, customer_id, InputsOf(inputs))};
      ASSIGN_OR_RETURN(std::optional<std::string> current, store_.GetRow(kTiers, customer_id));
      if (current.has_value()) {
        ASSIGN_OR_RETURN(crm::v1::CustomerTier tier,
                         runtime::ParseRow<crm::v1::CustomerTier>(*current));
        evaluated.previous_tier = tier.tier();
      }
      population.push_back(std::move(evaluated));
    }
    token = page.next_page_token;
  } while (!token.empty());
  return population;
}

absl::StatusOr<crm::v1::EvaluationRun> TieringService::WriteRun(
    const grpc::ServerContext& context, internal::RunState state, uint64_t version,
    const std::vector<Evaluated>& population, const std::vector<crm::v1::Tier>& tiers) {
  eventstore::CommandContext command = runtime::CommandContextOf(context, "RunEvaluation", "");
  command.request_id.clear();  // the run id, not a request id, makes a run idempotent
  const std::string stream = RunStream(state.run().run_id());
  const google::protobuf::Timestamp now =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock->Now()));
  const std::string reason =
      absl::StrFormat("evaluation run %s, fiscal year %d, model %s", state.run().run_id(),
                      state.run().fiscal_year(), state.run().model_version());

  // The first customer not written yet: results are written in customer id order.
  size_t next =
      std::upper_bound(population.begin(), population.end(), state.last_customer_written(),
                       [](const std::string& id, const Evaluated& evaluated) {
                         return id < evaluated.customer_id;
                       }) -
      population.begin();
  if (state.last_customer_written().empty()) next = 0;
  while (next < population.size()) {
    eventstore::AppendRequest chunk{.stream_id = stream,
                                    .expected_version = version,
                                    .topic = options_.topic,
                                    .context = command};
    const size_t end = std::min(population.size(), next + kChunkSize);
    for (size_t i = next; i < end; ++i) {
      const Evaluated& evaluated = population[i];
      crm::v1::CustomerTier result;
      result.set_customer_id(evaluated.customer_id);
      result.set_tier(tiers[i]);
      result.set_previous_tier(evaluated.previous_tier);
      *result.mutable_score_card() = evaluated.card;
      result.set_run_id(state.run().run_id());
      result.set_fiscal_year(state.run().fiscal_year());
      *result.mutable_evaluated_at() = now;
      const std::string value = result.SerializeAsString();
      chunk.rows.push_back({std::string(kTiers), evaluated.customer_id, value});
      chunk.rows.push_back({std::string(kTierHistory), TierHistoryKey(result), value});
      if (tiers[i] != evaluated.previous_tier) {
        crm::v1::CustomerTierChanged changed;
        changed.set_customer_id(evaluated.customer_id);
        changed.set_tier(tiers[i]);
        changed.set_previous_tier(evaluated.previous_tier);
        changed.set_model_version(state.run().model_version());
        changed.set_reason(absl::StrFormat("%s: score %.1f", reason, evaluated.card.total_score()));
        eventstore::NewEvent event = eventstore::NewEvent::From(changed);
        event.customer_id = evaluated.customer_id;
        chunk.events.push_back(std::move(event));
        state.mutable_run()->set_changed(state.run().changed() + 1);
      }
    }
    state.set_last_customer_written(population[end - 1].customer_id);
    chunk.state = state.SerializeAsString();
    ASSIGN_OR_RETURN(eventstore::AppendResult written, store_.Append(std::move(chunk)));
    version = written.last_version;
    next = end;
  }

  state.set_completed(true);
  *state.mutable_run()->mutable_completed_at() = now;
  crm::v1::EvaluationRunCompleted completed;
  *completed.mutable_run() = state.run();
  RETURN_IF_ERROR(store_
                      .Append({.stream_id = stream,
                               .expected_version = version,
                               .events = {eventstore::NewEvent::From(completed)},
                               .state = state.SerializeAsString(),
                               .topic = options_.topic,
                               .context = command})
                      .status());
  return state.run();
}

grpc::Status TieringService::RunEvaluation(grpc::ServerContext* context,
                                           const crm::v1::RunEvaluationRequest* request,
                                           crm::v1::RunEvaluationResponse* response) {
  auto run = [&]() -> absl::StatusOr<crm::v1::RunEvaluationResponse> {
    RETURN_IF_ERROR(runtime::RequireAdmin(*context, "running an evaluation"));
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
    crm::v1::RunEvaluationResponse reply;
    if (head.version > 0) {
      const crm::v1::EvaluationRun& earlier = state.run();
      if (earlier.fiscal_year() != request->fiscal_year() ||
          earlier.region() != request->region() || earlier.model_version() != model.version()) {
        return absl::AlreadyExistsError(absl::StrCat(
            "run_id ", request->run_id(), " names a run of fiscal year ", earlier.fiscal_year(),
            ", region \"", earlier.region(), "\", model ", earlier.model_version()));
      }
      if (state.completed()) {
        *reply.mutable_run() = earlier;
        return reply;
      }
    } else {
      crm::v1::EvaluationRun& started = *state.mutable_run();
      started.set_run_id(request->run_id());
      started.set_fiscal_year(request->fiscal_year());
      started.set_region(request->region());
      started.set_model_version(model.version());
      *started.mutable_started_at() =
          TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock->Now()));
    }

    ASSIGN_OR_RETURN(std::vector<Evaluated> population,
                     Population(model, request->fiscal_year(), request->region()));
    std::vector<ScoredCustomer> scored;
    scored.reserve(population.size());
    for (const Evaluated& evaluated : population) {
      scored.push_back({evaluated.customer_id, evaluated.card.total_score()});
    }
    const std::vector<crm::v1::Tier> tiers = TiersOf(model, scored);
    crm::v1::EvaluationRun& counts = *state.mutable_run();
    counts.set_customers(static_cast<int64_t>(population.size()));
    counts.clear_tier_s();
    counts.clear_tier_a();
    counts.clear_tier_b();
    counts.clear_tier_c();
    for (crm::v1::Tier tier : tiers) CountTier(tier, counts);
    ASSIGN_OR_RETURN(*reply.mutable_run(),
                     WriteRun(*context, std::move(state), head.version, population, tiers));
    return reply;
  };
  return runtime::Answer(run(), response);
}

}  // namespace crm::tiering
