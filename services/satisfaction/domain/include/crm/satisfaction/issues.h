// Voice-of-customer issues: the loop raised → acknowledged → resolved → closed (only when
// the customer confirms), reopening, and the response-time commitment per tier that says
// when an issue waiting for acknowledgement is overdue.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/v1/satisfaction.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace crm::satisfaction {

enum class IssueStep { kAcknowledge, kResolve, kConfirmClosed, kReopen };

// The status after `step`; FAILED_PRECONDITION saying why when the step does not apply:
// acknowledge an open issue, resolve an acknowledged one, confirm a resolved one, reopen
// a resolved or closed one (it waits for acknowledgement again).
absl::StatusOr<crm::v1::IssueStatus> StatusAfter(crm::v1::IssueStatus status, IssueStep step);

using Commitments = google::protobuf::RepeatedPtrField<crm::v1::ResponseCommitment>;

// INVALID_ARGUMENT naming the field: a tier S, A, B or C and 1..720 hours.
absl::Status ValidateCommitment(const crm::v1::ResponseCommitment& commitment);

// The commitment of `tier` (UNSPECIFIED: C) as set, else the default: S 4 hours, A 8,
// B 24, C 72.
crm::v1::ResponseCommitment CommitmentOf(const Commitments& set, crm::v1::Tier tier);

// INVALID_ARGUMENT naming the request field: a category clients may choose (not
// DETRACTOR_FOLLOW_UP), a severity, and a text of 1..4,000 characters.
absl::Status ValidateRaisedIssue(const crm::v1::Issue& issue);

// Whether recording `response` in place of `replaced` (null: none) opens a follow-up:
// when it is a detractor's and the response it replaces was not.
bool NeedsFollowUp(const crm::v1::SurveyResponse& response,
                   const crm::v1::SurveyResponse* replaced);

// The follow-up issue of a detractor's response (ids and times left to the caller): HIGH
// severity for scores 0 to 3, MEDIUM for 4 to 6; the text quotes score and comment.
crm::v1::Issue FollowUpOf(const crm::v1::SurveyResponse& response);

// Replaces the commitment of its tier.
void SetCommitment(const crm::v1::ResponseCommitment& commitment, Commitments& set);

// When an issue waiting since `waiting_since` (raised or reopened) must be acknowledged.
absl::Time AcknowledgeBy(absl::Time waiting_since, const crm::v1::ResponseCommitment& commitment);

// Whether the issue is still waiting for acknowledgement after its deadline at `now`.
bool IsOverdue(crm::v1::IssueStatus status, absl::Time waiting_since,
               const crm::v1::ResponseCommitment& commitment, absl::Time now);

// Fills in the read-time facts of a stored issue: the customer's tier now (UNSPECIFIED: C)
// and, while the issue waits for acknowledgement, its deadline under that tier's
// commitment and whether `now` is past it.
void ShowDeadline(crm::v1::Tier tier, const Commitments& set, absl::Time now,
                  crm::v1::Issue& issue);

}  // namespace crm::satisfaction
