// Periods of NPS roll-ups: responses are counted per calendar month (UTC), and a period is
// a range of months, summed into a trend by month or by quarter.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "crm/satisfaction/nps.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::satisfaction {

enum class TrendStep { kMonth, kQuarter };

// Longest period a roll-up may span: ten years.
inline constexpr int kMaxPeriodMonths = 120;

// INVALID_ARGUMENT unless `from` <= `to` and the period spans at most kMaxPeriodMonths.
absl::Status ValidatePeriod(absl::CivilMonth from, absl::CivilMonth to);

// A period of whole months, both ends included.
struct Period {
  absl::CivilMonth from;
  absl::CivilMonth to;
};

// The period a request asks for: `range` when set (both ends required then), else the
// months of "a customer's NPS" (crm/nps/nps.h: the twelve up to and including `current`).
// INVALID_ARGUMENT naming `field`.from or `field`.to when a month is no real month, or as
// ValidatePeriod.
absl::StatusOr<Period> PeriodOf(const crm::v1::MonthRange& range, absl::CivilMonth current,
                                std::string_view field);

crm::v1::MonthRange RangeOf(const Period& period);

// The month an instant falls in (UTC).
absl::CivilMonth MonthOf(absl::Time time);

// "2026-11": the key of a month's counts; sorts in time order.
std::string MonthKey(absl::CivilMonth month);

// "2026-11" by month, "2026-Q4" by quarter.
std::string PeriodLabel(absl::CivilMonth month, TrendStep step);

struct TrendPoint {
  std::string period;
  NpsCounts counts;
};

// The months from `from` to `to` summed per step, in time order; every step of the period
// is present, with zero counts where nobody answered (a quarter cut by the period's ends
// counts only its months inside it).
std::vector<TrendPoint> Trend(const std::map<absl::CivilMonth, NpsCounts>& monthly,
                              absl::CivilMonth from, absl::CivilMonth to, TrendStep step);

}  // namespace crm::satisfaction
