// Satisfaction's gRPC API (crm.v1.SatisfactionService) on the event store. Each command
// runs on one stream, decided with the domain functions under the stream's lock, and
// appends its events, the stream's new state, the read-model rows and the running counts
// in one atomic, durable write:
//   - "survey-<id>": one survey, the state the survey itself;
//   - "customer-<id>": a customer's responses, issues and churn reasons. A detractor's
//     response and the follow-up issue it opens are one write on this stream, so the
//     loop can never be left half-open;
//   - "settings": the response-time commitments (SatisfactionSettings).
// NPS is read from counter rows per scope and month (crm/satisfaction/read_models.h), added
// to as responses are recorded, so a roll-up reads at most one row per month however many
// responses it counts.
// Customers and key persons are checked with the CustomerDirectory; tiers come from the
// known customers (tiering's events), C until known.
//
//   SatisfactionService service(process.store(), directory, {.topic = EventTopic(prefix, …)});
//   process.AddService(&service);
//
// Thread-safe: handlers run concurrently; commands on one stream are serialised by the
// store, and counters need no lock.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "crm/base/clock.h"
#include "crm/customers/customer_directory.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/commands.h"
#include "crm/satisfaction/internal/state.pb.h"
#include "crm/satisfaction/issue_steps.h"
#include "crm/v1/satisfaction.grpc.pb.h"

namespace crm::satisfaction {

using crm::internal::KnownCustomer;
using customers::CustomerDirectory;
using customers::PersonReference;
using internal::SatisfactionSettings;
using internal::StoredResponse;

struct SatisfactionServiceOptions {
  // Topic the events are published to ("<prefix>crm.satisfaction.events.v1").
  std::string topic;
  // Source of "now": survey windows, response times, issue deadlines and periods.
  const Clock* clock = &SystemClock::Instance();
};

class SatisfactionService final : public crm::v1::SatisfactionService::Service {
 public:
  SatisfactionService(eventstore::EventStore& store, const CustomerDirectory& directory,
                      SatisfactionServiceOptions options);

  // Surveys and responses (survey_commands.cc, response_commands.cc).
  grpc::Status CreateSurvey(grpc::ServerContext* context,
                            const crm::v1::CreateSurveyRequest* request,
                            crm::v1::CreateSurveyResponse* response) override;
  grpc::Status CloseSurvey(grpc::ServerContext* context, const crm::v1::CloseSurveyRequest* request,
                           crm::v1::CloseSurveyResponse* response) override;
  grpc::Status RecordResponse(grpc::ServerContext* context,
                              const crm::v1::RecordResponseRequest* request,
                              crm::v1::RecordResponseResponse* response) override;

  // Issues, commitments and churn reasons (issue_commands.cc, settings_commands.cc).
  grpc::Status RaiseIssue(grpc::ServerContext* context, const crm::v1::RaiseIssueRequest* request,
                          crm::v1::RaiseIssueResponse* response) override;
  grpc::Status AcknowledgeIssue(grpc::ServerContext* context,
                                const crm::v1::AcknowledgeIssueRequest* request,
                                crm::v1::AcknowledgeIssueResponse* response) override;
  grpc::Status ResolveIssue(grpc::ServerContext* context,
                            const crm::v1::ResolveIssueRequest* request,
                            crm::v1::ResolveIssueResponse* response) override;
  grpc::Status ConfirmIssueClosed(grpc::ServerContext* context,
                                  const crm::v1::ConfirmIssueClosedRequest* request,
                                  crm::v1::ConfirmIssueClosedResponse* response) override;
  grpc::Status ReopenIssue(grpc::ServerContext* context, const crm::v1::ReopenIssueRequest* request,
                           crm::v1::ReopenIssueResponse* response) override;
  grpc::Status SetResponseCommitment(grpc::ServerContext* context,
                                     const crm::v1::SetResponseCommitmentRequest* request,
                                     crm::v1::SetResponseCommitmentResponse* response) override;
  grpc::Status RecordChurnReason(grpc::ServerContext* context,
                                 const crm::v1::RecordChurnReasonRequest* request,
                                 crm::v1::RecordChurnReasonResponse* response) override;

  // Queries (survey_queries.cc, nps_queries.cc, issue_queries.cc).
  grpc::Status GetSurvey(grpc::ServerContext* context, const crm::v1::GetSurveyRequest* request,
                         crm::v1::GetSurveyResponse* response) override;
  grpc::Status ListSurveys(grpc::ServerContext* context, const crm::v1::ListSurveysRequest* request,
                           crm::v1::ListSurveysResponse* response) override;
  grpc::Status ListResponses(grpc::ServerContext* context,
                             const crm::v1::ListResponsesRequest* request,
                             crm::v1::ListResponsesResponse* response) override;
  grpc::Status GetNps(grpc::ServerContext* context, const crm::v1::GetNpsRequest* request,
                      crm::v1::GetNpsResponse* response) override;
  grpc::Status GetNpsTrend(grpc::ServerContext* context, const crm::v1::GetNpsTrendRequest* request,
                           crm::v1::GetNpsTrendResponse* response) override;
  grpc::Status GetIssue(grpc::ServerContext* context, const crm::v1::GetIssueRequest* request,
                        crm::v1::GetIssueResponse* response) override;
  grpc::Status ListIssues(grpc::ServerContext* context, const crm::v1::ListIssuesRequest* request,
                          crm::v1::ListIssuesResponse* response) override;
  grpc::Status ListOverdueIssues(grpc::ServerContext* context,
                                 const crm::v1::ListOverdueIssuesRequest* request,
                                 crm::v1::ListOverdueIssuesResponse* response) override;
  grpc::Status GetIssueTimes(grpc::ServerContext* context,
                             const crm::v1::GetIssueTimesRequest* request,
                             crm::v1::GetIssueTimesResponse* response) override;
  grpc::Status GetResponseCommitments(grpc::ServerContext* context,
                                      const crm::v1::GetResponseCommitmentsRequest* request,
                                      crm::v1::GetResponseCommitmentsResponse* response) override;
  grpc::Status ListChurnReasons(grpc::ServerContext* context,
                                const crm::v1::ListChurnReasonsRequest* request,
                                crm::v1::ListChurnReasonsResponse* response) override;
  grpc::Status GetChurnReport(grpc::ServerContext* context,
                              const crm::v1::GetChurnReportRequest* request,
                              crm::v1::GetChurnReportResponse* response) override;

  // The customer's state for the state topic (crm.satisfaction.state.v1): its NPS over
  // the last twelve months and its open issues (nps_queries.cc).
  absl::StatusOr<std::optional<std::string>> PublishedState(std::string_view customer_id);

 private:
  using Decision = runtime::Decision;
  using Command = runtime::Command;
  // Runs one command with the service's topic (crm::runtime::RunCommand).
  absl::StatusOr<std::string> Run(const grpc::ServerContext& context, const Command& command,
                                  runtime::Decide decide) {
    return runtime::RunCommand(store_, context, command, options_.topic, decide);
  }

  // One step of an issue's loop (issue_commands.cc): `decide` gives the step's event from
  // the issue and the step's facts (crm/satisfaction/issue_steps.h); the issue, its rows
  // and counters follow from the event, and the reply is the issue after, as shown (a
  // serialized Issue).
  struct IssueStepCommand {
    std::string_view method;
    std::string_view request_id;
    std::string_view issue_id;
  };
  using DecideStep = absl::FunctionRef<absl::StatusOr<IssueStepEvent>(const crm::v1::Issue& issue,
                                                                      const IssueStepFacts& facts)>;
  absl::StatusOr<std::string> StepIssue(const grpc::ServerContext& context,
                                        const IssueStepCommand& command, DecideStep decide);

  absl::Time Now() const { return options_.clock->Now(); }
  absl::CivilDay Today() const;
  // The survey; NOT_FOUND naming survey_id. The header leaves out the customer list.
  absl::StatusOr<crm::v1::Survey> LoadSurvey(std::string_view survey_id) const;
  absl::StatusOr<crm::v1::Survey> LoadSurveyHeader(std::string_view survey_id) const;
  absl::StatusOr<SatisfactionSettings> LoadSettings() const;
  // The stored issue; NOT_FOUND naming issue_id.
  absl::StatusOr<crm::v1::Issue> LoadIssue(std::string_view issue_id) const;
  // The tier the customer's rules follow now: from tiering's events, C until known.
  absl::StatusOr<crm::v1::Tier> TierOf(std::string_view customer_id) const;
  // The issue with its read-time facts (tier, deadline, overdue) filled in.
  absl::StatusOr<crm::v1::Issue> Shown(crm::v1::Issue issue,
                                       const SatisfactionSettings& settings) const;

  eventstore::EventStore& store_;
  const CustomerDirectory& directory_;
  SatisfactionServiceOptions options_;
};

}  // namespace crm::satisfaction
