// The population of an evaluation run: every known customer of the region in id order,
// joined with its current tier, its inputs of the year and its signals by merging the
// tables' scans (one pass over each, no point read per customer), and scored; in parts by
// customer id, one per core, side by side.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/parallel_tasks.h"
#include "crm/base/status_macros.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/signals.h"
#include "row_cursor.h"
#include "tiering_service.h"

namespace crm::tiering {

absl::StatusOr<std::vector<RunMember>> TieringService::Population(
    const crm::v1::ScoringModel& model, int fiscal_year, std::string_view region) const {
  const absl::Time now = options_.clock->Now();
  // Cut by customer id into one part per core, each part a merge join of its own.
  ASSIGN_OR_RETURN(std::vector<std::string> splits,
                   store_.SplitRows(customers::kKnownCustomersTable, "", WorkerThreads()));
  const size_t parts = splits.size() + 1;
  std::vector<std::vector<RunMember>> gathered(parts);
  RETURN_IF_ERROR(RunInParallel(parts, parts, [&](size_t p) -> absl::Status {
    ASSIGN_OR_RETURN(gathered[p],
                     PopulationPart(model, fiscal_year, region, now, p == 0 ? "" : splits[p - 1],
                                    p + 1 == parts ? "" : splits[p]));
    return absl::OkStatus();
  }));

  std::vector<RunMember> population = std::move(gathered.front());
  for (size_t p = 1; p < parts; ++p) {
    population.insert(population.end(), std::make_move_iterator(gathered[p].begin()),
                      std::make_move_iterator(gathered[p].end()));
  }
  return population;
}

absl::StatusOr<std::vector<RunMember>> TieringService::PopulationPart(
    const crm::v1::ScoringModel& model, int fiscal_year, std::string_view region, absl::Time now,
    std::string_view from, std::string_view to) const {
  const FactorIndex index = IndexOf(model);
  const auto revenue_at = index.find("last_year_revenue");
  using TierCursor = RowCursor<internal::StoredTier>;
  using InputsCursor = RowCursor<crm::v1::CustomerInputs>;
  using SignalsCursor = RowCursor<internal::CustomerSignals>;
  ASSIGN_OR_RETURN(TierCursor tiers,
                   TierCursor::Open(store_, kTiers, "", TierCursor::KeyIsId, from, to));
  // Inputs are keyed by year, then customer id: the same bounds after the year.
  ASSIGN_OR_RETURN(InputsCursor inputs,
                   InputsCursor::Open(
                       store_, kInputs, JoinKey({absl::StrCat(fiscal_year)}),
                       [](std::string_view, const crm::v1::CustomerInputs& row) {
                         return std::string_view(row.customer_id());
                       },
                       from, to));
  ASSIGN_OR_RETURN(SignalsCursor signals,
                   SignalsCursor::Open(store_, kSignals, "", SignalsCursor::KeyIsId, from, to));

  std::vector<RunMember> population;
  ASSIGN_OR_RETURN(eventstore::RowReader known,
                   store_.ReadRows(customers::kKnownCustomersTable, "", from, to));
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
