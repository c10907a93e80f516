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
namespace {

constexpr size_t kScanPage = 10000;

}  // namespace

absl::StatusOr<std::vector<RunMember>> TieringService::Population(
    const crm::v1::ScoringModel& model, int fiscal_year, std::string_view region) const {
  const FactorIndex index = IndexOf(model);
  const auto revenue_at = index.find("last_year_revenue");
  const absl::Time now = options_.clock->Now();
  RowCursor<internal::StoredTier> tiers(store_, kTiers, "",
                                        RowCursor<internal::StoredTier>::KeyIsId);
  RowCursor<crm::v1::CustomerInputs> inputs(
      store_, kInputs, JoinKey({absl::StrCat(fiscal_year)}),
      [](std::string_view, const crm::v1::CustomerInputs& row) -> std::string_view {
        return row.customer_id();
      });
  RowCursor<internal::CustomerSignals> signals(store_, kSignals, "",
                                               RowCursor<internal::CustomerSignals>::KeyIsId);

  std::vector<RunMember> population;
  std::string token;
  KnownCustomerRow customer;
  do {
    ASSIGN_OR_RETURN(eventstore::RowPage page,
                     store_.ScanRows(customers::kKnownCustomersTable, "", token, kScanPage));
    for (auto& [customer_id, value] : page.rows) {
      if (!customer.ParseFromString(value)) {
        return absl::InternalError(
            absl::StrCat("the known customer ", customer_id, " does not parse"));
      }
      if (!customer.registered()) continue;
      if (!region.empty() && customer.region() != region) continue;
      RunMember member{.customer_id = std::move(customer_id), .region = customer.region()};
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
        if (revenue_at != index.end())
          member.revenue = member.values[revenue_at->second].value_or(0);
      }
      population.push_back(std::move(member));
    }
    token = page.next_page_token;
  } while (!token.empty());
  return population;
}

}  // namespace crm::tiering
