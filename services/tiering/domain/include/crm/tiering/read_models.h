// The tiering service's read-model tables and streams, and the rows its events write: what
// the command path writes and a rebuild computes again from the events (an evaluation
// run's results: run_results.h). Keys join their parts with crm::JoinKey, so a prefix of
// parts is a key prefix.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "crm/base/row_changes.h"
#include "crm/v1/tiering.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace crm::tiering {

// version → ScoringModel: every published version (the built-in default is not stored).
inline constexpr std::string_view kModels = "models";
// fiscal year, customer → CustomerInputs.
inline constexpr std::string_view kInputs = "inputs";

// version → TierPolicies: every published version (the built-in default is not stored).
inline constexpr std::string_view kTierPolicies = "tier_policies";
// customer → CustomerSignals: what other services' events tell (signals_projection.h).
inline constexpr std::string_view kSignals = "signals";
// customer → StoredTier: the customer's latest result.
inline constexpr std::string_view kTiers = "tiers";
// customer, evaluated time (newest first), run → StoredTier.
inline constexpr std::string_view kTierHistory = "tier_history";
// fiscal year, region ("" for all), completed time (newest first), run → EvaluationRun:
// completed runs.
inline constexpr std::string_view kRuns = "runs";
// fiscal year, region, customer, run → AbnormalChurn (churn_reason_recorded unset).
inline constexpr std::string_view kAbnormalChurn = "abnormal_churn";

// Every table and counter table the service's own events give (not the projections of
// other services' topics): what a recompute of the read models empties and makes anew.
inline constexpr std::array<std::string_view, 7> kReadModelTables = {
    kModels, kInputs, kTierPolicies, kTiers, kTierHistory, kRuns, kAbnormalChurn};

std::string InputsKey(int fiscal_year, std::string_view customer_id);
std::string TierHistoryKey(std::string_view customer_id,
                           const google::protobuf::Timestamp& evaluated_at,
                           std::string_view run_id);
std::string RunKey(const crm::v1::EvaluationRun& run);
std::string AbnormalChurnKey(const crm::v1::AbnormalChurn& churn);

// The row of a published model, of published tier policies, of a customer's inputs for a
// year, and of a completed run.
RowChange ModelRow(const crm::v1::ScoringModel& model);
RowChange TierPoliciesRow(const crm::v1::TierPolicies& policies);
RowChange InputsRow(const crm::v1::CustomerInputs& inputs);
RowChange RunRow(const crm::v1::EvaluationRun& run);

// Streams: the models, the tier policies, one per customer and one per run.
inline constexpr std::string_view kModelsStream = "models";
inline constexpr std::string_view kPoliciesStream = "policies";
std::string CustomerStream(std::string_view customer_id);
std::string RunStream(std::string_view run_id);

}  // namespace crm::tiering
