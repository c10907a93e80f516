#include "crm/tiering/tiers.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace crm::tiering {
namespace {

// Ranks count from 0: S for the best, C for the worst. UNSPECIFIED is no tier.
int Rank(crm::v1::Tier tier) {
  switch (tier) {
    case crm::v1::TIER_S:
      return 0;
    case crm::v1::TIER_A:
      return 1;
    case crm::v1::TIER_B:
      return 2;
    case crm::v1::TIER_C:
      return 3;
    default:
      return -1;
  }
}

size_t RoundedCount(size_t population, double percent) {
  return static_cast<size_t>(std::floor(static_cast<double>(population) * percent / 100.0 + 0.5));
}

}  // namespace

std::vector<crm::v1::Tier> TiersByShares(std::span<const double> scores,
                                         const crm::v1::PercentileShares& shares) {
  const size_t n = scores.size();
  // (score, index) pairs, best score first: sorted in place, without reaching back into
  // the population, which over a million customers is most of the cost of ranking them.
  std::vector<std::pair<double, size_t>> ranked(n);
  for (size_t i = 0; i < n; ++i) ranked[i] = {scores[i], i};
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  const size_t s_end = RoundedCount(n, shares.s());
  const size_t a_end = RoundedCount(n, shares.s() + shares.a());
  const size_t b_end = RoundedCount(n, shares.s() + shares.a() + shares.b());
  std::vector<crm::v1::Tier> tiers(n, crm::v1::TIER_C);
  crm::v1::Tier tier = crm::v1::TIER_C;
  for (size_t rank = 0; rank < n; ++rank) {
    // A tie keeps the tier of the first of it, whichever of its customers that is.
    if (rank == 0 || ranked[rank - 1].first != ranked[rank].first) {
      tier = rank < s_end   ? crm::v1::TIER_S
             : rank < a_end ? crm::v1::TIER_A
             : rank < b_end ? crm::v1::TIER_B
                            : crm::v1::TIER_C;
    }
    tiers[ranked[rank].second] = tier;
  }
  return tiers;
}

crm::v1::Tier TierByThresholds(double total_score, const crm::v1::ScoreThresholds& thresholds) {
  if (total_score >= thresholds.s_min()) return crm::v1::TIER_S;
  if (total_score >= thresholds.a_min()) return crm::v1::TIER_A;
  if (total_score >= thresholds.b_min()) return crm::v1::TIER_B;
  return crm::v1::TIER_C;
}

bool IsAbnormalChurn(crm::v1::Tier before, crm::v1::Tier after, bool lost) {
  const int was = Rank(before);
  if (was < 0) return false;
  if (lost) return was <= Rank(crm::v1::TIER_A);
  const int now = Rank(after);
  return now >= 0 && now - was >= 2;
}

}  // namespace crm::tiering
