// Tiering's gRPC API (crm.v1.TieringService) on the event store. Each command runs on one
// stream, decided with the domain functions under the stream's lock, and appends its
// events, the stream's new state and the read-model rows in one atomic, durable write:
//   - "models": the published scoring models (rows) and which one is current (state);
//   - "policies": the published tier policies (rows) and the version in force (state);
//   - "customer-<id>": a customer's inputs per fiscal year;
//   - "run-<id>": one evaluation run, its results appended in chunks (evaluation_runs.cc).
// Customers are checked with the CustomerDirectory.
//
//   TieringService service(process.store(), directory, {.topic = EventTopic(prefix, …)});
//   process.AddService(&service);
//
// Thread-safe: handlers run concurrently; commands on one stream are serialised by the
// store.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "crm/base/clock.h"
#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/commands.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/tiering/run_results.h"
#include "crm/tiering/scoring.h"
#include "crm/v1/tiering.grpc.pb.h"

namespace crm::tiering {

// Fills in the value share of each tier from its revenue.
void FillValueShares(crm::v1::TierDistribution& distribution);

using customers::CustomerDirectory;
using internal::TieringSettings;
using KnownCustomerRow = crm::internal::KnownCustomer;

struct TieringServiceOptions {
  // Topic the events are published to ("<prefix>crm.tiering.events.v1").
  std::string topic;
  // Source of "now": when inputs were recorded.
  const Clock* clock = &SystemClock::Instance();
  // The most results a run records in one part; 0: as many as fit (ResultsPerPart). Tests
  // set a few, so that their runs of a few customers have several parts.
  size_t most_results_per_part = 0;
};

class TieringService final : public crm::v1::TieringService::Service {
 public:
  TieringService(eventstore::EventStore& store, const CustomerDirectory& directory,
                 TieringServiceOptions options);

  // Models (model_commands.cc).
  grpc::Status PublishModel(grpc::ServerContext* context,
                            const crm::v1::PublishModelRequest* request,
                            crm::v1::PublishModelResponse* response) override;
  grpc::Status SetCurrentModel(grpc::ServerContext* context,
                               const crm::v1::SetCurrentModelRequest* request,
                               crm::v1::SetCurrentModelResponse* response) override;

  // Inputs (input_commands.cc).
  grpc::Status RecordInputs(grpc::ServerContext* context,
                            const crm::v1::RecordInputsRequest* request,
                            crm::v1::RecordInputsResponse* response) override;

  // Queries (queries.cc).
  grpc::Status GetModel(grpc::ServerContext* context, const crm::v1::GetModelRequest* request,
                        crm::v1::GetModelResponse* response) override;
  grpc::Status ListModels(grpc::ServerContext* context, const crm::v1::ListModelsRequest* request,
                          crm::v1::ListModelsResponse* response) override;
  grpc::Status GetInputs(grpc::ServerContext* context, const crm::v1::GetInputsRequest* request,
                         crm::v1::GetInputsResponse* response) override;
  grpc::Status PreviewEvaluation(grpc::ServerContext* context,
                                 const crm::v1::PreviewEvaluationRequest* request,
                                 crm::v1::PreviewEvaluationResponse* response) override;
  grpc::Status GetCustomerTier(grpc::ServerContext* context,
                               const crm::v1::GetCustomerTierRequest* request,
                               crm::v1::GetCustomerTierResponse* response) override;
  grpc::Status ListTierHistory(grpc::ServerContext* context,
                               const crm::v1::ListTierHistoryRequest* request,
                               crm::v1::ListTierHistoryResponse* response) override;
  grpc::Status GetTierDistribution(grpc::ServerContext* context,
                                   const crm::v1::GetTierDistributionRequest* request,
                                   crm::v1::GetTierDistributionResponse* response) override;
  grpc::Status ListAbnormalChurn(grpc::ServerContext* context,
                                 const crm::v1::ListAbnormalChurnRequest* request,
                                 crm::v1::ListAbnormalChurnResponse* response) override;

  // Tier policies (tier_policies.cc).
  grpc::Status PublishTierPolicies(grpc::ServerContext* context,
                                   const crm::v1::PublishTierPoliciesRequest* request,
                                   crm::v1::PublishTierPoliciesResponse* response) override;
  grpc::Status GetTierPolicies(grpc::ServerContext* context,
                               const crm::v1::GetTierPoliciesRequest* request,
                               crm::v1::GetTierPoliciesResponse* response) override;
  grpc::Status ListTierPolicies(grpc::ServerContext* context,
                                const crm::v1::ListTierPoliciesRequest* request,
                                crm::v1::ListTierPoliciesResponse* response) override;

  // Health (health_queries.cc).
  grpc::Status GetCustomerHealth(grpc::ServerContext* context,
                                 const crm::v1::GetCustomerHealthRequest* request,
                                 crm::v1::GetCustomerHealthResponse* response) override;

  // Evaluation runs (evaluation_runs.cc).
  grpc::Status RunEvaluation(grpc::ServerContext* context,
                             const crm::v1::RunEvaluationRequest* request,
                             crm::v1::RunEvaluationResponse* response) override;

  // The customer's state for the state topic (crm.tiering.state.v1): its tier with the
  // explanation, as GetCustomerTier shows it; nullopt when it has none (never tiered, or
  // lost), which the topic records as a tombstone.
  // Called from the state publisher's one thread only.
  absl::StatusOr<std::optional<std::string>> PublishedState(std::string_view customer_id);

 private:
  using Decision = runtime::Decision;
  using Command = runtime::Command;
  absl::StatusOr<std::string> Run(const grpc::ServerContext& context, const Command& command,
                                  runtime::Decide decide) {
    return runtime::RunCommand(store_, context, command, options_.topic, decide);
  }

  absl::StatusOr<TieringSettings> LoadSettings() const;
  // The model of `version` (empty: the current one); NOT_FOUND naming `field`.
  absl::StatusOr<crm::v1::ScoringModel> LoadModel(std::string_view version,
                                                  std::string_view field) const;
  // The customer's inputs for the year as entered; empty inputs when none were.
  absl::StatusOr<crm::v1::CustomerInputs> LoadInputs(std::string_view customer_id,
                                                     int fiscal_year) const;
  // The tier policies of `version`; empty: the version in force (NOT_FOUND naming
  // `version` when none is published under it).
  absl::StatusOr<crm::v1::TierPolicies> LoadTierPolicies(std::string_view version) const;
  // What a customer is scored on: the year's entered inputs and those derived now from
  // other services' events.
  absl::StatusOr<crm::v1::CustomerInputs> ScoringInputs(const KnownCustomerRow& customer,
                                                        int fiscal_year) const;

  using Evaluated = RunMember;

  // The latest completed run of the fiscal year over the region (or over every region,
  // when that is later); nullopt when none.
  absl::StatusOr<std::optional<crm::v1::EvaluationRun>> LatestRun(int fiscal_year,
                                                                  std::string_view region) const;
  // A stored result with its explanation, rebuilt under the model it was scored with;
  // `models` keeps the models loaded so far (a page of history mostly names one).
  using LoadedModels = std::map<std::string, crm::v1::ScoringModel, std::less<>>;
  absl::StatusOr<crm::v1::CustomerTier> ShownTier(std::string_view stored,
                                                  LoadedModels& models) const;
  // The customer's latest result as stored with its inputs (a StoredTier), which are in
  // the history row of the current row's run; nullopt when it has none.
  absl::StatusOr<std::optional<std::string>> CurrentResult(std::string_view customer_id) const;
  // The models PublishedState rebuilt score cards with: a version never changes once
  // published, so a run's million states load its model once, not once per customer.
  LoadedModels published_models_;

  // The customers a run evaluates (registered, of the region when one is named), in
  // customer id order: those not churned scored under `model` on the year's inputs, and
  // the churned ones that still have a tier, lost (run_population.cc).
  absl::StatusOr<std::vector<Evaluated>> Population(const crm::v1::ScoringModel& model,
                                                    int fiscal_year, std::string_view region) const;
  // The part of it with customer ids from `from` to below `to` (no bound when empty),
  // scored as of `now`: the population is gathered in such parts side by side.
  absl::StatusOr<std::vector<Evaluated>> PopulationPart(const crm::v1::ScoringModel& model,
                                                        int fiscal_year, std::string_view region,
                                                        absl::Time now, std::string_view from,
                                                        std::string_view to) const;
  // Records the run of `state` over `population` with `tiers` in one bulk append on the
  // run's stream (at `version`); returns the completed run.
  absl::StatusOr<crm::v1::EvaluationRun> WriteRun(const grpc::ServerContext& context,
                                                  internal::RunState state, uint64_t version,
                                                  const std::vector<Evaluated>& population,
                                                  const std::vector<crm::v1::Tier>& tiers);

  eventstore::EventStore& store_;
  const CustomerDirectory& directory_;
  TieringServiceOptions options_;
  // One run at a time: runs over overlapping populations must not interleave their
  // results.
  absl::Mutex runs_mu_;
};

}  // namespace crm::tiering
