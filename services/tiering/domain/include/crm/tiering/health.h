// A customer's health score (docs/DOMAIN.md §4): six components scored 0..100 and weighted —
//   NPS 25          the customer's NPS, -100..100 mapped onto 0..100;
//   recency 20      100 within the tier's contact cadence, falling to 0 at three times it;
//   coverage 15     percent of the decision makers met;
//   open issues 15  100 with none, 25 less for each;
//   payment 15      the payment record rating 1..5 mapped onto 0..100;
//   revenue trend 10  50 when flat, +1 per percent of growth (0 at -50%, 100 at +50%).
// A component with nothing to measure is missing: left out, its weight shared among the
// others in proportion. Open issues are always measured, but no issues alone says nothing
// of a customer nobody has met, asked or sold to: with every other component missing
// there is no score.
#pragma once

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// What a customer's health is computed from.
struct HealthFacts {
  // The customer's NPS over every response; nullopt without responses.
  std::optional<double> nps;
  // The day of the latest touchpoint; nullopt without any.
  std::optional<absl::CivilDay> last_touchpoint;
  // The tier's contact_every_days.
  int contact_every_days = 90;
  // Percent of the decision makers met; nullopt without decision makers.
  std::optional<double> coverage;
  int open_issues = 0;
  // payment_record of the fiscal year (1..5).
  std::optional<double> payment_record;
  // last_year_revenue of the fiscal year and of the year before.
  std::optional<double> revenue;
  std::optional<double> previous_revenue;
};

// The score and its components, in the order of the list above (customer, year, tier and
// time are the caller's to set).
crm::v1::CustomerHealth HealthOf(const HealthFacts& facts, absl::CivilDay today);

}  // namespace crm::tiering
