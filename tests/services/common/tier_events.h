// Tiering's CustomerTierChanged as the tiering service publishes it, for tests that feed
// the tiering topic of a service that follows tiers.
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

}  // namespace crm::testing
