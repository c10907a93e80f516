#include "crm/customers/tier_policies_in_force.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"

namespace crm::customers {
namespace {

constexpr std::string_view kKey = "in_force";

}  // namespace

absl::StatusOr<bool> ApplyTierPoliciesEvent(std::string_view event_type, std::string_view bytes,
                                            kafka::ProjectionBatch& batch) {
  if (event_type != crm::v1::TierPoliciesPublished::descriptor()->full_name()) return false;
  crm::v1::TierPoliciesPublished published;
  if (!published.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("a TierPoliciesPublished does not parse");
  }
  batch.Put(std::string(kTierPoliciesInForceTable), std::string(kKey),
            published.policies().SerializeAsString());
  return true;
}

absl::StatusOr<std::optional<crm::v1::TierPolicies>> LoadTierPoliciesInForce(
    const eventstore::EventStore& store) {
  ASSIGN_OR_RETURN(std::optional<std::string> row, store.GetRow(kTierPoliciesInForceTable, kKey));
  if (!row.has_value()) return std::nullopt;
  crm::v1::TierPolicies policies;
  if (!policies.ParseFromString(*row)) {
    return absl::InternalError("the tier policies in force do not parse");
  }
  return policies;
}

absl::Status RequireNoTierPolicies(const eventstore::EventStore& store, std::string_view what) {
  ASSIGN_OR_RETURN(std::optional<crm::v1::TierPolicies> in_force, LoadTierPoliciesInForce(store));
  if (!in_force.has_value()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(std::string(what), " follow tiering's tier policies (version ",
                   in_force->version(), "): publish a new version there"));
}

}  // namespace crm::customers
