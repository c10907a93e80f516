#include "crm/nps/nps.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace crm::nps {

absl::CivilMonth FirstMonthOfCustomerNps(absl::CivilMonth current) {
  return current - (kCustomerNpsMonths - 1);
}

absl::Status ValidateScore(int32_t score, const char* field) {
  if (score < 0 || score > 10) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be from 0 to 10 (it is ", score, ")"));
  }
  return absl::OkStatus();
}

crm::v1::NpsCategory CategoryOf(int32_t score) {
  if (score >= 9) return crm::v1::NPS_CATEGORY_PROMOTER;
  if (score >= 7) return crm::v1::NPS_CATEGORY_PASSIVE;
  return crm::v1::NPS_CATEGORY_DETRACTOR;
}

void NpsCounts::Add(crm::v1::NpsCategory category, int64_t by) {
  switch (category) {
    case crm::v1::NPS_CATEGORY_PROMOTER:
      promoters += by;
      break;
    case crm::v1::NPS_CATEGORY_PASSIVE:
      passives += by;
      break;
    case crm::v1::NPS_CATEGORY_DETRACTOR:
      detractors += by;
      break;
    default:
      break;
  }
}

NpsCounts& NpsCounts::operator+=(const NpsCounts& other) {
  promoters += other.promoters;
  passives += other.passives;
  detractors += other.detractors;
  return *this;
}

std::optional<double> NpsOf(const NpsCounts& counts) {
  const int64_t n = counts.responses();
  if (n <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(counts.promoters - counts.detractors) / n;
}

std::optional<crm::v1::NpsSummary> Summarise(const NpsCounts& counts) {
  const int64_t n = counts.responses();
  if (n <= 0) return std::nullopt;
  crm::v1::NpsSummary summary;
  summary.set_promoters(counts.promoters);
  summary.set_passives(counts.passives);
  summary.set_detractors(counts.detractors);
  summary.set_responses(n);
  summary.set_nps(*NpsOf(counts));
  const double mean = static_cast<double>(counts.promoters - counts.detractors) / n;
  if (n >= 2) {
    // E[x²] − E[x]² for x in {+1, 0, −1}; clamped, since rounding may leave it at −0.
    const double variance =
        std::max(0.0, static_cast<double>(counts.promoters + counts.detractors) / n - mean * mean);
    summary.set_margin_of_error(1.96 * std::sqrt(variance / n) * 100.0);
  }
  return summary;
}

}  // namespace crm::nps
