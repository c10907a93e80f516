// The Net Promoter Score, the one rule every part of the product that speaks of NPS uses:
// satisfaction's roll-ups, tiering's loyalty factor and health score, and crmctl's report.
// A score's category, counts kept as running aggregates (added to and taken from as
// responses are recorded and replaced), the NPS of counts and their summary with its 95%
// margin of error.
//
//   NpsCounts counts;
//   counts.Add(CategoryOf(9));
//   std::optional<double> nps = NpsOf(counts);                   // nullopt: no responses
//   std::optional<crm::v1::NpsSummary> summary = Summarise(counts);
//
// Which responses count is the caller's choice. "A customer's NPS" (and a scope's), wherever
// the product shows or uses one, covers the responses given in the twelve calendar months
// (UTC) up to and including the current one: satisfaction's roll-ups by default
// (crm/satisfaction/periods.h; a request may name another range), tiering's loyalty factor
// and health score (crm/tiering/signals.h), and crmctl's report, which asks satisfaction.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::nps {

// The months "a customer's NPS" covers: kCustomerNpsMonths, the current one the last.
inline constexpr int kCustomerNpsMonths = 12;
// The first of them when `current` is the current month.
absl::CivilMonth FirstMonthOfCustomerNps(absl::CivilMonth current);

// INVALID_ARGUMENT naming `field` unless 0 <= score <= 10.
absl::Status ValidateScore(int32_t score, const char* field);

// 9–10 promoter, 7–8 passive, 0–6 detractor. The score must be valid.
crm::v1::NpsCategory CategoryOf(int32_t score);

struct NpsCounts {
  int64_t promoters = 0;
  int64_t passives = 0;
  int64_t detractors = 0;

  int64_t responses() const { return promoters + passives + detractors; }
  // Counts one response more (`by` 1) or less (`by` -1) in `category`.
  void Add(crm::v1::NpsCategory category, int64_t by = 1);
  NpsCounts& operator+=(const NpsCounts& other);
  bool operator==(const NpsCounts&) const = default;
};

// % promoters − % detractors, −100..+100; nullopt when there is no response: an NPS of
// nothing is unknown, not 0.
std::optional<double> NpsOf(const NpsCounts& counts);

// The counts with their NPS, or nullopt when there is no response. The margin of error
// treats each response as +1 (promoter), 0 or −1 (detractor): 1.96 × √(variance / n) ×
// 100, with the variance of those values over the n responses; it is left unset for a
// single response.
std::optional<crm::v1::NpsSummary> Summarise(const NpsCounts& counts);

}  // namespace crm::nps
