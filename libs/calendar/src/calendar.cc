#include "crm/calendar/calendar.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/base/field_errors.h"

namespace crm {
namespace {

int64_t Yyyymmdd(absl::CivilDay day) {
  return int64_t{day.year()} * 10000 + int64_t{day.month()} * 100 + day.day();
}

}  // namespace

absl::StatusOr<absl::CivilDay> DayOf(const crm::v1::CalendarDate& date, std::string_view field) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) {
    return Invalid(field, "is required");
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalises 31 April into 1 May; a date that does not survive is no real day.
  if (date.year() < 1900 || date.year() > 9999 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    return Invalid(field, absl::StrFormat("%04d-%02d-%02d is not a day of the calendar",
                                          date.year(), date.month(), date.day()));
  }
  return day;
}

crm::v1::CalendarDate CalendarDateOf(absl::CivilDay day) {
  crm::v1::CalendarDate date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::CivilDay DayOfDate(const crm::v1::CalendarDate& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

absl::CivilDay WeekStartOf(absl::CivilDay day) {
  return absl::PrevWeekday(day + 1, absl::Weekday::monday);
}

std::string DayKey(absl::CivilDay day) { return absl::StrFormat("%08d", Yyyymmdd(day)); }

std::string NewestFirstDayKey(absl::CivilDay day) {
  return absl::StrFormat("%08d", 99999999 - Yyyymmdd(day));
}

}  // namespace crm
