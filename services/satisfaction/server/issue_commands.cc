// Voice-of-customer issues: raising one, and each step of its loop, on the customer's
// stream. Every step is an event with its actor; acknowledging and closing count the
// times they took per tier and month.
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"
#include "satisfaction_service.h"
#include "tables.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

int64_t SecondsBetween(const google::protobuf::Timestamp& from, absl::Time to) {
  return absl::ToInt64Seconds(to - absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(from)));
}

// What one step adds to the issue times of the tier's month.
eventstore::CounterAdd IssueTimeAdd(
    crm::v1::Tier tier, absl::Time now,
    std::initializer_list<std::pair<IssueTimeCounter, int64_t>> additions) {
  std::vector<int64_t> deltas(kIssueTimeCounters, 0);
  for (const auto& [counter, by] : additions) deltas[counter] += by;
  return {std::string(kIssueTimes), IssueTimesKey(tier, MonthOf(now)), std::move(deltas)};
}

}  // namespace

grpc::Status SatisfactionService::RaiseIssue(grpc::ServerContext* context,
                                             const crm::v1::RaiseIssueRequest* request,
                                             crm::v1::RaiseIssueResponse* response) {
  auto raise = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    crm::v1::Issue issue;
    issue.set_issue_id(runtime::NewId("iss"));
    issue.set_customer_id(customer_id);
    issue.set_person_id(request->person_id());
    issue.set_category(request->category());
    issue.set_severity(request->severity());
    issue.set_text(request->text());
    issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
    *issue.mutable_raised_at() = TimestampOf(Now());
    *issue.mutable_waiting_since() = issue.raised_at();
    RETURN_IF_ERROR(ValidateRaisedIssue(issue));
    std::vector<PersonReference> persons;
    if (!issue.person_id().empty()) persons.push_back({issue.person_id(), "person_id"});
    RETURN_IF_ERROR(directory_.Find(runtime::PrincipalOf(*context), customer_id, persons).status());
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());

    const Command command{.method = "RaiseIssue",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      crm::v1::IssueRaised raised;
      *raised.mutable_issue() = issue;
      crm::v1::RaiseIssueResponse reply;
      ASSIGN_OR_RETURN(*reply.mutable_issue(), Shown(issue, settings));
      return Decision{.events = {eventstore::NewEvent::From(raised)},
                      .rows = IssueRows(issue, nullptr),
                      .response = reply.SerializeAsString()};
    });
  };
  return runtime::Reply(raise(), response);
}

absl::StatusOr<std::string> SatisfactionService::StepIssue(const grpc::ServerContext& context,
                                                           const IssueStepCommand& command,
                                                           ChangeOfIssue change) {
  // The customer never changes: the row read before locking names the right stream.
  ASSIGN_OR_RETURN(crm::v1::Issue found, LoadIssue(command.issue_id));
  ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
  const Command run{.method = command.method,
                    .request_id = command.request_id,
                    .stream = CustomerStream(found.customer_id()),
                    .customer_id = found.customer_id()};
  return Run(context, run, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
    ASSIGN_OR_RETURN(const crm::v1::Issue before, LoadIssue(command.issue_id));
    crm::v1::Issue issue = before;
    ASSIGN_OR_RETURN(crm::v1::Tier tier, TierOf(issue.customer_id()));
    const IssueStepFacts facts{.settings = settings, .tier = tier, .now = Now()};
    ASSIGN_OR_RETURN(Decision decision, change(issue, facts));
    // The step's time (an acknowledgement's, a resolution's) is its events' time.
    decision.occurred_at = facts.now;
    for (eventstore::RowWrite& row : IssueRows(issue, &before)) {
      decision.rows.push_back(std::move(row));
    }
    ShowDeadline(tier, settings.commitments(), facts.now, issue);
    decision.response = issue.SerializeAsString();
    return decision;
  });
}

grpc::Status SatisfactionService::AcknowledgeIssue(grpc::ServerContext* context,
                                                   const crm::v1::AcknowledgeIssueRequest* request,
                                                   crm::v1::AcknowledgeIssueResponse* response) {
  auto acknowledge = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("note", request->note(), /*required=*/false));
    return StepIssue(
        *context, {"AcknowledgeIssue", request->request_id(), request->issue_id()},
        [&](crm::v1::Issue& issue, const IssueStepFacts& facts) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::IssueStatus status,
                           StatusAfter(issue.status(), IssueStep::kAcknowledge));
          const absl::Time now = facts.now;
          const crm::v1::ResponseCommitment commitment =
              CommitmentOf(facts.settings.commitments(), facts.tier);
          const int64_t waited = SecondsBetween(issue.waiting_since(), now);
          const bool within = waited <= int64_t{commitment.acknowledge_within_hours()} * 3600;
          issue.set_status(status);
          *issue.mutable_acknowledged_at() = TimestampOf(now);

          crm::v1::IssueAcknowledged acknowledged;
          acknowledged.set_customer_id(issue.customer_id());
          acknowledged.set_issue_id(issue.issue_id());
          acknowledged.set_note(request->note());
          acknowledged.set_waited_seconds(waited);
          acknowledged.set_within_commitment(within);
          acknowledged.set_tier(commitment.tier());
          return Decision{.events = {eventstore::NewEvent::From(acknowledged)},
                          .counters = {IssueTimeAdd(commitment.tier(), now,
                                                    {{kAcknowledged, 1},
                                                     {kSecondsToAcknowledge, waited},
                                                     {kAcknowledgedWithinCommitment, within}})}};
        });
  };
  crm::v1::Issue issue;
  grpc::Status status = runtime::Reply(acknowledge(), &issue);
  *response->mutable_issue() = std::move(issue);
  return status;
}

grpc::Status SatisfactionService::ResolveIssue(grpc::ServerContext* context,
                                               const crm::v1::ResolveIssueRequest* request,
                                               crm::v1::ResolveIssueResponse* response) {
  auto resolve = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("resolution", request->resolution(), /*required=*/true));
    return StepIssue(
        *context, {"ResolveIssue", request->request_id(), request->issue_id()},
        [&](crm::v1::Issue& issue, const IssueStepFacts& facts) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::IssueStatus status,
                           StatusAfter(issue.status(), IssueStep::kResolve));
          issue.set_status(status);
          *issue.mutable_resolved_at() = TimestampOf(facts.now);
          issue.set_resolution(request->resolution());
          crm::v1::IssueResolved resolved;
          resolved.set_customer_id(issue.customer_id());
          resolved.set_issue_id(issue.issue_id());
          resolved.set_resolution(request->resolution());
          return Decision{.events = {eventstore::NewEvent::From(resolved)}};
        });
  };
  crm::v1::Issue issue;
  grpc::Status status = runtime::Reply(resolve(), &issue);
  *response->mutable_issue() = std::move(issue);
  return status;
}

grpc::Status SatisfactionService::ConfirmIssueClosed(
    grpc::ServerContext* context, const crm::v1::ConfirmIssueClosedRequest* request,
    crm::v1::ConfirmIssueClosedResponse* response) {
  auto confirm = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("note", request->note(), /*required=*/false));
    return StepIssue(
        *context, {"ConfirmIssueClosed", request->request_id(), request->issue_id()},
        [&](crm::v1::Issue& issue, const IssueStepFacts& facts) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::IssueStatus status,
                           StatusAfter(issue.status(), IssueStep::kConfirmClosed));
          const absl::Time now = facts.now;
          const crm::v1::Tier tier = facts.tier;
          const int64_t open_seconds = SecondsBetween(issue.raised_at(), now);
          issue.set_status(status);
          *issue.mutable_closed_at() = TimestampOf(now);
          crm::v1::IssueClosed closed;
          closed.set_customer_id(issue.customer_id());
          closed.set_issue_id(issue.issue_id());
          closed.set_note(request->note());
          closed.set_open_seconds(open_seconds);
          return Decision{.events = {eventstore::NewEvent::From(closed)},
                          .counters = {IssueTimeAdd(
                              tier, now, {{kClosed, 1}, {kSecondsToClose, open_seconds}})}};
        });
  };
  crm::v1::Issue issue;
  grpc::Status status = runtime::Reply(confirm(), &issue);
  *response->mutable_issue() = std::move(issue);
  return status;
}

grpc::Status SatisfactionService::ReopenIssue(grpc::ServerContext* context,
                                              const crm::v1::ReopenIssueRequest* request,
                                              crm::v1::ReopenIssueResponse* response) {
  auto reopen = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(ValidateText("reason", request->reason(), /*required=*/true));
    return StepIssue(
        *context, {"ReopenIssue", request->request_id(), request->issue_id()},
        [&](crm::v1::Issue& issue, const IssueStepFacts& facts) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::IssueStatus status,
                           StatusAfter(issue.status(), IssueStep::kReopen));
          issue.set_status(status);
          *issue.mutable_waiting_since() = TimestampOf(facts.now);
          issue.set_times_reopened(issue.times_reopened() + 1);
          crm::v1::IssueReopened reopened;
          reopened.set_customer_id(issue.customer_id());
          reopened.set_issue_id(issue.issue_id());
          reopened.set_reason(request->reason());
          return Decision{.events = {eventstore::NewEvent::From(reopened)}};
        });
  };
  crm::v1::Issue issue;
  grpc::Status status = runtime::Reply(reopen(), &issue);
  *response->mutable_issue() = std::move(issue);
  return status;
}

}  // namespace crm::satisfaction
