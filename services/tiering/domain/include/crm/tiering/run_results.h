// An evaluation run's results as events and rows. A run records every customer's result
// in parts (crm.v1.EvaluationResultsRecorded); each part gives its customers' current-tier
// and history rows and the abnormal churn among them, the same whether the run writes them
// or a rebuild replays the part from the topic.
//
//   crm::v1::EvaluationResultsRecorded part = ResultsPart(run, now, members, tiers);
//   RETURN_IF_ERROR(ForEachResultRow(part, put));
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "crm/base/row_changes.h"
#include "crm/tiering/scoring.h"
#include "crm/v1/tiering.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace crm::tiering {

// One customer of a run's population: its inputs, its score and the tier it had.
struct RunMember {
  std::string customer_id;
  std::string region;
  FactorValues values;
  double total_score = 0;
  crm::v1::Tier previous_tier = crm::v1::TIER_UNSPECIFIED;
  // Churned since its last tier: not ranked, its tier cleared.
  bool lost = false;
  // The last_year_revenue input (0 when missing): the customer's value in the
  // distribution.
  double revenue = 0;
};

// The most results one part holds, and about the most bytes: a part of a thousand
// customers of the default model is about 200 kB, well below a Kafka message's usual limit
// of 1 MB; a model of many factors makes smaller parts.
inline constexpr size_t kResultsPerPart = 1000;
inline constexpr size_t kResultsPartBytes = size_t{256} * 1024;

// How many results a part holds under a model of `factor_count` factors: at least one.
size_t ResultsPerPart(size_t factor_count);

// The part of `run`'s results with `members`, each tiered `tiers[i]`, evaluated at
// `evaluated_at` (the run's completion).
crm::v1::EvaluationResultsRecorded ResultsPart(const crm::v1::EvaluationRun& run,
                                               const google::protobuf::Timestamp& evaluated_at,
                                               std::span<const RunMember> members,
                                               std::span<const crm::v1::Tier> tiers);

// Where ForEachResultRow puts a row.
using PutResultRow = absl::FunctionRef<absl::Status(std::string_view table, std::string_view key,
                                                    std::string_view value)>;

// Puts each result's current-tier row (kTiers) and history row (kTierHistory), customer by
// customer in the part's order, so that each table's keys rise; stops at the first error
// `put` returns. The current row leaves the inputs out: they are in the history row.
absl::Status ForEachResultRow(const crm::v1::EvaluationResultsRecorded& part, PutResultRow put);

// The same rows as values.
std::vector<RowChange> ResultRows(const crm::v1::EvaluationResultsRecorded& part);

// The part's abnormal churn (IsAbnormalChurn, of customers that had a tier): a
// kAbnormalChurn row each.
std::vector<RowChange> AbnormalChurnRows(const crm::v1::EvaluationResultsRecorded& part);

}  // namespace crm::tiering
