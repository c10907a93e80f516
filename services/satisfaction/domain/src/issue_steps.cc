#include "crm/satisfaction/issue_steps.h"

#include <utility>

#include "crm/base/status_macros.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/read_models.h"
#include "google/protobuf/util/time_util.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(timestamp));
}

int64_t SecondsBetween(const google::protobuf::Timestamp& from, absl::Time to) {
  return absl::ToInt64Seconds(to - TimeOf(from));
}

// The tier an event names; C for events recorded before steps named one (C is where a
// customer's rules start until tiering knows it).
crm::v1::Tier TierOrC(crm::v1::Tier tier) {
  return tier == crm::v1::TIER_UNSPECIFIED ? crm::v1::TIER_C : tier;
}

CounterChange IssueTimeChange(crm::v1::Tier tier, absl::Time at,
                              std::initializer_list<std::pair<IssueTimeCounter, int64_t>> adds) {
  std::vector<int64_t> deltas(kIssueTimeCounters, 0);
  for (const auto& [counter, by] : adds) deltas[counter] += by;
  return {kIssueTimes, IssueTimesKey(TierOrC(tier), MonthOf(at)), std::move(deltas)};
}

// Shows `tier` and, while the issue waits, the deadline `acknowledge_by` and whether `at`
// is past it; see ShowDeadline.
void ShowAsDecided(crm::v1::Tier tier, const google::protobuf::Timestamp& acknowledge_by,
                   absl::Time at, crm::v1::Issue& issue) {
  issue.set_tier(TierOrC(tier));
  issue.clear_acknowledge_by();
  issue.set_overdue(false);
  if (issue.status() != crm::v1::ISSUE_STATUS_OPEN) return;
  *issue.mutable_acknowledge_by() = acknowledge_by;
  issue.set_overdue(at > TimeOf(acknowledge_by));
}

}  // namespace

absl::StatusOr<IssueStepEvent> DecideAcknowledge(const crm::v1::Issue& issue, std::string_view note,
                                                 const IssueStepFacts& facts) {
  RETURN_IF_ERROR(StatusAfter(issue.status(), IssueStep::kAcknowledge).status());
  const crm::v1::ResponseCommitment commitment = CommitmentOf(facts.commitments, facts.tier);
  const int64_t waited = SecondsBetween(issue.waiting_since(), facts.now);
  crm::v1::IssueAcknowledged acknowledged;
  acknowledged.set_customer_id(issue.customer_id());
  acknowledged.set_issue_id(issue.issue_id());
  acknowledged.set_note(std::string(note));
  acknowledged.set_waited_seconds(waited);
  acknowledged.set_within_commitment(waited <=
                                     int64_t{commitment.acknowledge_within_hours()} * 3600);
  acknowledged.set_tier(commitment.tier());
  return acknowledged;
}

absl::StatusOr<IssueStepEvent> DecideResolve(const crm::v1::Issue& issue,
                                             std::string_view resolution,
                                             const IssueStepFacts& facts) {
  RETURN_IF_ERROR(StatusAfter(issue.status(), IssueStep::kResolve).status());
  crm::v1::IssueResolved resolved;
  resolved.set_customer_id(issue.customer_id());
  resolved.set_issue_id(issue.issue_id());
  resolved.set_resolution(std::string(resolution));
  resolved.set_tier(TierOrC(facts.tier));
  return resolved;
}

absl::StatusOr<IssueStepEvent> DecideConfirmClosed(const crm::v1::Issue& issue,
                                                   std::string_view note,
                                                   const IssueStepFacts& facts) {
  RETURN_IF_ERROR(StatusAfter(issue.status(), IssueStep::kConfirmClosed).status());
  crm::v1::IssueClosed closed;
  closed.set_customer_id(issue.customer_id());
  closed.set_issue_id(issue.issue_id());
  closed.set_note(std::string(note));
  closed.set_open_seconds(SecondsBetween(issue.raised_at(), facts.now));
  closed.set_tier(TierOrC(facts.tier));
  return closed;
}

absl::StatusOr<IssueStepEvent> DecideReopen(const crm::v1::Issue& issue, std::string_view reason,
                                            const IssueStepFacts& facts) {
  RETURN_IF_ERROR(StatusAfter(issue.status(), IssueStep::kReopen).status());
  const crm::v1::ResponseCommitment commitment = CommitmentOf(facts.commitments, facts.tier);
  crm::v1::IssueReopened reopened;
  reopened.set_customer_id(issue.customer_id());
  reopened.set_issue_id(issue.issue_id());
  reopened.set_reason(std::string(reason));
  reopened.set_tier(commitment.tier());
  // It waits for acknowledgement again from now.
  *reopened.mutable_acknowledge_by() = TimestampOf(AcknowledgeBy(facts.now, commitment));
  return reopened;
}

void EvolveIssue(const IssueStepEvent& event, absl::Time at, crm::v1::Issue& issue) {
  std::visit(Overloaded{[&](const crm::v1::IssueAcknowledged&) {
                          issue.set_status(crm::v1::ISSUE_STATUS_ACKNOWLEDGED);
                          *issue.mutable_acknowledged_at() = TimestampOf(at);
                        },
                        [&](const crm::v1::IssueResolved& resolved) {
                          issue.set_status(crm::v1::ISSUE_STATUS_RESOLVED);
                          *issue.mutable_resolved_at() = TimestampOf(at);
                          issue.set_resolution(resolved.resolution());
                        },
                        [&](const crm::v1::IssueClosed&) {
                          issue.set_status(crm::v1::ISSUE_STATUS_CLOSED);
                          *issue.mutable_closed_at() = TimestampOf(at);
                        },
                        [&](const crm::v1::IssueReopened&) {
                          issue.set_status(crm::v1::ISSUE_STATUS_OPEN);
                          *issue.mutable_waiting_since() = TimestampOf(at);
                          issue.set_times_reopened(issue.times_reopened() + 1);
                        }},
             event);
}

std::vector<CounterChange> IssueStepCounters(const IssueStepEvent& event, absl::Time at) {
  if (const auto* acknowledged = std::get_if<crm::v1::IssueAcknowledged>(&event)) {
    return {IssueTimeChange(acknowledged->tier(), at,
                            {{kAcknowledged, 1},
                             {kSecondsToAcknowledge, acknowledged->waited_seconds()},
                             {kAcknowledgedWithinCommitment, acknowledged->within_commitment()}})};
  }
  if (const auto* closed = std::get_if<crm::v1::IssueClosed>(&event)) {
    return {IssueTimeChange(closed->tier(), at,
                            {{kClosed, 1}, {kSecondsToClose, closed->open_seconds()}})};
  }
  return {};
}

crm::v1::IssueRaised RaisedIssue(const crm::v1::Issue& issue, const Commitments& commitments,
                                 crm::v1::Tier tier) {
  const crm::v1::ResponseCommitment commitment = CommitmentOf(commitments, tier);
  crm::v1::IssueRaised raised;
  *raised.mutable_issue() = issue;
  raised.set_tier(commitment.tier());
  *raised.mutable_acknowledge_by() =
      TimestampOf(AcknowledgeBy(TimeOf(issue.waiting_since()), commitment));
  return raised;
}

crm::v1::Issue IssueAsRaised(const crm::v1::IssueRaised& raised, absl::Time at) {
  crm::v1::Issue issue = raised.issue();
  ShowAsDecided(raised.tier(), raised.acknowledge_by(), at, issue);
  return issue;
}

crm::v1::Issue IssueAsStepped(crm::v1::Issue issue, const IssueStepEvent& event, absl::Time at) {
  std::visit(Overloaded{[&](const crm::v1::IssueReopened& reopened) {
                          ShowAsDecided(reopened.tier(), reopened.acknowledge_by(), at, issue);
                        },
                        [&](const auto& step) {
                          ShowAsDecided(step.tier(), google::protobuf::Timestamp(), at, issue);
                        }},
             event);
  return issue;
}

std::string_view IssueIdOf(const IssueStepEvent& event) {
  return std::visit([](const auto& step) -> std::string_view { return step.issue_id(); }, event);
}

const google::protobuf::Message& MessageOf(const IssueStepEvent& event) {
  return std::visit([](const auto& step) -> const google::protobuf::Message& { return step; },
                    event);
}

}  // namespace crm::satisfaction
