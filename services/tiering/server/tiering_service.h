// Tiering's gRPC API (crm.v1.TieringService) on the event store. Each command runs on one
// stream, decided with the domain functions under the stream's lock, and appends its
// events, the stream's new state and the read-model rows in one atomic, durable write:
//   - "models": the published scoring models (rows) and which one is current (state);
//   - "customer-<id>": a customer's inputs per fiscal year.
// Customers are checked with the CustomerDirectory.
//
//   TieringService service(process.store(), directory, {.topic = EventTopic(prefix, …)});
//   process.AddService(&service);
//
// Thread-safe: handlers run concurrently; commands on one stream are serialised by the
// store.
#pragma once

#include <string>
#include <string_view>

#include "crm/base/clock.h"
#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/commands.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/v1/tiering.grpc.pb.h"

namespace crm::tiering {

using customers::CustomerDirectory;
using internal::TieringSettings;

struct TieringServiceOptions {
  // Topic the events are published to ("<prefix>crm.tiering.events.v1").
  std::string topic;
  // Source of "now": when inputs were recorded.
  const Clock* clock = &SystemClock::Instance();
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
  // The customer's inputs for the year; empty inputs when none were recorded.
  absl::StatusOr<crm::v1::CustomerInputs> LoadInputs(std::string_view customer_id,
                                                     int fiscal_year) const;

  eventstore::EventStore& store_;
  const CustomerDirectory& directory_;
  TieringServiceOptions options_;
};

}  // namespace crm::tiering
