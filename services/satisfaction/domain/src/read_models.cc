#include "crm/satisfaction/read_models.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"

namespace crm::satisfaction {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(timestamp));
}

}  // namespace

std::string NpsScopeKey(std::string_view kind, std::string_view value) {
  return JoinKey({kind, value});
}

std::string NpsCountKey(std::string_view scope_key, absl::CivilMonth month) {
  return std::string(scope_key) + JoinKey({MonthKey(month)});
}

std::vector<CounterChange> NpsCounterChanges(const internal::StoredResponse& stored, int sign) {
  const crm::v1::NpsCategory category = CategoryOf(stored.response());
  if (category == crm::v1::NPS_CATEGORY_UNSPECIFIED) return {};
  std::vector<int64_t> deltas(3, 0);
  deltas[category == crm::v1::NPS_CATEGORY_PROMOTER  ? 0
         : category == crm::v1::NPS_CATEGORY_PASSIVE ? 1
                                                     : 2] = sign;
  const absl::CivilMonth month = MonthOf(TimeOf(stored.response().responded_at()));
  std::vector<std::string> scopes = {NpsScopeKey("customer", stored.response().customer_id()),
                                     NpsScopeKey("tier", crm::v1::Tier_Name(stored.tier())),
                                     NpsScopeKey("all", "")};
  if (!stored.region().empty()) scopes.push_back(NpsScopeKey("region", stored.region()));
  if (!stored.industry().empty()) scopes.push_back(NpsScopeKey("industry", stored.industry()));
  std::vector<CounterChange> adds;
  adds.reserve(scopes.size());
  for (const std::string& scope : scopes) {
    adds.push_back({kNpsCounts, NpsCountKey(scope, month), deltas});
  }
  return adds;
}

std::string IssueTimesKey(crm::v1::Tier tier, absl::CivilMonth month) {
  return JoinKey({crm::v1::Tier_Name(tier), MonthKey(month)});
}

std::string ChurnCountKey(absl::CivilMonth month, crm::v1::ChurnCategory category) {
  return JoinKey({MonthKey(month), crm::v1::ChurnCategory_Name(category)});
}

crm::v1::Survey SurveyHeader(crm::v1::Survey survey) {
  survey.clear_customer_ids();
  return survey;
}

std::string ResponseKey(std::string_view survey_id, std::string_view person_id) {
  return JoinKey({survey_id, person_id});
}

std::string CustomerIssueKey(const crm::v1::Issue& issue) {
  return JoinKey({issue.customer_id(), issue.issue_id()});
}

std::string WaitingIssueKey(const crm::v1::Issue& issue) {
  return EncodeUint64(
             static_cast<uint64_t>(TimeUtil::TimestampToNanoseconds(issue.waiting_since()))) +
         JoinKey({issue.issue_id()});
}

std::string ChurnReasonKey(const crm::v1::ChurnReason& reason) {
  const auto recorded =
      static_cast<uint64_t>(TimeUtil::TimestampToNanoseconds(reason.recorded_at()));
  return JoinKey({reason.customer_id()}) +
         EncodeUint64(std::numeric_limits<uint64_t>::max() - recorded) +
         JoinKey({reason.churn_reason_id()});
}

std::vector<RowChange> IssueRows(const crm::v1::Issue& issue, const crm::v1::Issue* before) {
  const std::string value = issue.SerializeAsString();
  std::vector<RowChange> rows = {{kIssues, issue.issue_id(), value},
                                 {kCustomerIssues, CustomerIssueKey(issue), value}};
  if (before != nullptr && before->status() == crm::v1::ISSUE_STATUS_OPEN) {
    rows.push_back({kWaitingIssues, WaitingIssueKey(*before), std::nullopt});
  }
  if (issue.status() == crm::v1::ISSUE_STATUS_OPEN) {
    rows.push_back({kWaitingIssues, WaitingIssueKey(issue), value});
  }
  return rows;
}

std::vector<RowChange> SurveyRows(const crm::v1::Survey& survey, bool asked) {
  std::vector<RowChange> rows = {
      {kSurveys, survey.survey_id(), SurveyHeader(survey).SerializeAsString()}};
  if (!asked) return rows;
  for (const std::string& customer_id : survey.customer_ids()) {
    rows.push_back({kSurveyCustomers, JoinKey({survey.survey_id(), customer_id}), std::string()});
  }
  return rows;
}

internal::StoredResponse StoredResponseOf(const crm::v1::SurveyResponse& response,
                                          const crm::v1::ResponseScope& scope) {
  internal::StoredResponse stored;
  *stored.mutable_response() = response;
  stored.set_region(scope.region());
  stored.set_industry(scope.industry());
  stored.set_tier(scope.tier());
  return stored;
}

crm::v1::ResponseScope ScopeOf(const internal::StoredResponse& stored) {
  crm::v1::ResponseScope scope;
  scope.set_region(stored.region());
  scope.set_industry(stored.industry());
  scope.set_tier(stored.tier());
  return scope;
}

Projection ResponseChanges(const crm::v1::SurveyResponseRecorded& recorded) {
  const internal::StoredResponse stored = StoredResponseOf(recorded.response(), recorded.scope());
  Projection projection;
  projection.rows.push_back(
      {kResponses, ResponseKey(stored.response().survey_id(), stored.response().person_id()),
       stored.SerializeAsString()});
  projection.counters = NpsCounterChanges(stored, +1);
  if (recorded.has_replaced()) {
    for (CounterChange& change :
         NpsCounterChanges(StoredResponseOf(recorded.replaced(), recorded.replaced_scope()), -1)) {
      projection.counters.push_back(std::move(change));
    }
  }
  return projection;
}

Projection ChurnReasonChanges(const crm::v1::ChurnReason& reason) {
  return {.rows = {{kChurnReasons, ChurnReasonKey(reason), reason.SerializeAsString()}},
          .counters = {{kChurnCounts,
                        ChurnCountKey(MonthOf(TimeOf(reason.recorded_at())), reason.category()),
                        {1}}}};
}

std::string SurveyStream(std::string_view survey_id) {
  return absl::StrCat("survey-", std::string(survey_id));
}

std::string CustomerStream(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

}  // namespace crm::satisfaction
