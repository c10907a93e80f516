// NPS roll-ups and the churn report, read from counter rows: one row per scope and month
// (NPS) or per month and category (churn), so a query's cost follows the length of its
// period, never the number of responses.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/counters.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/nps.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/read_models.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {
namespace {

// The counters' key prefix of the scope a request names; INVALID_ARGUMENT naming the
// field, NOT_FOUND for a customer nobody knows, PERMISSION_DENIED for a customer or region
// outside the caller's, or a scope across regions for a caller limited to some.
absl::StatusOr<std::string> ScopeKeyOf(const crm::v1::NpsScope& scope,
                                       const CustomerDirectory& directory,
                                       const security::Principal& caller) {
  if (scope.scope_case() != crm::v1::NpsScope::kCustomerId &&
      scope.scope_case() != crm::v1::NpsScope::kRegion &&
      scope.scope_case() != crm::v1::NpsScope::SCOPE_NOT_SET) {
    RETURN_IF_ERROR(
        security::RequireEveryRegion(caller, "scope.industry, scope.tier or scope.everything"));
  }
  switch (scope.scope_case()) {
    case crm::v1::NpsScope::kCustomerId:
      RETURN_IF_ERROR(runtime::CheckId("scope.customer_id", scope.customer_id()));
      RETURN_IF_ERROR(directory.Find(caller, scope.customer_id()).status());
      return NpsScopeKey("customer", scope.customer_id());
    case crm::v1::NpsScope::kRegion:
      if (scope.region().empty()) return absl::InvalidArgumentError("scope.region is empty");
      RETURN_IF_ERROR(security::RequireRegion(caller, scope.region()));
      return NpsScopeKey("region", scope.region());
    case crm::v1::NpsScope::kIndustry:
      if (scope.industry().empty()) return absl::InvalidArgumentError("scope.industry is empty");
      return NpsScopeKey("industry", scope.industry());
    case crm::v1::NpsScope::kTier:
      if (scope.tier() == crm::v1::TIER_UNSPECIFIED || !crm::v1::Tier_IsValid(scope.tier())) {
        return absl::InvalidArgumentError("scope.tier must be S, A, B or C");
      }
      return NpsScopeKey("tier", crm::v1::Tier_Name(scope.tier()));
    case crm::v1::NpsScope::kEverything:
      if (!scope.everything()) {
        return absl::InvalidArgumentError("scope.everything must be true when set");
      }
      return NpsScopeKey("all", "");
    case crm::v1::NpsScope::SCOPE_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "scope is required: customer_id, region, industry, tier or everything");
}

NpsCounts NpsCountsOf(std::string_view counter_row) {
  const std::vector<int64_t> values = eventstore::DecodeCounters(counter_row);
  auto at = [&](size_t i) { return i < values.size() ? values[i] : 0; };
  return NpsCounts{.promoters = at(0), .passives = at(1), .detractors = at(2)};
}

// Reads the scope's counts of every month of the period that has any.
absl::StatusOr<std::map<absl::CivilMonth, NpsCounts>> MonthlyCounts(
    const eventstore::EventStore& store, std::string_view scope_key, const Period& period) {
  std::map<absl::CivilMonth, NpsCounts> monthly;
  for (absl::CivilMonth month = period.from; month <= period.to; ++month) {
    ASSIGN_OR_RETURN(std::optional<std::string> row,
                     store.GetRow(kNpsCounts, NpsCountKey(scope_key, month)));
    if (row.has_value()) monthly[month] = NpsCountsOf(*row);
  }
  return monthly;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> SatisfactionService::PublishedState(
    std::string_view customer_id) {
  crm::v1::CustomerSatisfaction state;
  state.set_customer_id(std::string(customer_id));
  ASSIGN_OR_RETURN(Period period, PeriodOf(crm::v1::MonthRange(), MonthOf(Now()), "period"));
  ASSIGN_OR_RETURN(auto monthly,
                   MonthlyCounts(store_, NpsScopeKey("customer", customer_id), period));
  NpsCounts total;
  for (const auto& [month, counts] : monthly) total += counts;
  if (std::optional<crm::v1::NpsSummary> summary = Summarise(total)) {
    *state.mutable_nps() = *std::move(summary);
  }
  *state.mutable_period() = RangeOf(period);
  std::string token;
  do {
    ASSIGN_OR_RETURN(eventstore::RowPage page,
                     store_.ScanRows(kCustomerIssues, JoinKey({customer_id}), token, 1000));
    for (const auto& [key, value] : page.rows) {
      ASSIGN_OR_RETURN(crm::v1::Issue issue, runtime::ParseRow<crm::v1::Issue>(value));
      if (issue.status() != crm::v1::ISSUE_STATUS_CLOSED)
        state.set_open_issues(state.open_issues() + 1);
    }
    token = page.next_page_token;
  } while (!token.empty());
  return state.SerializeAsString();
}

grpc::Status SatisfactionService::GetNps(grpc::ServerContext* context,
                                         const crm::v1::GetNpsRequest* request,
                                         crm::v1::GetNpsResponse* response) {
  auto nps = [&]() -> absl::StatusOr<crm::v1::GetNpsResponse> {
    ASSIGN_OR_RETURN(std::string scope_key,
                     ScopeKeyOf(request->scope(), directory_, runtime::PrincipalOf(*context)));
    ASSIGN_OR_RETURN(Period period, PeriodOf(request->period(), MonthOf(Now()), "period"));
    ASSIGN_OR_RETURN(auto monthly, MonthlyCounts(store_, scope_key, period));
    NpsCounts total;
    for (const auto& [month, counts] : monthly) total += counts;
    crm::v1::GetNpsResponse reply;
    if (std::optional<crm::v1::NpsSummary> summary = Summarise(total)) {
      *reply.mutable_summary() = *std::move(summary);
    }
    *reply.mutable_period() = RangeOf(period);
    return reply;
  };
  return runtime::Answer(nps(), response);
}

grpc::Status SatisfactionService::GetNpsTrend(grpc::ServerContext* context,
                                              const crm::v1::GetNpsTrendRequest* request,
                                              crm::v1::GetNpsTrendResponse* response) {
  auto trend = [&]() -> absl::StatusOr<crm::v1::GetNpsTrendResponse> {
    ASSIGN_OR_RETURN(std::string scope_key,
                     ScopeKeyOf(request->scope(), directory_, runtime::PrincipalOf(*context)));
    ASSIGN_OR_RETURN(Period period, PeriodOf(request->period(), MonthOf(Now()), "period"));
    if (!crm::v1::TrendStep_IsValid(request->step())) {
      return absl::InvalidArgumentError("step must be MONTH or QUARTER");
    }
    const TrendStep step =
        request->step() == crm::v1::TREND_STEP_QUARTER ? TrendStep::kQuarter : TrendStep::kMonth;
    ASSIGN_OR_RETURN(auto monthly, MonthlyCounts(store_, scope_key, period));
    crm::v1::GetNpsTrendResponse reply;
    for (const TrendPoint& point : Trend(monthly, period.from, period.to, step)) {
      crm::v1::NpsTrendPoint& out = *reply.add_points();
      out.set_period(point.period);
      if (std::optional<crm::v1::NpsSummary> summary = Summarise(point.counts)) {
        *out.mutable_summary() = *std::move(summary);
      }
    }
    *reply.mutable_period() = RangeOf(period);
    return reply;
  };
  return runtime::Answer(trend(), response);
}

grpc::Status SatisfactionService::GetChurnReport(grpc::ServerContext* context,
                                                 const crm::v1::GetChurnReportRequest* request,
                                                 crm::v1::GetChurnReportResponse* response) {
  auto report = [&]() -> absl::StatusOr<crm::v1::GetChurnReportResponse> {
    RETURN_IF_ERROR(
        security::RequireEveryRegion(runtime::PrincipalOf(*context), "the churn report"));
    ASSIGN_OR_RETURN(Period period, PeriodOf(request->period(), MonthOf(Now()), "period"));
    std::map<crm::v1::ChurnCategory, int64_t> counts;
    for (absl::CivilMonth month = period.from; month <= period.to; ++month) {
      for (int c = crm::v1::ChurnCategory_MIN + 1; c <= crm::v1::ChurnCategory_MAX; ++c) {
        const auto category = static_cast<crm::v1::ChurnCategory>(c);
        ASSIGN_OR_RETURN(std::optional<std::string> row,
                         store_.GetRow(kChurnCounts, ChurnCountKey(month, category)));
        if (!row.has_value()) continue;
        const std::vector<int64_t> values = eventstore::DecodeCounters(*row);
        if (!values.empty() && values[0] > 0) counts[category] += values[0];
      }
    }
    crm::v1::GetChurnReportResponse reply;
    for (const auto& [category, count] : counts) {
      crm::v1::ChurnCount& out = *reply.add_counts();
      out.set_category(category);
      out.set_count(count);
      reply.set_total(reply.total() + count);
    }
    std::stable_sort(reply.mutable_counts()->begin(), reply.mutable_counts()->end(),
                     [](const auto& a, const auto& b) { return a.count() > b.count(); });
    *reply.mutable_period() = RangeOf(period);
    return reply;
  };
  return runtime::Answer(report(), response);
}

}  // namespace crm::satisfaction
