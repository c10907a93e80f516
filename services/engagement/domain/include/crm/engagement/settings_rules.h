// Cadence rules per tier and touchpoint quotas per employee role, as admins set them, with
// the defaults that hold until they do; and which customers a rule finds overdue.
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/internal/known_customer.pb.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

using internal::EngagementSettings;

// INVALID_ARGUMENT naming the field: a tier S, A, B or C and both gaps 1..3650 days.
absl::Status ValidateCadenceRule(const crm::v1::CadenceRule& rule);

// The rule of `tier` (UNSPECIFIED: C): as set, else the default (S 14/30, A 30/60, B 60/90,
// C 90/180 days overall/per decision maker).
crm::v1::CadenceRule CadenceRuleOf(const EngagementSettings& settings, crm::v1::Tier tier);

// Replaces the rule of its tier.
void SetCadenceRule(const crm::v1::CadenceRule& rule, EngagementSettings& settings);

// INVALID_ARGUMENT naming the field: a role word and 0..1000 touchpoints a week.
absl::Status ValidateQuota(const crm::v1::TouchpointQuota& quota);

// The weekly quota of `role`; 0 when it has none.
int QuotaOf(const EngagementSettings& settings, std::string_view role);

// Sets the quota of its role (0 removes it), keeping the quotas ordered by role.
void SetQuota(const crm::v1::TouchpointQuota& quota, EngagementSettings& settings);

// What is overdue for the customer on `today` under `rule`: the customer when its last
// touchpoint is older than contact_every_days (or it has none), and each decision maker
// not met, at any layer, within decision_maker_every_days. nullopt when nothing is.
std::optional<crm::v1::OverdueCustomer> OverdueOf(const crm::internal::KnownCustomer& customer,
                                                  const internal::CustomerEngagement& state,
                                                  const crm::v1::CadenceRule& rule,
                                                  absl::CivilDay today);

}  // namespace crm::engagement
