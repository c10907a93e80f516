// Voice-of-customer issues: raising one, and each step of its loop, on the customer's
// stream. Each step is decided by the domain (issue_steps.h) into one event with its
// actor; the issue, its rows, its counters and the answer follow from that event, as a
// rebuild computes them again.
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issue_steps.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {

grpc::Status SatisfactionService::RaiseIssue(grpc::ServerContext* context,
                                             const crm::v1::RaiseIssueRequest* request,
                                             crm::v1::RaiseIssueResponse* response) {
  auto raise = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    const absl::Time now = Now();
    crm::v1::Issue issue;
    issue.set_issue_id(runtime::NewId("iss"));
    issue.set_customer_id(customer_id);
    issue.set_person_id(request->person_id());
    issue.set_category(request->category());
    issue.set_severity(request->severity());
    issue.set_text(request->text());
    issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
    *issue.mutable_raised_at() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
    *issue.mutable_waiting_since() = issue.raised_at();
    RETURN_IF_ERROR(ValidateRaisedIssue(issue));
    std::vector<PersonReference> persons;
    if (!issue.person_id().empty()) persons.push_back({issue.person_id(), "person_id"});
    RETURN_IF_ERROR(directory_.Find(runtime::PrincipalOf(*context), customer_id, persons).status());
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
    ASSIGN_OR_RETURN(crm::v1::Tier tier, TierOf(customer_id));

    const Command command{.method = "RaiseIssue",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      const crm::v1::IssueRaised raised = RaisedIssue(issue, settings.commitments(), tier);
      crm::v1::RaiseIssueResponse reply;
      *reply.mutable_issue() = IssueAsRaised(raised, now);
      return Decision{.events = {eventstore::NewEvent::From(raised)},
                      .rows = runtime::RowWritesOf(IssueRows(issue, nullptr)),
                      .response = reply.SerializeAsString(),
                      .occurred_at = now};
    });
  };
  return runtime::Reply(raise(), response);
}

absl::StatusOr<std::string> SatisfactionService::StepIssue(const grpc::ServerContext& context,
                                                           const IssueStepCommand& command,
                                                           DecideStep decide) {
  // The customer never changes: the row read before locking names the right stream.
  ASSIGN_OR_RETURN(crm::v1::Issue found, LoadIssue(command.issue_id));
  ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
  const Command run{.method = command.method,
                    .request_id = command.request_id,
                    .stream = CustomerStream(found.customer_id()),
                    .customer_id = found.customer_id()};
  return Run(context, run, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
    ASSIGN_OR_RETURN(const crm::v1::Issue before, LoadIssue(command.issue_id));
    ASSIGN_OR_RETURN(crm::v1::Tier tier, TierOf(before.customer_id()));
    const IssueStepFacts facts{.commitments = settings.commitments(), .tier = tier, .now = Now()};
    ASSIGN_OR_RETURN(const IssueStepEvent event, decide(before, facts));
    crm::v1::Issue issue = before;
    EvolveIssue(event, facts.now, issue);
    // The step's time (an acknowledgement's, a resolution's) is its event's time.
    return Decision{.events = {eventstore::NewEvent::From(MessageOf(event))},
                    .rows = runtime::RowWritesOf(IssueRows(issue, &before)),
                    .counters = runtime::CounterAddsOf(IssueStepCounters(event, facts.now)),
                    .response = IssueAsStepped(issue, event, facts.now).SerializeAsString(),
                    .occurred_at = facts.now};
  });
}

grpc::Status SatisfactionService::AcknowledgeIssue(grpc::ServerContext* context,
                                                   const crm::v1::AcknowledgeIssueRequest* request,
                                                   crm::v1::AcknowledgeIssueResponse* response) {
  auto acknowledge = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("note", request->note(), /*required=*/false));
    return StepIssue(*context, {"AcknowledgeIssue", request->request_id(), request->issue_id()},
                     [&](const crm::v1::Issue& issue, const IssueStepFacts& facts) {
                       return DecideAcknowledge(issue, request->note(), facts);
                     });
  };
  return runtime::Reply(acknowledge(), response->mutable_issue());
}

grpc::Status SatisfactionService::ResolveIssue(grpc::ServerContext* context,
                                               const crm::v1::ResolveIssueRequest* request,
                                               crm::v1::ResolveIssueResponse* response) {
  auto resolve = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("resolution", request->resolution(), /*required=*/true));
    return StepIssue(*context, {"ResolveIssue", request->request_id(), request->issue_id()},
                     [&](const crm::v1::Issue& issue, const IssueStepFacts& facts) {
                       return DecideResolve(issue, request->resolution(), facts);
                     });
  };
  return runtime::Reply(resolve(), response->mutable_issue());
}

grpc::Status SatisfactionService::ConfirmIssueClosed(
    grpc::ServerContext* context, const crm::v1::ConfirmIssueClosedRequest* request,
    crm::v1::ConfirmIssueClosedResponse* response) {
  auto confirm = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("note", request->note(), /*required=*/false));
    return StepIssue(*context, {"ConfirmIssueClosed", request->request_id(), request->issue_id()},
                     [&](const crm::v1::Issue& issue, const IssueStepFacts& facts) {
                       return DecideConfirmClosed(issue, request->note(), facts);
                     });
  };
  return runtime::Reply(confirm(), response->mutable_issue());
}

grpc::Status SatisfactionService::ReopenIssue(grpc::ServerContext* context,
                                              const crm::v1::ReopenIssueRequest* request,
                                              crm::v1::ReopenIssueResponse* response) {
  auto reopen = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("reason", request->reason(), /*required=*/true));
    return StepIssue(*context, {"ReopenIssue", request->request_id(), request->issue_id()},
                     [&](const crm::v1::Issue& issue, const IssueStepFacts& facts) {
                       return DecideReopen(issue, request->reason(), facts);
                     });
  };
  return runtime::Reply(reopen(), response->mutable_issue());
}

}  // namespace crm::satisfaction
