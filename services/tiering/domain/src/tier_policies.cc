#include "crm/tiering/tier_policies.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"

namespace crm::tiering {
namespace {

constexpr int kMaxResponseHours = 720;
constexpr int kMaxCadenceDays = 3650;
constexpr size_t kMaxInvestmentLength = 200;

crm::v1::TierPolicy Policy(crm::v1::Tier tier, int hours, int contact_days, int decision_maker_days,
                           bool sponsor, double budget, const char* investment) {
  crm::v1::TierPolicy policy;
  policy.set_tier(tier);
  policy.set_acknowledge_within_hours(hours);
  policy.set_contact_every_days(contact_days);
  policy.set_decision_maker_every_days(decision_maker_days);
  policy.set_executive_sponsor_required(sponsor);
  policy.set_relationship_budget(budget);
  policy.set_resource_investment(investment);
  return policy;
}

absl::Status ValidatePolicy(const crm::v1::TierPolicy& policy, const std::string& field) {
  if (policy.tier() == crm::v1::TIER_UNSPECIFIED || !crm::v1::Tier_IsValid(policy.tier())) {
    return Invalid(field + ".tier", "is required: S, A, B or C");
  }
  if (policy.acknowledge_within_hours() < 1 ||
      policy.acknowledge_within_hours() > kMaxResponseHours) {
    return Invalid(field + ".acknowledge_within_hours", "must be from 1 to 720");
  }
  if (policy.contact_every_days() < 1 || policy.contact_every_days() > kMaxCadenceDays) {
    return Invalid(field + ".contact_every_days", "must be from 1 to 3650");
  }
  if (policy.decision_maker_every_days() < 1 ||
      policy.decision_maker_every_days() > kMaxCadenceDays) {
    return Invalid(field + ".decision_maker_every_days", "must be from 1 to 3650");
  }
  if (!std::isfinite(policy.relationship_budget()) || policy.relationship_budget() < 0) {
    return Invalid(field + ".relationship_budget", "must be a finite amount of at least 0");
  }
  if (Utf8Length(policy.resource_investment()) > kMaxInvestmentLength) {
    return Invalid(field + ".resource_investment", "must be at most 200 characters");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTierPolicies(const crm::v1::TierPolicies& policies) {
  if (!IsIdLike(policies.version())) {
    return Invalid("policies.version", "must be 1 to 64 letters, digits, '_' or '-'");
  }
  std::set<int> tiers;
  for (int i = 0; i < policies.policies_size(); ++i) {
    const std::string field = absl::StrCat("policies.policies[", i, "]");
    if (absl::Status valid = ValidatePolicy(policies.policies(i), field); !valid.ok()) {
      return valid;
    }
    if (!tiers.insert(policies.policies(i).tier()).second) {
      return Invalid(field + ".tier", "appears twice");
    }
  }
  if (tiers.size() != 4) {
    return Invalid("policies.policies", "needs one policy for each of S, A, B and C");
  }
  return absl::OkStatus();
}

crm::v1::TierPolicies DefaultTierPolicies() {
  crm::v1::TierPolicies policies;
  policies.set_version("policies-default");
  *policies.add_policies() =
      Policy(crm::v1::TIER_S, 4, 14, 30, true, 200000, "dedicated account team");
  *policies.add_policies() = Policy(crm::v1::TIER_A, 8, 30, 60, true, 50000, "named account team");
  *policies.add_policies() = Policy(crm::v1::TIER_B, 24, 60, 90, false, 10000, "shared team");
  *policies.add_policies() = Policy(crm::v1::TIER_C, 72, 90, 180, false, 0, "channel and online");
  return policies;
}

crm::v1::TierPolicy PolicyOf(const crm::v1::TierPolicies& policies, crm::v1::Tier tier) {
  if (tier == crm::v1::TIER_UNSPECIFIED) tier = crm::v1::TIER_C;
  for (const crm::v1::TierPolicy& policy : policies.policies()) {
    if (policy.tier() == tier) return policy;
  }
  const crm::v1::TierPolicies defaults = DefaultTierPolicies();
  for (const crm::v1::TierPolicy& policy : defaults.policies()) {
    if (policy.tier() == tier) return policy;
  }
  return {};
}

absl::StatusOr<crm::v1::TierPoliciesPublished> DecidePublishTierPolicies(
    const crm::v1::TierPolicies& policies, bool published_already) {
  RETURN_IF_ERROR(ValidateTierPolicies(policies));
  if (published_already || policies.version() == DefaultTierPolicies().version()) {
    return absl::AlreadyExistsError(
        absl::StrCat("policies.version ", policies.version(), " is published already"));
  }
  crm::v1::TierPoliciesPublished published;
  *published.mutable_policies() = policies;
  return published;
}

void EvolvePolicies(const crm::v1::TierPoliciesPublished& published,
                    internal::TierPolicyState& state) {
  *state.mutable_in_force() = published.policies();
}

}  // namespace crm::tiering
