// Validation of the archive sections and key dates, naming the field of each problem.
#pragma once

#include "absl/status/status.h"
#include "crm/v1/registry.pb.h"

namespace crm::registry::internal {

// INVALID_ARGUMENT naming the field for a section that is unset, too large, or holds an
// out-of-range share, severity, year, count or amount.
absl::Status ValidateSection(const crm::v1::ArchiveSectionUpdated& update);

// INVALID_ARGUMENT naming the field for a key date without a title, an impossible day of
// the month (29 February only for dates that recur), or a reminder outside 0..365 days.
absl::Status ValidateKeyDate(const crm::v1::KeyDate& date);

// INVALID_ARGUMENT naming the field for a restricted profile with a birth year outside
// 1900..2200, a text longer than its limit, or more than 50 hobbies or taboos.
absl::Status ValidateProfile(const crm::v1::PersonalProfile& profile);

}  // namespace crm::registry::internal
