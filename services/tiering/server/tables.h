// The tiering service's read-model tables and streams. Keys join their parts with
// crm::JoinKey, so a prefix of parts is a key prefix.
#pragma once

#include <string>
#include <string_view>

#include "crm/v1/tiering.pb.h"

namespace crm::tiering {

// version → ScoringModel: every published version (the built-in default is not stored).
inline constexpr std::string_view kModels = "models";
// fiscal year, customer → CustomerInputs.
inline constexpr std::string_view kInputs = "inputs";

// customer → CustomerSignals: what other services' events tell (signals_projection.h).
inline constexpr std::string_view kSignals = "signals";
// customer → CustomerTier: the customer's latest result.
inline constexpr std::string_view kTiers = "tiers";
// customer, evaluated time (newest first), run → CustomerTier.
inline constexpr std::string_view kTierHistory = "tier_history";

std::string InputsKey(int fiscal_year, std::string_view customer_id);
std::string TierHistoryKey(const crm::v1::CustomerTier& result);

// Streams: the models, and one per customer.
inline constexpr std::string_view kModelsStream = "models";
std::string CustomerStream(std::string_view customer_id);
std::string RunStream(std::string_view run_id);

}  // namespace crm::tiering
