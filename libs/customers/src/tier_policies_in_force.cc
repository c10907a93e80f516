#include "crm/customers/tier_policies_in_force.h"

#include <string>

#include "crm/base/status_macros.h"

namespace crm::customers {
namespace {

constexpr std::string_view kTable = "tier_policies_in_force";
constexpr std::string_view kKey = "in_force";

}  // namespace

absl::StatusOr<bool> ApplyTierPoliciesEvent(std::string_view event_type, std::string_view bytes,
                                            kafka::ProjectionBatch& batch) {
  if (event_type != crm::v1::TierPoliciesPublished::descriptor()->full_name()) return false;
  crm::v1::TierPoliciesPublished published;
  if (!published.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("a TierPoliciesPublished does not parse");
  }
  batch.Put(std::string(kTable), std::string(kKey), published.policies().SerializeAsString());
  return true;
}

absl::StatusOr<std::optional<crm::v1::TierPolicies>> LoadTierPoliciesInForce(
    const eventstore::EventStore& store) {
  ASSIGN_OR_RETURN(std::optional<std::string> row, store.GetRow(kTable, kKey));
  if (!row.has_value()) return std::nullopt;
  crm::v1::TierPolicies policies;
  if (!policies.ParseFromString(*row)) {
    return absl::InternalError("the tier policies in force do not parse");
  }
  return policies;
}

const crm::v1::TierPolicy* FindTierPolicy(const crm::v1::TierPolicies& policies,
                                          crm::v1::Tier tier) {
  for (const crm::v1::TierPolicy& policy : policies.policies()) {
    if (policy.tier() == tier) return &policy;
  }
  return nullptr;
}

}  // namespace crm::customers
