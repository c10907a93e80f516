// The population of an evaluation run: every known customer of the region in id order,
// joined with its current tier, its inputs of the year and its signals by merging the
// tables' scans (one pass over each, no point read per customer), and scored.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/customers/known_customers.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/signals.h"
#include "row_cursor.h"
#include "tables.h"
#include "tiering_service.h"

namespace crm::tiering {
absl::StatusOr<std::vector<RunMember>> TieringService::Population(
    const crm::v1::ScoringModel& model, int fiscal_year, std::string_view region) const {
  const FactorIndex index = IndexOf(model);
  const auto revenue_at = index.find("last_year_revenue");
  const absl::Time now = options_.clock->Now();
  using TierCursor = RowCursor<internal::StoredTier>;
  using InputsCursor = RowCursor<crm::v1::CustomerInputs>;
  using SignalsCursor = RowCursor<internal::CustomerSignals>;
  ASSIGN_OR_RETURN(TierCursor tiers, TierCursor::Open(store_, kTiers, "", TierCursor::KeyIsId));
  ASSIGN_OR_RETURN(InputsCursor inputs,
                   InputsCursor::Open(store_, kInputs, JoinKey({absl::StrCat(fiscal_year)}),
                                      [](std::string_view, const crm::v1::CustomerInputs& row) {
                                        return std::string_view(row.customer_id());
                                      }));
  ASSIGN_OR_RETURN(SignalsCursor signals,
                   SignalsCursor::Open(store_, kSignals, "", SignalsCursor::KeyIsId));

  std::vector<RunMember> population;
  ASSIGN_OR_RETURN(eventstore::RowReader known,
                   store_.ReadRows(customers::kKnownCustomersTable, ""));
  KnownCustomerRow customer;
  for (; known.Valid(); known.Next()) {
    const std::string_view customer_id = known.key();
    const std::string_view value = known.value();
    if (!customer.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::InternalError(
          absl::StrCat("the known customer ", std::string(customer_id), " does not parse"));
    }
    if (!customer.registered()) continue;
    if (!region.empty() && customer.region() != region) continue;
    RunMember member{.customer_id = std::string(customer_id), .region = customer.region()};
    ASSIGN_OR_RETURN(const internal::StoredTier* current, tiers.Find(member.customer_id));
    if (current != nullptr) member.previous_tier = current->tier();
    if (customer.status() == crm::v1::LIFECYCLE_STATUS_CHURNED) {
      if (member.previous_tier == crm::v1::TIER_UNSPECIFIED) continue;  // lost before
      member.lost = true;
    } else {
      member.values.resize(model.factors_size());
      ASSIGN_OR_RETURN(const crm::v1::CustomerInputs* entered, inputs.Find(member.customer_id));
      if (entered != nullptr) PlaceInputs(index, entered->inputs(), member.values);
      ASSIGN_OR_RETURN(const internal::CustomerSignals* told, signals.Find(member.customer_id));
      if (told != nullptr) PlaceInputs(index, DerivedInputs(*told, customer, now), member.values);
      member.total_score = TotalScore(model, member.values);
      if (revenue_at != index.end()) member.revenue = member.values[revenue_at->second].value_or(0);
    }
    population.push_back(std::move(member));
  }
  RETURN_IF_ERROR(known.status());
  return population;
}

}  // namespace crm::tiering
