// Tiering's CustomerTierChanged and TierPoliciesPublished as the tiering service publishes
// them, for tests that feed the tiering topic of a service that follows tiers.
#pragma once

#include <string>

#include "crm/base/ids.h"
#include "crm/v1/tiering.pb.h"

namespace crm::testing {

// The serialized event: `customer` is now of `tier` (stream version 1 of its evaluation).
inline std::string TierChanged(const std::string& customer, crm::v1::Tier tier) {
  crm::v1::CustomerTierChanged tiered;
  crm::v1::EventMetadata& metadata = *tiered.mutable_metadata();
  metadata.set_event_id(NewUuid());
  metadata.set_event_type(crm::v1::CustomerTierChanged::descriptor()->full_name());
  metadata.set_stream_id("evaluation-" + customer);
  metadata.set_stream_version(1);
  metadata.set_customer_id(customer);
  metadata.set_source("crm/tiering/test");
  tiered.set_customer_id(customer);
  tiered.set_tier(tier);
  return tiered.SerializeAsString();
}

// The serialized event: `policies` are in force (the `version`th of the policies stream).
inline std::string TierPoliciesPublished(const crm::v1::TierPolicies& policies,
                                         uint64_t version = 1) {
  crm::v1::TierPoliciesPublished published;
  crm::v1::EventMetadata& metadata = *published.mutable_metadata();
  metadata.set_event_id(NewUuid());
  metadata.set_event_type(crm::v1::TierPoliciesPublished::descriptor()->full_name());
  metadata.set_stream_id("policies");
  metadata.set_stream_version(version);
  metadata.set_source("crm/tiering/test");
  *published.mutable_policies() = policies;
  return published.SerializeAsString();
}

// Policies of `version` that differ from every service's defaults: S 2 h, every 7 days,
// decision makers every 21; A 6 h, 21, 45; B 12 h, 45, 75; C 48 h, 75, 150.
inline crm::v1::TierPolicies TestTierPolicies(const std::string& version) {
  crm::v1::TierPolicies policies;
  policies.set_version(version);
  const struct {
    crm::v1::Tier tier;
    int hours, contact_days, decision_maker_days;
  } rows[] = {{crm::v1::TIER_S, 2, 7, 21},
              {crm::v1::TIER_A, 6, 21, 45},
              {crm::v1::TIER_B, 12, 45, 75},
              {crm::v1::TIER_C, 48, 75, 150}};
  for (const auto& row : rows) {
    crm::v1::TierPolicy& policy = *policies.add_policies();
    policy.set_tier(row.tier);
    policy.set_acknowledge_within_hours(row.hours);
    policy.set_contact_every_days(row.contact_days);
    policy.set_decision_maker_every_days(row.decision_maker_days);
  }
  return policies;
}

}  // namespace crm::testing
