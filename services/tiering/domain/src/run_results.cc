#include "crm/tiering/run_results.h"

#include <algorithm>

#include "crm/tiering/internal/state.pb.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/tiers.h"

namespace crm::tiering {

size_t ResultsPerPart(size_t factor_count) {
  // A result's bytes: its ids, tiers and score in about 64, and per factor an input (8
  // bytes) and a missing flag (1), with some slack.
  const size_t result_bytes = 64 + 10 * factor_count;
  return std::clamp<size_t>(kResultsPartBytes / result_bytes, 1, kResultsPerPart);
}

crm::v1::EvaluationResultsRecorded ResultsPart(const crm::v1::EvaluationRun& run,
                                               const google::protobuf::Timestamp& evaluated_at,
                                               std::span<const RunMember> members,
                                               std::span<const crm::v1::Tier> tiers) {
  crm::v1::EvaluationResultsRecorded part;
  part.set_run_id(run.run_id());
  part.set_fiscal_year(run.fiscal_year());
  part.set_region(run.region());
  part.set_model_version(run.model_version());
  *part.mutable_evaluated_at() = evaluated_at;
  part.mutable_results()->Reserve(static_cast<int>(members.size()));
  for (size_t i = 0; i < members.size(); ++i) {
    const RunMember& member = members[i];
    crm::v1::EvaluatedCustomer& result = *part.add_results();
    result.set_customer_id(member.customer_id);
    result.set_region(member.region);
    result.set_tier(tiers[i]);
    result.set_previous_tier(member.previous_tier);
    result.set_lost(member.lost);
    result.set_total_score(member.total_score);
    result.mutable_inputs()->Reserve(static_cast<int>(member.values.size()));
    result.mutable_missing()->Reserve(static_cast<int>(member.values.size()));
    for (const std::optional<double>& input : member.values) {
      result.add_inputs(input.value_or(0));
      result.add_missing(!input.has_value());
    }
  }
  return part;
}

absl::Status ForEachResultRow(const crm::v1::EvaluationResultsRecorded& part, PutResultRow put) {
  internal::StoredTier stored;
  stored.set_run_id(part.run_id());
  stored.set_fiscal_year(part.fiscal_year());
  *stored.mutable_evaluated_at() = part.evaluated_at();
  stored.set_model_version(part.model_version());
  internal::StoredTier inputs;
  std::string current;
  std::string history;
  for (const crm::v1::EvaluatedCustomer& result : part.results()) {
    stored.set_customer_id(result.customer_id());
    stored.set_tier(result.tier());
    stored.set_previous_tier(result.previous_tier());
    stored.SerializeToString(&current);
    // The history row is the current row followed by the inputs: serialized messages
    // concatenated parse as one message with the fields of both.
    *inputs.mutable_inputs() = result.inputs();
    *inputs.mutable_missing() = result.missing();
    history = current;
    inputs.AppendToString(&history);
    if (absl::Status status = put(kTiers, result.customer_id(), current); !status.ok()) {
      return status;
    }
    if (absl::Status status =
            put(kTierHistory,
                TierHistoryKey(result.customer_id(), part.evaluated_at(), part.run_id()), history);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

std::vector<RowChange> ResultRows(const crm::v1::EvaluationResultsRecorded& part) {
  std::vector<RowChange> rows;
  rows.reserve(2 * static_cast<size_t>(part.results_size()));
  // This put never fails.
  ForEachResultRow(part, [&](std::string_view table, std::string_view key, std::string_view value) {
    rows.push_back({table, std::string(key), std::string(value)});
    return absl::OkStatus();
  }).IgnoreError();
  return rows;
}

std::vector<RowChange> AbnormalChurnRows(const crm::v1::EvaluationResultsRecorded& part) {
  std::vector<RowChange> rows;
  for (const crm::v1::EvaluatedCustomer& result : part.results()) {
    if (result.previous_tier() == crm::v1::TIER_UNSPECIFIED ||
        !IsAbnormalChurn(result.previous_tier(), result.tier(), result.lost())) {
      continue;
    }
    crm::v1::AbnormalChurn churn;
    churn.set_customer_id(result.customer_id());
    churn.set_region(result.region());
    churn.set_previous_tier(result.previous_tier());
    churn.set_tier(result.tier());
    churn.set_lost(result.lost());
    churn.set_run_id(part.run_id());
    churn.set_fiscal_year(part.fiscal_year());
    *churn.mutable_evaluated_at() = part.evaluated_at();
    rows.push_back({kAbnormalChurn, AbnormalChurnKey(churn), churn.SerializeAsString()});
  }
  return rows;
}

}  // namespace crm::tiering
