#include "crm/satisfaction/periods.h"

#include "absl/strings/str_format.h"

namespace crm::satisfaction {

absl::Status ValidatePeriod(absl::CivilMonth from, absl::CivilMonth to) {
  if (to < from) return absl::InvalidArgumentError("period: to is before from");
  if (to - from >= kMaxPeriodMonths) {
    return absl::InvalidArgumentError(
        absl::StrFormat("period spans more than %d months", kMaxPeriodMonths));
  }
  return absl::OkStatus();
}

std::string MonthKey(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

std::string PeriodLabel(absl::CivilMonth month, TrendStep step) {
  if (step == TrendStep::kMonth) return MonthKey(month);
  return absl::StrFormat("%04d-Q%d", month.year(), (month.month() - 1) / 3 + 1);
}

std::vector<TrendPoint> Trend(const std::map<absl::CivilMonth, NpsCounts>& monthly,
                              absl::CivilMonth from, absl::CivilMonth to, TrendStep step) {
  std::vector<TrendPoint> points;
  for (absl::CivilMonth month = from; month <= to; ++month) {
    const std::string label = PeriodLabel(month, step);
    if (points.empty() || points.back().period != label) points.push_back({label, {}});
    if (auto it = monthly.find(month); it != monthly.end()) points.back().counts += it->second;
  }
  return points;
}

}  // namespace crm::satisfaction
