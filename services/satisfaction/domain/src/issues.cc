#include "crm/satisfaction/issues.h"

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

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

absl::Status ValidateRaisedIssue(const crm::v1::Issue& issue) {
  if (issue.category() == crm::v1::ISSUE_CATEGORY_UNSPECIFIED ||
      !crm::v1::IssueCategory_IsValid(issue.category())) {
    return Invalid("category", "is required");
  }
  if (issue.category() == crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP) {
    return Invalid("category", "DETRACTOR_FOLLOW_UP is opened by the service itself");
  }
  if (issue.severity() == crm::v1::ISSUE_SEVERITY_UNSPECIFIED ||
      !crm::v1::IssueSeverity_IsValid(issue.severity())) {
    return Invalid("severity", "is required");
  }
  if (!issue.person_id().empty() && !IsIdLike(issue.person_id())) {
    return Invalid("person_id", "is not a person id");
  }
  return ValidateText("text", issue.text(), /*required=*/true);
}

bool NeedsFollowUp(const crm::v1::SurveyResponse& response,
                   const crm::v1::SurveyResponse* replaced) {
  const auto is_detractor = [](const crm::v1::SurveyResponse& r) {
    return CategoryOf(r) == crm::v1::NPS_CATEGORY_DETRACTOR;
  };
  return is_detractor(response) && (replaced == nullptr || !is_detractor(*replaced));
}

crm::v1::Issue FollowUpOf(const crm::v1::SurveyResponse& response) {
  crm::v1::Issue issue;
  issue.set_customer_id(response.customer_id());
  issue.set_person_id(response.person_id());
  issue.set_category(crm::v1::ISSUE_CATEGORY_DETRACTOR_FOLLOW_UP);
  issue.set_severity(response.score() <= 3 ? crm::v1::ISSUE_SEVERITY_HIGH
                                           : crm::v1::ISSUE_SEVERITY_MEDIUM);
  issue.set_response_id(response.response_id());
  issue.set_text(response.comment().empty()
                     ? absl::StrCat("Survey score ", response.score(), ", no comment")
                     : absl::StrCat("Survey score ", response.score(), ": ", response.comment()));
  return issue;
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

void ShowDeadline(crm::v1::Tier tier, const Commitments& set, absl::Time now,
                  crm::v1::Issue& issue) {
  const crm::v1::ResponseCommitment commitment = CommitmentOf(set, tier);
  issue.set_tier(commitment.tier());
  issue.clear_acknowledge_by();
  issue.set_overdue(false);
  if (issue.status() != crm::v1::ISSUE_STATUS_OPEN) return;
  const absl::Time waiting_since =
      absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(issue.waiting_since()));
  const absl::Time deadline = AcknowledgeBy(waiting_since, commitment);
  *issue.mutable_acknowledge_by() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(deadline));
  issue.set_overdue(IsOverdue(issue.status(), waiting_since, commitment, now));
}

}  // namespace crm::satisfaction
