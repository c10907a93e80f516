// `crmctl report`: what the method is about, gathered from a running system's own
// answers — the tier pyramid per region, NPS per tier, overdue coverage of the S and A
// customers, and the abnormal churn waiting for a retrospective — printed as text or
// written as one self-contained HTML page with SVG charts.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/v1/satisfaction.pb.h"
#include "crm/v1/tiering.pb.h"
#include "service_clients.h"

namespace crm::crmctl {

struct TierNps {
  crm::v1::Tier tier = crm::v1::TIER_UNSPECIFIED;
  bool known = false;  // false: no scored response in the period
  crm::v1::NpsSummary summary;
};

// How many customers of a tier are owed attention: not contacted within the tier's
// cadence, or with a decision maker not met within it.
struct OverdueCoverage {
  crm::v1::Tier tier = crm::v1::TIER_UNSPECIFIED;
  int64_t customers = 0;
  int64_t contact_overdue = 0;
  int64_t decision_makers_overdue = 0;
};

struct AbnormalChurnLine {
  crm::v1::AbnormalChurn entry;
  std::string legal_name;
};

struct Report {
  int fiscal_year = 0;
  absl::Time generated_at;
  crm::v1::TierDistribution all_regions;
  std::vector<crm::v1::TierDistribution> regions;  // in region order
  std::vector<TierNps> nps;                        // S, A, B, C
  std::vector<OverdueCoverage> overdue;            // S, A
  std::vector<AbnormalChurnLine> abnormal_churn;
};

absl::StatusOr<Report> GatherReport(const ServiceClients& clients, int fiscal_year);

// For a terminal: tables and bars of '#'.
std::string ReportText(const Report& report);

// One HTML page with inline CSS and SVG, no scripts and nothing fetched from elsewhere.
std::string ReportHtml(const Report& report);

// Helpers both renderings share: a tier's letter, and its count in a distribution.
std::string TierLetter(crm::v1::Tier tier);
int64_t TierCount(const crm::v1::TierDistribution& distribution, crm::v1::Tier tier);
double TierValueShare(const crm::v1::TierDistribution& distribution, crm::v1::Tier tier);
inline constexpr crm::v1::Tier kTiers[] = {crm::v1::TIER_S, crm::v1::TIER_A, crm::v1::TIER_B,
                                           crm::v1::TIER_C};

}  // namespace crm::crmctl
