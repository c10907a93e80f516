// The report for a terminal.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "report.h"

namespace crm::crmctl {
namespace {

std::string Bar(int64_t count, int64_t largest, int width) {
  if (largest <= 0) return "";
  return std::string(
      static_cast<size_t>(std::max<int64_t>(count > 0 ? 1 : 0, count * width / largest)), '#');
}

void Pyramid(std::string& out, const crm::v1::TierDistribution& distribution) {
  int64_t largest = 0;
  for (crm::v1::Tier tier : kTiers) largest = std::max(largest, TierCount(distribution, tier));
  for (crm::v1::Tier tier : kTiers) {
    absl::StrAppendFormat(
        &out, "  %s %7d  %-40s value %5.1f%%\n", TierLetter(tier), TierCount(distribution, tier),
        Bar(TierCount(distribution, tier), largest, 40), TierValueShare(distribution, tier));
  }
}

}  // namespace

std::string ReportText(const Report& report) {
  std::string out = absl::StrFormat("Customer tiers, fiscal year %d (the latest evaluation)\n\n",
                                    report.fiscal_year);
  absl::StrAppend(&out, "All regions\n");
  Pyramid(out, report.all_regions);
  absl::StrAppendFormat(&out, "\n%-12s %7s %7s %7s %7s %5s %5s\n", "REGION", "S", "A", "B", "C",
                        "NEW", "LOST");
  for (const auto& region : report.regions) {
    absl::StrAppendFormat(&out, "%-12s %7d %7d %7d %7d %5d %5d\n", region.region(), region.tier_s(),
                          region.tier_a(), region.tier_b(), region.tier_c(), region.new_customers(),
                          region.lost_customers());
  }

  absl::StrAppend(&out, "\nNPS per tier\n");
  absl::StrAppendFormat(&out, "%-5s %10s %10s %10s %7s\n", "TIER", "RESPONSES", "PROMOTERS",
                        "DETRACTORS", "NPS");
  for (const TierNps& nps : report.nps) {
    if (!nps.known) {
      absl::StrAppendFormat(&out, "%-5s %10s %10s %10s %7s\n", TierLetter(nps.tier), "0", "-", "-",
                            "-");
      continue;
    }
    absl::StrAppendFormat(&out, "%-5s %10d %10d %10d %+7.1f\n", TierLetter(nps.tier),
                          nps.summary.responses(), nps.summary.promoters(),
                          nps.summary.detractors(), nps.summary.nps());
  }

  absl::StrAppend(&out, "\nOverdue coverage of S and A customers\n");
  absl::StrAppendFormat(&out, "%-5s %10s %16s %24s\n", "TIER", "CUSTOMERS", "CONTACT OVERDUE",
                        "DECISION MAKER OVERDUE");
  for (const OverdueCoverage& coverage : report.overdue) {
    absl::StrAppendFormat(&out, "%-5s %10d %16d %24d\n", TierLetter(coverage.tier),
                          coverage.customers, coverage.contact_overdue,
                          coverage.decision_makers_overdue);
  }

  const int64_t unexplained = std::count_if(
      report.abnormal_churn.begin(), report.abnormal_churn.end(),
      [](const AbnormalChurnLine& line) { return !line.entry.churn_reason_recorded(); });
  absl::StrAppendFormat(&out, "\nAbnormal churn: %d customers, %d without a churn reason\n",
                        report.abnormal_churn.size(), unexplained);
  if (!report.abnormal_churn.empty()) {
    absl::StrAppendFormat(&out, "%-36s %-10s %4s %4s %-5s %s\n", "CUSTOMER", "REGION", "FROM", "TO",
                          "LOST", "CHURN REASON");
  }
  for (const AbnormalChurnLine& line : report.abnormal_churn) {
    absl::StrAppendFormat(&out, "%-36s %-10s %4s %4s %-5s %s\n", line.legal_name.substr(0, 36),
                          line.entry.region(), TierLetter(line.entry.previous_tier()),
                          TierLetter(line.entry.tier()), line.entry.lost() ? "yes" : "no",
                          line.entry.churn_reason_recorded() ? "recorded" : "missing");
  }
  return out;
}

}  // namespace crm::crmctl
