#include "crm/tiering/redaction.h"

namespace crm::tiering {
namespace {

// Account managers and above see margins and relationship spending; assistants (and a
// caller without a role) do not.
bool SeesMoneyOfTheAccount(crm::v1::Role role) {
  return role == crm::v1::ROLE_ACCOUNT_MANAGER || role == crm::v1::ROLE_EXECUTIVE ||
         role == crm::v1::ROLE_ADMIN || role == crm::v1::ROLE_SERVICE;
}

}  // namespace

std::vector<std::string> HiddenTierFields(crm::v1::Role role) {
  if (SeesMoneyOfTheAccount(role)) return {};
  return {std::string("score_card.factors[") + kProfitFactor + "].input",
          std::string("score_card.factors[") + kProfitFactor + "].level"};
}

std::vector<std::string> HiddenTierPolicyFields(crm::v1::Role role) {
  if (SeesMoneyOfTheAccount(role)) return {};
  return {"policies.relationship_budget"};
}

std::vector<std::string> RedactTier(crm::v1::Role role, crm::v1::CustomerTier& tier) {
  if (SeesMoneyOfTheAccount(role)) return {};
  for (crm::v1::FactorScore& factor : *tier.mutable_score_card()->mutable_factors()) {
    if (factor.factor_id() != kProfitFactor) continue;
    // The level names the band the profit fell in, so it goes too; the points stay, as
    // the total is their sum.
    factor.clear_input();
    factor.clear_level();
  }
  return HiddenTierFields(role);
}

std::vector<std::string> RedactTierPolicies(crm::v1::Role role, crm::v1::TierPolicies& policies) {
  if (SeesMoneyOfTheAccount(role)) return {};
  for (crm::v1::TierPolicy& policy : *policies.mutable_policies())
    policy.clear_relationship_budget();
  return HiddenTierPolicyFields(role);
}

}  // namespace crm::tiering
