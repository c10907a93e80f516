// Reports over the runs: the tier distribution of a region and year, and the abnormal
// churn found, with whether satisfaction has a churn reason for it.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/read_models.h"
#include "google/protobuf/util/time_util.h"
#include "tiering_service.h"

namespace crm::tiering {
namespace {

using google::protobuf::util::TimeUtil;
using runtime::RowVerdict;

// Adds `region`'s counts and values to `total`.
void AddDistribution(const crm::v1::TierDistribution& region, crm::v1::TierDistribution& total) {
  total.set_tier_s(total.tier_s() + region.tier_s());
  total.set_tier_a(total.tier_a() + region.tier_a());
  total.set_tier_b(total.tier_b() + region.tier_b());
  total.set_tier_c(total.tier_c() + region.tier_c());
  total.set_revenue_s(total.revenue_s() + region.revenue_s());
  total.set_revenue_a(total.revenue_a() + region.revenue_a());
  total.set_revenue_b(total.revenue_b() + region.revenue_b());
  total.set_revenue_c(total.revenue_c() + region.revenue_c());
  total.set_new_customers(total.new_customers() + region.new_customers());
  total.set_lost_customers(total.lost_customers() + region.lost_customers());
}

}  // namespace

absl::StatusOr<std::optional<crm::v1::EvaluationRun>> TieringService::LatestRun(
    int fiscal_year, std::string_view region) const {
  const std::string year = absl::StrCat(fiscal_year);
  // The newest completed run of the region itself, and of every region: the later of the
  // two.
  std::optional<crm::v1::EvaluationRun> latest;
  for (std::string_view of : {region, std::string_view()}) {
    ASSIGN_OR_RETURN(eventstore::RowPage page, store_.ScanRows(kRuns, JoinKey({year, of}), "", 1));
    if (page.rows.empty()) continue;
    ASSIGN_OR_RETURN(crm::v1::EvaluationRun run,
                     runtime::ParseRow<crm::v1::EvaluationRun>(page.rows[0].second));
    if (!latest.has_value() || TimeUtil::TimestampToNanoseconds(run.completed_at()) >
                                   TimeUtil::TimestampToNanoseconds(latest->completed_at())) {
      latest = std::move(run);
    }
    if (region.empty()) break;  // both loops name every region
  }
  return latest;
}

grpc::Status TieringService::GetTierDistribution(grpc::ServerContext* context,
                                                 const crm::v1::GetTierDistributionRequest* request,
                                                 crm::v1::GetTierDistributionResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetTierDistributionResponse> {
    RETURN_IF_ERROR(ValidateFiscalYear(request->fiscal_year(), "fiscal_year"));
    RETURN_IF_ERROR(runtime::RequireRegionScope(*context, request->region(), "region"));
    const std::string year = absl::StrCat(request->fiscal_year());
    ASSIGN_OR_RETURN(std::optional<crm::v1::EvaluationRun> latest,
                     LatestRun(request->fiscal_year(), request->region()));
    if (!latest.has_value()) {
      return absl::NotFoundError(absl::StrCat("no completed run of fiscal year ", year,
                                              request->region().empty() ? "" : " covers region ",
                                              request->region()));
    }
    crm::v1::GetTierDistributionResponse reply;
    reply.set_run_id(latest->run_id());
    crm::v1::TierDistribution& total = *reply.mutable_distribution();
    total.set_region(request->region());
    for (const crm::v1::TierDistribution& region : latest->regions()) {
      if (request->region().empty() || region.region() == request->region()) {
        AddDistribution(region, total);
      }
    }
    FillValueShares(total);
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status TieringService::ListAbnormalChurn(grpc::ServerContext* context,
                                               const crm::v1::ListAbnormalChurnRequest* request,
                                               crm::v1::ListAbnormalChurnResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListAbnormalChurnResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    RETURN_IF_ERROR(ValidateFiscalYear(request->fiscal_year(), "fiscal_year"));
    RETURN_IF_ERROR(runtime::RequireRegionScope(*context, request->region(), "region"));
    const std::string year = absl::StrCat(request->fiscal_year());
    const std::string prefix =
        request->region().empty() ? JoinKey({year}) : JoinKey({year, request->region()});
    crm::v1::ListAbnormalChurnResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kAbnormalChurn, prefix, request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(crm::v1::AbnormalChurn churn,
                               runtime::ParseRow<crm::v1::AbnormalChurn>(value));
              ASSIGN_OR_RETURN(std::optional<std::string> signals_row,
                               store_.GetRow(kSignals, churn.customer_id()));
              if (signals_row.has_value()) {
                ASSIGN_OR_RETURN(internal::CustomerSignals signals,
                                 runtime::ParseRow<internal::CustomerSignals>(*signals_row));
                churn.set_churn_reason_recorded(signals.churn_reasons() > 0);
              }
              *reply.add_entries() = std::move(churn);
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

}  // namespace crm::tiering
