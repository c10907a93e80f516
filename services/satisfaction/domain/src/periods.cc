#include "crm/satisfaction/periods.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/base/field_errors.h"
#include "crm/nps/nps.h"

namespace crm::satisfaction {

absl::Status ValidatePeriod(absl::CivilMonth from, absl::CivilMonth to) {
  if (to < from) return absl::InvalidArgumentError("period: to is before from");
  if (to - from >= kMaxPeriodMonths) {
    return absl::InvalidArgumentError(
        absl::StrFormat("period spans more than %d months", kMaxPeriodMonths));
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<absl::CivilMonth> CheckedMonth(const crm::v1::YearMonth& month,
                                              std::string_view field) {
  if (month.year() < 1970 || month.year() > 9999) {
    return Invalid(field, "year must be from 1970 to 9999");
  }
  if (month.month() < 1 || month.month() > 12) return Invalid(field, "month must be from 1 to 12");
  return absl::CivilMonth(month.year(), month.month());
}

crm::v1::YearMonth YearMonthOf(absl::CivilMonth month) {
  crm::v1::YearMonth out;
  out.set_year(static_cast<int32_t>(month.year()));
  out.set_month(month.month());
  return out;
}

}  // namespace

absl::StatusOr<Period> PeriodOf(const crm::v1::MonthRange& range, absl::CivilMonth current,
                                std::string_view field) {
  if (!range.has_from() && !range.has_to())
    return Period{nps::FirstMonthOfCustomerNps(current), current};
  absl::StatusOr<absl::CivilMonth> from =
      CheckedMonth(range.from(), absl::StrCat(std::string(field), ".from"));
  if (!from.ok()) return from.status();
  absl::StatusOr<absl::CivilMonth> to =
      CheckedMonth(range.to(), absl::StrCat(std::string(field), ".to"));
  if (!to.ok()) return to.status();
  if (absl::Status valid = ValidatePeriod(*from, *to); !valid.ok()) return valid;
  return Period{*from, *to};
}

crm::v1::MonthRange RangeOf(const Period& period) {
  crm::v1::MonthRange range;
  *range.mutable_from() = YearMonthOf(period.from);
  *range.mutable_to() = YearMonthOf(period.to);
  return range;
}

absl::CivilMonth MonthOf(absl::Time time) {
  return absl::CivilMonth(absl::ToCivilSecond(time, absl::UTCTimeZone()));
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
