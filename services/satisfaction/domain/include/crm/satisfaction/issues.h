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

// Replaces the commitment of its tier.
void SetCommitment(const crm::v1::ResponseCommitment& commitment, Commitments& set);

// When an issue waiting since `waiting_since` (raised or reopened) must be acknowledged.
absl::Time AcknowledgeBy(absl::Time waiting_since, const crm::v1::ResponseCommitment& commitment);

// Whether the issue is still waiting for acknowledgement after its deadline at `now`.
bool IsOverdue(crm::v1::IssueStatus status, absl::Time waiting_since,
               const crm::v1::ResponseCommitment& commitment, absl::Time now);

}  // namespace crm::satisfaction
