// Reading issues (with their deadline under the customer's tier now), the overdue list,
// issue times, the commitments and churn reasons.
#include <map>

#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/counters.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/read_models.h"
#include "google/protobuf/util/time_util.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {
namespace {

using runtime::RowVerdict;

constexpr crm::v1::Tier kTiers[] = {crm::v1::TIER_S, crm::v1::TIER_A, crm::v1::TIER_B,
                                    crm::v1::TIER_C};

double MeanHours(int64_t total_seconds, int64_t count) {
  return count == 0 ? 0.0 : static_cast<double>(total_seconds) / 3600.0 / count;
}

}  // namespace

grpc::Status SatisfactionService::GetIssue(grpc::ServerContext* context,
                                           const crm::v1::GetIssueRequest* request,
                                           crm::v1::GetIssueResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetIssueResponse> {
    ASSIGN_OR_RETURN(crm::v1::Issue issue, LoadIssue(request->issue_id()));
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), issue.customer_id()));
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
    crm::v1::GetIssueResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_issue(), Shown(std::move(issue), settings));
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status SatisfactionService::ListIssues(grpc::ServerContext* context,
                                             const crm::v1::ListIssuesRequest* request,
                                             crm::v1::ListIssuesResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListIssuesResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    if (!crm::v1::IssueStatus_IsValid(request->status())) {
      return absl::InvalidArgumentError("status is not an issue status");
    }
    std::string_view table = kIssues;
    std::string prefix;
    if (!request->customer_id().empty()) {
      RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
      table = kCustomerIssues;
      prefix = JoinKey({request->customer_id()});
    }
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
    const security::Principal caller = runtime::PrincipalOf(*context);
    crm::v1::ListIssuesResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, table, prefix, request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(crm::v1::Issue issue, runtime::ParseRow<crm::v1::Issue>(value));
              if (request->status() != crm::v1::ISSUE_STATUS_UNSPECIFIED &&
                  issue.status() != request->status()) {
                return RowVerdict::kSkip;
              }
              // A caller limited to some regions sees its customers' issues only.
              if (!directory_.CheckCallerMayRead(caller, issue.customer_id()).ok()) {
                return RowVerdict::kSkip;
              }
              ASSIGN_OR_RETURN(*reply.add_issues(), Shown(std::move(issue), settings));
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status SatisfactionService::ListOverdueIssues(
    grpc::ServerContext* context, const crm::v1::ListOverdueIssuesRequest* request,
    crm::v1::ListOverdueIssuesResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListOverdueIssuesResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
    // Waiting issues are read the longest waiting first; once even the shortest
    // commitment has not run out since an issue started waiting, no later one is overdue.
    int shortest_hours = CommitmentOf(settings.commitments(), kTiers[0]).acknowledge_within_hours();
    for (crm::v1::Tier tier : kTiers) {
      shortest_hours = std::min(
          shortest_hours, CommitmentOf(settings.commitments(), tier).acknowledge_within_hours());
    }
    const absl::Time now = Now();
    const security::Principal caller = runtime::PrincipalOf(*context);
    crm::v1::ListOverdueIssuesResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kWaitingIssues, "", request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(crm::v1::Issue issue, runtime::ParseRow<crm::v1::Issue>(value));
              const absl::Time waiting_since = absl::FromUnixNanos(
                  google::protobuf::util::TimeUtil::TimestampToNanoseconds(issue.waiting_since()));
              if (waiting_since + absl::Hours(shortest_hours) >= now) return RowVerdict::kStop;
              ASSIGN_OR_RETURN(crm::v1::Issue shown, Shown(std::move(issue), settings));
              if (!shown.overdue()) return RowVerdict::kSkip;
              if (!directory_.CheckCallerMayRead(caller, shown.customer_id()).ok()) {
                return RowVerdict::kSkip;
              }
              *reply.add_issues() = std::move(shown);
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status SatisfactionService::GetIssueTimes(grpc::ServerContext*,
                                                const crm::v1::GetIssueTimesRequest* request,
                                                crm::v1::GetIssueTimesResponse* response) {
  auto times = [&]() -> absl::StatusOr<crm::v1::GetIssueTimesResponse> {
    ASSIGN_OR_RETURN(Period period, PeriodOf(request->period(), MonthOf(Now()), "period"));
    if (!crm::v1::Tier_IsValid(request->tier())) {
      return absl::InvalidArgumentError("tier is not a tier");
    }
    std::vector<int64_t> totals(kIssueTimeCounters, 0);
    for (crm::v1::Tier tier : kTiers) {
      if (request->tier() != crm::v1::TIER_UNSPECIFIED && request->tier() != tier) continue;
      for (absl::CivilMonth month = period.from; month <= period.to; ++month) {
        ASSIGN_OR_RETURN(std::optional<std::string> row,
                         store_.GetRow(kIssueTimes, IssueTimesKey(tier, month)));
        if (!row.has_value()) continue;
        const std::vector<int64_t> values = eventstore::DecodeCounters(*row);
        for (size_t i = 0; i < values.size() && i < totals.size(); ++i) totals[i] += values[i];
      }
    }
    crm::v1::GetIssueTimesResponse reply;
    reply.set_acknowledged(totals[kAcknowledged]);
    reply.set_mean_hours_to_acknowledge(
        MeanHours(totals[kSecondsToAcknowledge], totals[kAcknowledged]));
    reply.set_acknowledged_within_commitment(totals[kAcknowledgedWithinCommitment]);
    reply.set_closed(totals[kClosed]);
    reply.set_mean_hours_to_close(MeanHours(totals[kSecondsToClose], totals[kClosed]));
    *reply.mutable_period() = RangeOf(period);
    return reply;
  };
  return runtime::Answer(times(), response);
}

grpc::Status SatisfactionService::GetResponseCommitments(
    grpc::ServerContext*, const crm::v1::GetResponseCommitmentsRequest*,
    crm::v1::GetResponseCommitmentsResponse* response) {
  auto commitments = [&]() -> absl::StatusOr<crm::v1::GetResponseCommitmentsResponse> {
    ASSIGN_OR_RETURN(SatisfactionSettings settings, LoadSettings());
    crm::v1::GetResponseCommitmentsResponse reply;
    for (crm::v1::Tier tier : kTiers) {
      *reply.add_commitments() = CommitmentOf(settings.commitments(), tier);
    }
    reply.set_policy_version(settings.policy_version());
    return reply;
  };
  return runtime::Answer(commitments(), response);
}

grpc::Status SatisfactionService::ListChurnReasons(grpc::ServerContext* context,
                                                   const crm::v1::ListChurnReasonsRequest* request,
                                                   crm::v1::ListChurnReasonsResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListChurnReasonsResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), request->customer_id()));
    crm::v1::ListChurnReasonsResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kChurnReasons, JoinKey({request->customer_id()}), request->page().page_token(),
            page_size, [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_churn_reasons(),
                               runtime::ParseRow<crm::v1::ChurnReason>(value));
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

}  // namespace crm::satisfaction
