// The satisfaction service's construction, and the loads that its commands and queries
// share.
#include "satisfaction_service.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/customers/tier_policies_in_force.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/read_models.h"

namespace crm::satisfaction {

SatisfactionService::SatisfactionService(eventstore::EventStore& store,
                                         const CustomerDirectory& directory,
                                         SatisfactionServiceOptions options)
    : store_(store), directory_(directory), options_(std::move(options)) {}

absl::CivilDay SatisfactionService::Today() const {
  return absl::ToCivilDay(Now(), absl::UTCTimeZone());
}

absl::StatusOr<crm::v1::Survey> SatisfactionService::LoadSurvey(std::string_view survey_id) const {
  RETURN_IF_ERROR(runtime::CheckId("survey_id", survey_id));
  const std::string stream = SurveyStream(survey_id);
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream));
  if (head.version == 0) {
    return absl::NotFoundError(
        absl::StrCat("survey_id ", std::string(survey_id), " names no survey"));
  }
  return runtime::ParseState<crm::v1::Survey>(head, stream);
}

absl::StatusOr<crm::v1::Survey> SatisfactionService::LoadSurveyHeader(
    std::string_view survey_id) const {
  RETURN_IF_ERROR(runtime::CheckId("survey_id", survey_id));
  ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kSurveys, survey_id));
  if (!row.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("survey_id ", std::string(survey_id), " names no survey"));
  }
  return runtime::ParseRow<crm::v1::Survey>(*row);
}

absl::StatusOr<SatisfactionSettings> SatisfactionService::LoadSettings() const {
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(kSettingsStream));
  ASSIGN_OR_RETURN(SatisfactionSettings settings,
                   runtime::ParseState<SatisfactionSettings>(head, kSettingsStream));
  ASSIGN_OR_RETURN(std::optional<crm::v1::TierPolicies> in_force,
                   customers::LoadTierPoliciesInForce(store_));
  if (!in_force.has_value()) return settings;
  for (const crm::v1::TierPolicy& policy : in_force->policies()) {
    crm::v1::ResponseCommitment commitment;
    commitment.set_tier(policy.tier());
    commitment.set_acknowledge_within_hours(policy.acknowledge_within_hours());
    SetCommitment(commitment, *settings.mutable_commitments());
  }
  settings.set_policy_version(in_force->version());
  return settings;
}

absl::StatusOr<crm::v1::Issue> SatisfactionService::LoadIssue(std::string_view issue_id) const {
  RETURN_IF_ERROR(runtime::CheckId("issue_id", issue_id));
  ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kIssues, issue_id));
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("issue_id ", std::string(issue_id), " names no issue"));
  }
  return runtime::ParseRow<crm::v1::Issue>(*row);
}

absl::StatusOr<crm::v1::Tier> SatisfactionService::TierOf(std::string_view customer_id) const {
  ASSIGN_OR_RETURN(std::optional<std::string> row,
                   store_.GetRow(customers::kKnownCustomersTable, customer_id));
  if (!row.has_value()) return crm::v1::TIER_C;
  ASSIGN_OR_RETURN(KnownCustomer customer, runtime::ParseRow<KnownCustomer>(*row));
  return customers::EffectiveTier(customer);
}

absl::StatusOr<crm::v1::Issue> SatisfactionService::Shown(
    crm::v1::Issue issue, const SatisfactionSettings& settings) const {
  ASSIGN_OR_RETURN(crm::v1::Tier tier, TierOf(issue.customer_id()));
  ShowDeadline(tier, settings.commitments(), Now(), issue);
  return issue;
}

}  // namespace crm::satisfaction
