// Engagement's gRPC API (crm.v1.EngagementService) on the event store. Each command runs
// on one stream, decided with the domain functions under the stream's lock, and appends
// its events, the stream's new state and the read-model rows in one atomic, durable write:
//   - "customer-<id>": touchpoints and assessments; the state keeps the latest contact per
//     key person and layer and the latest assessment per person (CustomerEngagement);
//   - "plan-<id>": one relationship plan, the state the plan itself;
//   - "settings": cadence rules and touchpoint quotas (EngagementSettings).
// Customers and key persons are checked with the CustomerDirectory.
//
//   EngagementService service(process.store(), directory, {.topic = EventTopic(prefix, …)});
//   process.AddService(&service);
//
// Thread-safe: handlers run concurrently; commands on one stream are serialised by the
// store, and the weekly touchpoint counts of an employee are counter rows that need no lock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "crm/base/clock.h"
#include "crm/customers/customer_directory.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/commands.h"
#include "crm/v1/engagement.grpc.pb.h"

namespace crm::engagement {

using crm::internal::KnownCustomer;
using customers::CustomerDirectory;
using customers::PersonReference;
using internal::CustomerEngagement;
using internal::EngagementSettings;

struct EngagementServiceOptions {
  // Topic the events are published to ("<prefix>crm.engagement.events.v1").
  std::string topic;
  // Source of "now": today's date for validation, windows, overdue actions and cadence.
  const Clock* clock = &SystemClock::Instance();
};

class EngagementService final : public crm::v1::EngagementService::Service {
 public:
  EngagementService(eventstore::EventStore& store, const CustomerDirectory& directory,
                    EngagementServiceOptions options);

  // Touchpoints (touchpoint_commands.cc).
  grpc::Status LogTouchpoint(grpc::ServerContext* context,
                             const crm::v1::LogTouchpointRequest* request,
                             crm::v1::LogTouchpointResponse* response) override;
  grpc::Status CorrectTouchpoint(grpc::ServerContext* context,
                                 const crm::v1::CorrectTouchpointRequest* request,
                                 crm::v1::CorrectTouchpointResponse* response) override;
  grpc::Status CancelTouchpoint(grpc::ServerContext* context,
                                const crm::v1::CancelTouchpointRequest* request,
                                crm::v1::CancelTouchpointResponse* response) override;

  // Relationship plans and assessments (plan_commands.cc).
  grpc::Status CreateRelationshipPlan(grpc::ServerContext* context,
                                      const crm::v1::CreateRelationshipPlanRequest* request,
                                      crm::v1::CreateRelationshipPlanResponse* response) override;
  grpc::Status AddPlanAction(grpc::ServerContext* context,
                             const crm::v1::AddPlanActionRequest* request,
                             crm::v1::AddPlanActionResponse* response) override;
  grpc::Status CompletePlanAction(grpc::ServerContext* context,
                                  const crm::v1::CompletePlanActionRequest* request,
                                  crm::v1::CompletePlanActionResponse* response) override;
  grpc::Status RecordAssessment(grpc::ServerContext* context,
                                const crm::v1::RecordAssessmentRequest* request,
                                crm::v1::RecordAssessmentResponse* response) override;

  // Cadence rules and quotas (settings_commands.cc).
  grpc::Status SetCadenceRule(grpc::ServerContext* context,
                              const crm::v1::SetCadenceRuleRequest* request,
                              crm::v1::SetCadenceRuleResponse* response) override;
  grpc::Status SetTouchpointQuota(grpc::ServerContext* context,
                                  const crm::v1::SetTouchpointQuotaRequest* request,
                                  crm::v1::SetTouchpointQuotaResponse* response) override;

  // Queries (queries.cc, report_queries.cc).
  grpc::Status GetTouchpoint(grpc::ServerContext* context,
                             const crm::v1::GetTouchpointRequest* request,
                             crm::v1::GetTouchpointResponse* response) override;
  grpc::Status ListTouchpoints(grpc::ServerContext* context,
                               const crm::v1::ListTouchpointsRequest* request,
                               crm::v1::ListTouchpointsResponse* response) override;
  grpc::Status GetRelationshipPlan(grpc::ServerContext* context,
                                   const crm::v1::GetRelationshipPlanRequest* request,
                                   crm::v1::GetRelationshipPlanResponse* response) override;
  grpc::Status ListRelationshipPlans(grpc::ServerContext* context,
                                     const crm::v1::ListRelationshipPlansRequest* request,
                                     crm::v1::ListRelationshipPlansResponse* response) override;
  grpc::Status ListOverdueActions(grpc::ServerContext* context,
                                  const crm::v1::ListOverdueActionsRequest* request,
                                  crm::v1::ListOverdueActionsResponse* response) override;
  grpc::Status ListAssessments(grpc::ServerContext* context,
                               const crm::v1::ListAssessmentsRequest* request,
                               crm::v1::ListAssessmentsResponse* response) override;
  grpc::Status GetRelationshipRollup(grpc::ServerContext* context,
                                     const crm::v1::GetRelationshipRollupRequest* request,
                                     crm::v1::GetRelationshipRollupResponse* response) override;
  grpc::Status GetCoverage(grpc::ServerContext* context, const crm::v1::GetCoverageRequest* request,
                           crm::v1::GetCoverageResponse* response) override;
  grpc::Status GetCadenceRules(grpc::ServerContext* context,
                               const crm::v1::GetCadenceRulesRequest* request,
                               crm::v1::GetCadenceRulesResponse* response) override;
  grpc::Status ListOverdueContacts(grpc::ServerContext* context,
                                   const crm::v1::ListOverdueContactsRequest* request,
                                   crm::v1::ListOverdueContactsResponse* response) override;
  grpc::Status ListTouchpointQuotas(grpc::ServerContext* context,
                                    const crm::v1::ListTouchpointQuotasRequest* request,
                                    crm::v1::ListTouchpointQuotasResponse* response) override;
  grpc::Status GetQuotaReport(grpc::ServerContext* context,
                              const crm::v1::GetQuotaReportRequest* request,
                              crm::v1::GetQuotaReportResponse* response) override;

  // The customer's state for the state topic (crm.engagement.state.v1): its tier,
  // latest touchpoint, coverage, relationship levels and what is overdue
  // (report_queries.cc).
  absl::StatusOr<std::optional<std::string>> PublishedState(std::string_view customer_id);

 private:
  using Decision = runtime::Decision;
  using Command = runtime::Command;
  using Decide = runtime::Decide;
  // Runs one command with the service's topic (crm::runtime::RunCommand).
  absl::StatusOr<std::string> Run(const grpc::ServerContext& context, const Command& command,
                                  Decide decide) {
    return runtime::RunCommand(store_, context, command, options_.topic, decide);
  }

  // Runs one change of a plan on its stream (plan_commands.cc): `change` edits the plan and
  // returns its event and the action it touched; the reply is the plan after it.
  struct PlanCommand {
    std::string_view method;
    std::string_view request_id;
    std::string_view plan_id;
    uint64_t expected_version = 0;
  };
  struct PlanChange {
    eventstore::NewEvent event;
    std::string action_id;
    // Filled in from the changed plan.
    crm::v1::PlanAction action;
  };
  using ChangeOfPlan =
      absl::FunctionRef<absl::StatusOr<PlanChange>(crm::v1::RelationshipPlan& plan)>;
  absl::StatusOr<std::string> ChangePlan(const grpc::ServerContext& context,
                                         const PlanCommand& command, ChangeOfPlan change);

  // Runs one admin change of the settings stream (settings_commands.cc): `change` edits the
  // settings, sets the serialized reply and returns the event.
  using ChangeOfSettings =
      absl::FunctionRef<eventstore::NewEvent(EngagementSettings& settings, std::string& reply)>;
  absl::StatusOr<std::string> ChangeSettings(const grpc::ServerContext& context,
                                             std::string_view method, std::string_view request_id,
                                             ChangeOfSettings change);

  absl::CivilDay Today() const;
  absl::StatusOr<internal::CustomerEngagement> LoadEngagement(std::string_view customer_id) const;
  absl::StatusOr<internal::EngagementSettings> LoadSettings() const;
  absl::StatusOr<crm::v1::RelationshipPlan> LoadPlan(std::string_view plan_id) const;
  // The stored touchpoint; NOT_FOUND naming touchpoint_id.
  absl::StatusOr<crm::v1::Touchpoint> LoadTouchpoint(std::string_view customer_id,
                                                     std::string_view touchpoint_id) const;

  eventstore::EventStore& store_;
  const CustomerDirectory& directory_;
  EngagementServiceOptions options_;
};

}  // namespace crm::engagement
