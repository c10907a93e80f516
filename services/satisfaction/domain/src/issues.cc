#include "crm/satisfaction/issues.h"

#include "absl/strings/str_cat.h"

namespace crm::satisfaction {
namespace {

constexpr int kMaxHours = 720;

crm::v1::ResponseCommitment Commitment(crm::v1::Tier tier, int hours) {
  crm::v1::ResponseCommitment commitment;
  commitment.set_tier(tier);
  commitment.set_acknowledge_within_hours(hours);
  return commitment;
}

absl::Status NotNow(crm::v1::IssueStatus status, const char* step) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", step, " an issue that is ", crm::v1::IssueStatus_Name(status)));
}

}  // namespace

absl::StatusOr<crm::v1::IssueStatus> StatusAfter(crm::v1::IssueStatus status, IssueStep step) {
  switch (step) {
    case IssueStep::kAcknowledge:
      if (status != crm::v1::ISSUE_STATUS_OPEN) return NotNow(status, "acknowledge");
      return crm::v1::ISSUE_STATUS_ACKNOWLEDGED;
    case IssueStep::kResolve:
      if (status != crm::v1::ISSUE_STATUS_ACKNOWLEDGED) return NotNow(status, "resolve");
      return crm::v1::ISSUE_STATUS_RESOLVED;
    case IssueStep::kConfirmClosed:
      if (status != crm::v1::ISSUE_STATUS_RESOLVED) return NotNow(status, "confirm closed");
      return crm::v1::ISSUE_STATUS_CLOSED;
    case IssueStep::kReopen:
      if (status != crm::v1::ISSUE_STATUS_RESOLVED && status != crm::v1::ISSUE_STATUS_CLOSED) {
        return NotNow(status, "reopen");
      }
      return crm::v1::ISSUE_STATUS_OPEN;
  }
  return absl::InternalError("unknown issue step");
}

absl::Status ValidateCommitment(const crm::v1::ResponseCommitment& commitment) {
  if (commitment.tier() == crm::v1::TIER_UNSPECIFIED || !crm::v1::Tier_IsValid(commitment.tier())) {
    return absl::InvalidArgumentError("commitment.tier is required: S, A, B or C");
  }
  if (commitment.acknowledge_within_hours() < 1 ||
      commitment.acknowledge_within_hours() > kMaxHours) {
    return absl::InvalidArgumentError(
        absl::StrCat("commitment.acknowledge_within_hours must be from 1 to ", kMaxHours));
  }
  return absl::OkStatus();
}

crm::v1::ResponseCommitment CommitmentOf(const Commitments& set, crm::v1::Tier tier) {
  if (tier == crm::v1::TIER_UNSPECIFIED) tier = crm::v1::TIER_C;
  for (const crm::v1::ResponseCommitment& commitment : set) {
    if (commitment.tier() == tier) return commitment;
  }
  switch (tier) {
    case crm::v1::TIER_S:
      return Commitment(tier, 4);
    case crm::v1::TIER_A:
      return Commitment(tier, 8);
    case crm::v1::TIER_B:
      return Commitment(tier, 24);
    default:
      return Commitment(crm::v1::TIER_C, 72);
  }
}

void SetCommitment(const crm::v1::ResponseCommitment& commitment, Commitments& set) {
  for (crm::v1::ResponseCommitment& held : set) {
    if (held.tier() == commitment.tier()) {
      held = commitment;
      return;
    }
  }
  *set.Add() = commitment;
}

absl::Time AcknowledgeBy(absl::Time waiting_since, const crm::v1::ResponseCommitment& commitment) {
  return waiting_since + absl::Hours(commitment.acknowledge_within_hours());
}

bool IsOverdue(crm::v1::IssueStatus status, absl::Time waiting_since,
               const crm::v1::ResponseCommitment& commitment, absl::Time now) {
  return status == crm::v1::ISSUE_STATUS_OPEN && now > AcknowledgeBy(waiting_since, commitment);
}

}  // namespace crm::satisfaction
