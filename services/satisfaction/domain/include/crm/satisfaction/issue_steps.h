// The decisions of an issue's loop and what their events do, as pure functions: each
// step is decided from the issue and the step's facts into one event, the issue is moved
// on by that event alone (EvolveIssue), its issue-time counters and the issue as the step
// answers it follow from the event too. The command path decides with these; a rebuild
// runs the event-side ones again over the events read back from the topic.
//
//   ASSIGN_OR_RETURN(IssueStepEvent event, DecideAcknowledge(issue, note, facts));
//   EvolveIssue(event, facts.now, issue);
//   counters = IssueStepCounters(event, facts.now);
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/base/row_changes.h"
#include "crm/satisfaction/issues.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::satisfaction {

// What a step knows besides the issue: the commitments in force, the customer's tier
// (UNSPECIFIED: C) and the step's time.
struct IssueStepFacts {
  const Commitments& commitments;
  crm::v1::Tier tier;
  absl::Time now;
};

using IssueStepEvent = std::variant<crm::v1::IssueAcknowledged, crm::v1::IssueResolved,
                                    crm::v1::IssueClosed, crm::v1::IssueReopened>;

// The step's event; FAILED_PRECONDITION when the issue's status does not allow it
// (StatusAfter). Acknowledging records how long the issue waited and whether that was
// within the tier's commitment; closing, how long it was open; reopening, the new
// deadline. Every step records the tier.
absl::StatusOr<IssueStepEvent> DecideAcknowledge(const crm::v1::Issue& issue, std::string_view note,
                                                 const IssueStepFacts& facts);
absl::StatusOr<IssueStepEvent> DecideResolve(const crm::v1::Issue& issue,
                                             std::string_view resolution,
                                             const IssueStepFacts& facts);
absl::StatusOr<IssueStepEvent> DecideConfirmClosed(const crm::v1::Issue& issue,
                                                   std::string_view note,
                                                   const IssueStepFacts& facts);
absl::StatusOr<IssueStepEvent> DecideReopen(const crm::v1::Issue& issue, std::string_view reason,
                                            const IssueStepFacts& facts);

// The issue after a step recorded at `at` (its events' occurred_at).
void EvolveIssue(const IssueStepEvent& event, absl::Time at, crm::v1::Issue& issue);

// What a step recorded at `at` adds to the issue times of its tier and month:
// acknowledging and closing count, the other steps add nothing.
std::vector<CounterChange> IssueStepCounters(const IssueStepEvent& event, absl::Time at);

// The event of a raised issue (stored facts only, status OPEN, waiting since it was
// raised): with the customer's tier and, under that tier's commitment, its deadline.
crm::v1::IssueRaised RaisedIssue(const crm::v1::Issue& issue, const Commitments& commitments,
                                 crm::v1::Tier tier);

// The issue as a command answered it, at `at`: the read-time facts of ShowDeadline taken
// from the command's event (its tier, and the deadline of an issue left waiting) instead
// of from the commitments and tiers of today, so that a retry after a rebuild gets the
// same answer.
crm::v1::Issue IssueAsRaised(const crm::v1::IssueRaised& raised, absl::Time at);
crm::v1::Issue IssueAsStepped(crm::v1::Issue issue, const IssueStepEvent& event, absl::Time at);

// The event's issue id and its full protobuf message, for the event store.
std::string_view IssueIdOf(const IssueStepEvent& event);
const google::protobuf::Message& MessageOf(const IssueStepEvent& event);

}  // namespace crm::satisfaction
