#include "crm/tiering/read_models.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "google/protobuf/util/time_util.h"

namespace crm::tiering {

std::string InputsKey(int fiscal_year, std::string_view customer_id) {
  return JoinKey({absl::StrCat(fiscal_year), customer_id});
}

std::string TierHistoryKey(std::string_view customer_id,
                           const google::protobuf::Timestamp& evaluated_at,
                           std::string_view run_id) {
  const auto evaluated =
      static_cast<uint64_t>(google::protobuf::util::TimeUtil::TimestampToNanoseconds(evaluated_at));
  return JoinKey({customer_id}) + EncodeUint64(std::numeric_limits<uint64_t>::max() - evaluated) +
         JoinKey({run_id});
}

namespace {

std::string NewestFirst(const google::protobuf::Timestamp& time) {
  return EncodeUint64(
      std::numeric_limits<uint64_t>::max() -
      static_cast<uint64_t>(google::protobuf::util::TimeUtil::TimestampToNanoseconds(time)));
}

}  // namespace

std::string RunKey(const crm::v1::EvaluationRun& run) {
  return JoinKey({absl::StrCat(run.fiscal_year()), run.region()}) +
         NewestFirst(run.completed_at()) + JoinKey({run.run_id()});
}

std::string AbnormalChurnKey(const crm::v1::AbnormalChurn& churn) {
  return JoinKey(
      {absl::StrCat(churn.fiscal_year()), churn.region(), churn.customer_id(), churn.run_id()});
}

RowChange ModelRow(const crm::v1::ScoringModel& model) {
  return {kModels, model.version(), model.SerializeAsString()};
}

RowChange TierPoliciesRow(const crm::v1::TierPolicies& policies) {
  return {kTierPolicies, policies.version(), policies.SerializeAsString()};
}

RowChange InputsRow(const crm::v1::CustomerInputs& inputs) {
  return {kInputs, InputsKey(inputs.fiscal_year(), inputs.customer_id()),
          inputs.SerializeAsString()};
}

RowChange RunRow(const crm::v1::EvaluationRun& run) {
  return {kRuns, RunKey(run), run.SerializeAsString()};
}

std::string RunStream(std::string_view run_id) { return absl::StrCat("run-", std::string(run_id)); }

std::string CustomerStream(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

}  // namespace crm::tiering
