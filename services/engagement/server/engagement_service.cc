// The engagement service's construction, and the loads of stream states that its commands
// and queries share.
#include "engagement_service.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/customers/tier_policies_in_force.h"
#include "crm/engagement/read_models.h"
#include "crm/engagement/settings_rules.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"

namespace crm::engagement {
EngagementService::EngagementService(eventstore::EventStore& store,
                                     const CustomerDirectory& directory,
                                     EngagementServiceOptions options)
    : store_(store), directory_(directory), options_(std::move(options)) {}

absl::CivilDay EngagementService::Today() const {
  return absl::ToCivilDay(options_.clock->Now(), absl::UTCTimeZone());
}

absl::StatusOr<internal::CustomerEngagement> EngagementService::LoadEngagement(
    std::string_view customer_id) const {
  const std::string stream = CustomerStream(customer_id);
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream));
  return runtime::ParseState<internal::CustomerEngagement>(head, stream);
}

absl::StatusOr<internal::EngagementSettings> EngagementService::LoadSettings() const {
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(kSettingsStream));
  ASSIGN_OR_RETURN(internal::EngagementSettings settings,
                   runtime::ParseState<internal::EngagementSettings>(head, kSettingsStream));
  ASSIGN_OR_RETURN(std::optional<crm::v1::TierPolicies> in_force,
                   customers::LoadTierPoliciesInForce(store_));
  if (!in_force.has_value()) return settings;
  for (const crm::v1::TierPolicy& policy : in_force->policies()) {
    crm::v1::CadenceRule rule;
    rule.set_tier(policy.tier());
    rule.set_contact_every_days(policy.contact_every_days());
    rule.set_decision_maker_every_days(policy.decision_maker_every_days());
    engagement::SetCadenceRule(rule, settings);
  }
  settings.set_policy_version(in_force->version());
  return settings;
}

absl::StatusOr<crm::v1::RelationshipPlan> EngagementService::LoadPlan(
    std::string_view plan_id) const {
  RETURN_IF_ERROR(runtime::CheckId("plan_id", plan_id));
  const std::string stream = PlanStream(plan_id);
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream));
  if (head.version == 0) {
    return absl::NotFoundError(absl::StrCat("plan_id ", std::string(plan_id), " names no plan"));
  }
  return runtime::ParseState<crm::v1::RelationshipPlan>(head, stream);
}

absl::StatusOr<crm::v1::Touchpoint> EngagementService::LoadTouchpoint(
    std::string_view customer_id, std::string_view touchpoint_id) const {
  RETURN_IF_ERROR(runtime::CheckId("touchpoint_id", touchpoint_id));
  ASSIGN_OR_RETURN(std::optional<std::string> row,
                   store_.GetRow(kTouchpoints, TouchpointKey(customer_id, touchpoint_id)));
  crm::v1::Touchpoint touchpoint;
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("touchpoint_id ", std::string(touchpoint_id),
                                            " names no touchpoint of customer ",
                                            std::string(customer_id)));
  }
  if (!touchpoint.ParseFromString(*row)) return absl::InternalError("a touchpoint row is corrupt");
  return touchpoint;
}

}  // namespace crm::engagement
