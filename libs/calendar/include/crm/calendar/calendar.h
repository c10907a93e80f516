// Calendar days as the services use them: checked dates from requests, weeks that start
// on Monday, and keys that sort rows by day (oldest or newest first).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "crm/v1/common.pb.h"

namespace crm {

// The day `date` names; INVALID_ARGUMENT naming `field` when it is unset or no real day.
absl::StatusOr<absl::CivilDay> DayOf(const crm::v1::CalendarDate& date, std::string_view field);

crm::v1::CalendarDate CalendarDateOf(absl::CivilDay day);

// The day of a date already checked (a stored one).
absl::CivilDay DayOfDate(const crm::v1::CalendarDate& date);

// The Monday of the week `day` falls in.
absl::CivilDay WeekStartOf(absl::CivilDay day);

// "20261123": sorts oldest first.
std::string DayKey(absl::CivilDay day);
// Sorts newest first: 99999999 minus the day's yyyymmdd, eight digits.
std::string NewestFirstDayKey(absl::CivilDay day);

}  // namespace crm
