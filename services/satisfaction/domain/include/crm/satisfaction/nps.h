// Net Promoter Score: a score's category, counts that can be kept as running aggregates
// (added to and taken from as responses are recorded and replaced), and the summary with
// its 95% margin of error.
//
//   NpsCounts counts;
//   counts.Add(CategoryOf(9));
//   std::optional<crm::v1::NpsSummary> summary = Summarise(counts);  // nullopt: no responses
#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::satisfaction {

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

// The NPS of the counts, or nullopt when there is no response: an NPS of nothing is
// unknown, not 0. The margin of error treats each response as +1 (promoter), 0 or −1
// (detractor): 1.96 × √(variance / n) × 100, with the variance of those values over the n
// responses; it is left unset for a single response.
std::optional<crm::v1::NpsSummary> Summarise(const NpsCounts& counts);

}  // namespace crm::satisfaction
