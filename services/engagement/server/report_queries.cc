// Queries that join the known customers with the engagement states: relationship roll-up,
// coverage, overdue contacts; and the settings and the weekly quota report.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/engagement/assessments.h"
#include "crm/engagement/coverage.h"
#include "crm/engagement/read_models.h"
#include "crm/engagement/settings_rules.h"
#include "crm/eventstore/counters.h"
#include "crm/known_customers/known_customers.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/stored_messages.h"
#include "engagement_service.h"

namespace crm::engagement {

using runtime::RowVerdict;

grpc::Status EngagementService::GetRelationshipRollup(
    grpc::ServerContext* context, const crm::v1::GetRelationshipRollupRequest* request,
    crm::v1::GetRelationshipRollupResponse* response) {
  auto rollup = [&]() -> absl::StatusOr<crm::v1::GetRelationshipRollupResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    ASSIGN_OR_RETURN(KnownCustomer customer,
                     directory_.Find(runtime::PrincipalOf(*context), request->customer_id()));
    ASSIGN_OR_RETURN(CustomerEngagement state, LoadEngagement(request->customer_id()));
    return Rollup(customer, state);
  };
  return runtime::Answer(rollup(), response);
}

grpc::Status EngagementService::GetCoverage(grpc::ServerContext* context,
                                            const crm::v1::GetCoverageRequest* request,
                                            crm::v1::GetCoverageResponse* response) {
  auto coverage = [&]() -> absl::StatusOr<crm::v1::GetCoverageResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    if (request->window_days() < 0 || request->window_days() > kMaxWindowDays) {
      return absl::InvalidArgumentError(absl::StrCat("window_days must be from 0 (the default, ",
                                                     kDefaultWindowDays, ") to ", kMaxWindowDays));
    }
    const int window = request->window_days() == 0 ? kDefaultWindowDays : request->window_days();
    ASSIGN_OR_RETURN(KnownCustomer customer,
                     directory_.Find(runtime::PrincipalOf(*context), request->customer_id()));
    ASSIGN_OR_RETURN(CustomerEngagement state, LoadEngagement(request->customer_id()));
    return BuildCoverage(customer, state, Today(), window);
  };
  return runtime::Answer(coverage(), response);
}

absl::StatusOr<std::optional<std::string>> EngagementService::PublishedState(
    std::string_view customer_id) {
  ASSIGN_OR_RETURN(KnownCustomer customer,
                   directory_.Find(security::ServiceItself("crm-engagement"), customer_id));
  ASSIGN_OR_RETURN(CustomerEngagement state, LoadEngagement(customer_id));
  ASSIGN_OR_RETURN(EngagementSettings settings, LoadSettings());
  const absl::CivilDay today = Today();
  crm::v1::CustomerEngagementSummary summary;
  summary.set_customer_id(std::string(customer_id));
  summary.set_tier(customers::EffectiveTier(customer));
  if (state.has_last_touchpoint())
    *summary.mutable_last_touchpoint() = state.last_touchpoint().date();
  *summary.mutable_coverage() = BuildCoverage(customer, state, today, kDefaultWindowDays);
  *summary.mutable_relationship() = Rollup(customer, state);
  if (customer.status() != crm::v1::LIFECYCLE_STATUS_CHURNED) {
    if (auto overdue = OverdueOf(customer, state, CadenceRuleOf(settings, summary.tier()), today)) {
      *summary.mutable_overdue() = *std::move(overdue);
    }
  }
  return summary.SerializeAsString();
}

grpc::Status EngagementService::GetCadenceRules(grpc::ServerContext*,
                                                const crm::v1::GetCadenceRulesRequest*,
                                                crm::v1::GetCadenceRulesResponse* response) {
  auto rules = [&]() -> absl::StatusOr<crm::v1::GetCadenceRulesResponse> {
    ASSIGN_OR_RETURN(EngagementSettings settings, LoadSettings());
    crm::v1::GetCadenceRulesResponse reply;
    for (crm::v1::Tier tier :
         {crm::v1::TIER_S, crm::v1::TIER_A, crm::v1::TIER_B, crm::v1::TIER_C}) {
      *reply.add_rules() = CadenceRuleOf(settings, tier);
    }
    reply.set_policy_version(settings.policy_version());
    return reply;
  };
  return runtime::Answer(rules(), response);
}

grpc::Status EngagementService::ListOverdueContacts(
    grpc::ServerContext*, const crm::v1::ListOverdueContactsRequest* request,
    crm::v1::ListOverdueContactsResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListOverdueContactsResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    if (!crm::v1::Tier_IsValid(request->tier())) {
      return absl::InvalidArgumentError("tier is not a tier");
    }
    ASSIGN_OR_RETURN(EngagementSettings settings, LoadSettings());
    const absl::CivilDay today = Today();
    crm::v1::ListOverdueContactsResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, customers::kKnownCustomersTable, "", request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(KnownCustomer customer, runtime::ParseRow<KnownCustomer>(value));
              // Churned customers have no cadence; a tier alone is no customer yet.
              if (!customer.registered() ||
                  customer.status() == crm::v1::LIFECYCLE_STATUS_CHURNED) {
                return RowVerdict::kSkip;
              }
              const crm::v1::Tier tier = customers::EffectiveTier(customer);
              if (request->tier() != crm::v1::TIER_UNSPECIFIED && tier != request->tier()) {
                return RowVerdict::kSkip;
              }
              ASSIGN_OR_RETURN(CustomerEngagement state, LoadEngagement(customer.customer_id()));
              std::optional<crm::v1::OverdueCustomer> overdue =
                  OverdueOf(customer, state, CadenceRuleOf(settings, tier), today);
              if (!overdue.has_value()) return RowVerdict::kSkip;
              *reply.add_customers() = *std::move(overdue);
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status EngagementService::ListTouchpointQuotas(
    grpc::ServerContext*, const crm::v1::ListTouchpointQuotasRequest*,
    crm::v1::ListTouchpointQuotasResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListTouchpointQuotasResponse> {
    ASSIGN_OR_RETURN(EngagementSettings settings, LoadSettings());
    crm::v1::ListTouchpointQuotasResponse reply;
    *reply.mutable_quotas() = settings.quotas();
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status EngagementService::GetQuotaReport(grpc::ServerContext*,
                                               const crm::v1::GetQuotaReportRequest* request,
                                               crm::v1::GetQuotaReportResponse* response) {
  auto report = [&]() -> absl::StatusOr<crm::v1::GetQuotaReportResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    absl::CivilDay day = Today();
    if (request->has_week_of()) {
      ASSIGN_OR_RETURN(day, DayOf(request->week_of(), "week_of"));
    }
    const absl::CivilDay week = WeekStartOf(day);
    ASSIGN_OR_RETURN(EngagementSettings settings, LoadSettings());
    crm::v1::GetQuotaReportResponse reply;
    *reply.mutable_week_start() = CalendarDateOf(week);
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kEmployeeWeekTouchpoints, JoinKey({DayKey(week)}), request->page().page_token(),
            page_size,
            [&](std::string_view key, std::string_view value) -> absl::StatusOr<RowVerdict> {
              const std::vector<int64_t> counts = eventstore::DecodeCounters(value);
              const int64_t touchpoints = counts.empty() ? 0 : counts[0];
              // Every touchpoint of the week corrected away or cancelled.
              if (touchpoints <= 0) return RowVerdict::kSkip;
              ASSIGN_OR_RETURN(std::optional<std::string> role,
                               store_.GetRow(kEmployeeWeekRoles, key));
              const std::string employee_role = role.value_or("");
              if (!request->employee_role().empty() && employee_role != request->employee_role()) {
                return RowVerdict::kSkip;
              }
              crm::v1::EmployeeWeek& employee = *reply.add_employees();
              employee.set_employee_id(std::string(EmployeeOfWeekKey(key)));
              employee.set_employee_role(employee_role);
              employee.set_touchpoints(static_cast<int32_t>(touchpoints));
              employee.set_quota(QuotaOf(settings, employee_role));
              employee.set_quota_met(employee.touchpoints() >= employee.quota());
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(report(), response);
}

}  // namespace crm::engagement
