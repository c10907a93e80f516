// Decision-chain coverage of a customer over a window of days, from the key persons the
// service knows and the latest contacts the customer's engagement state holds.
#pragma once

#include "absl/time/civil_time.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/internal/known_customer.pb.h"
#include "crm/v1/engagement.pb.h"

namespace crm::engagement {

// Days a coverage window spans when none is asked for, and at most.
inline constexpr int kDefaultWindowDays = 90;
inline constexpr int kMaxWindowDays = 3650;

// The window is the `window_days` days up to `today`, today included. Work is linear in
// persons × layers, whatever the number of touchpoints: the state holds one latest
// contact per person and layer.
crm::v1::GetCoverageResponse BuildCoverage(const crm::internal::KnownCustomer& customer,
                                           const internal::CustomerEngagement& state,
                                           absl::CivilDay today, int window_days);

}  // namespace crm::engagement
