// A customer's health, computed when asked: the signals other services' events left (kept
// current by the projection as events arrive), the year's entered inputs and today's date,
// since recency keeps falling while nothing happens.
#include "absl/time/civil_time.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/health.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/signals.h"
#include "crm/tiering/tier_policies.h"
#include "google/protobuf/util/time_util.h"
#include "tiering_service.h"

namespace crm::tiering {
namespace {

std::optional<double> Find(const Inputs& inputs, const std::string& factor_id) {
  auto found = inputs.find(factor_id);
  if (found == inputs.end()) return std::nullopt;
  return found->second;
}

}  // namespace

grpc::Status TieringService::GetCustomerHealth(grpc::ServerContext* context,
                                               const crm::v1::GetCustomerHealthRequest* request,
                                               crm::v1::GetCustomerHealthResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetCustomerHealthResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    const absl::Time now = options_.clock->Now();
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    const int fiscal_year =
        request->fiscal_year() == 0 ? static_cast<int>(today.year()) : request->fiscal_year();
    RETURN_IF_ERROR(ValidateFiscalYear(fiscal_year, "fiscal_year"));
    ASSIGN_OR_RETURN(KnownCustomerRow customer,
                     directory_.Find(runtime::PrincipalOf(*context), request->customer_id()));
    const crm::v1::Tier tier = customers::EffectiveTier(customer);
    ASSIGN_OR_RETURN(crm::v1::TierPolicies policies, LoadTierPolicies(""));

    HealthFacts facts;
    facts.contact_every_days = PolicyOf(policies, tier).contact_every_days();
    ASSIGN_OR_RETURN(std::optional<std::string> row,
                     store_.GetRow(kSignals, request->customer_id()));
    internal::CustomerSignals signals;
    if (row.has_value()) {
      ASSIGN_OR_RETURN(signals, runtime::ParseRow<internal::CustomerSignals>(*row));
    }
    Inputs derived;
    for (const crm::v1::FactorInput& input : DerivedInputs(signals, customer, now)) {
      derived[input.factor_id()] = input.value();
    }
    facts.nps = Find(derived, "loyalty");
    facts.coverage = Find(derived, "relationship_depth");
    if (signals.has_last_touchpoint_date()) {
      facts.last_touchpoint = DayOfDate(signals.last_touchpoint_date());
    }
    facts.open_issues = signals.open_issue_ids_size();
    ASSIGN_OR_RETURN(crm::v1::CustomerInputs this_year,
                     LoadInputs(request->customer_id(), fiscal_year));
    ASSIGN_OR_RETURN(crm::v1::CustomerInputs last_year,
                     LoadInputs(request->customer_id(), fiscal_year - 1));
    facts.payment_record = Find(InputsOf(this_year), "payment_record");
    facts.revenue = Find(InputsOf(this_year), "last_year_revenue");
    facts.previous_revenue = Find(InputsOf(last_year), "last_year_revenue");

    crm::v1::GetCustomerHealthResponse reply;
    crm::v1::CustomerHealth& health = *reply.mutable_health();
    health = HealthOf(facts, today);
    health.set_customer_id(request->customer_id());
    health.set_fiscal_year(fiscal_year);
    health.set_tier(tier);
    *health.mutable_computed_at() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
    return reply;
  };
  return runtime::Answer(get(), response);
}

}  // namespace crm::tiering
