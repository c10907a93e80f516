// The report's text and HTML renderings of a hand-made report.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "report.h"

namespace crm::crmctl {
namespace {

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

Report TwoRegions() {
  Report report;
  report.fiscal_year = 2026;
  report.all_regions.set_tier_s(3);
  report.all_regions.set_tier_a(10);
  report.all_regions.set_tier_b(20);
  report.all_regions.set_tier_c(40);
  report.all_regions.set_value_share_s(41.5);
  for (const char* name : {"emea", "apac"}) {
    crm::v1::TierDistribution region;
    region.set_region(name);
    region.set_tier_c(20);
    report.regions.push_back(region);
  }
  crm::v1::NpsSummary promoters;
  promoters.set_responses(4);
  promoters.set_promoters(3);
  promoters.set_nps(75);
  report.nps = {{.tier = crm::v1::TIER_S, .known = true, .summary = promoters},
                {.tier = crm::v1::TIER_A},
                {.tier = crm::v1::TIER_B},
                {.tier = crm::v1::TIER_C}};
  report.overdue = {{.tier = crm::v1::TIER_S, .customers = 3, .contact_overdue = 2},
                    {.tier = crm::v1::TIER_A, .customers = 10, .contact_overdue = 1}};
  AbnormalChurnLine line;
  line.legal_name = "Smith & <Sons>";
  line.entry.set_region("emea");
  line.entry.set_previous_tier(crm::v1::TIER_S);
  line.entry.set_lost(true);
  report.abnormal_churn.push_back(line);
  return report;
}

TEST(ReportHtml, IsOneSelfContainedPageWithAChartPerRegion) {
  const std::string html = ReportHtml(TwoRegions());
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
  // Nothing fetched or run: no scripts, links, images or remote addresses.
  for (const char* outside : {"<script", "<link", "<img", "http://", "https://", "src="}) {
    EXPECT_FALSE(absl::StrContains(html, outside)) << outside;
  }
  // Pyramids for all regions and each region, then NPS and overdue coverage.
  EXPECT_EQ(Occurrences(html, "<svg"), 3u + 2u);
  EXPECT_EQ(Occurrences(html, "</svg>"), 5u);
  EXPECT_TRUE(absl::StrContains(html, "aria-label=\"tier pyramid of emea\""));
  EXPECT_TRUE(absl::StrContains(html, "+75 (4)"));
  EXPECT_TRUE(absl::StrContains(html, "no answers"));
  EXPECT_TRUE(absl::StrContains(html, "2 of 3"));
  // Names are escaped; a missing churn reason stands out.
  EXPECT_TRUE(absl::StrContains(html, "Smith &amp; &lt;Sons&gt;"));
  EXPECT_FALSE(absl::StrContains(html, "<Sons>"));
  EXPECT_TRUE(absl::StrContains(html, "class=\"missing\">missing"));
}

TEST(ReportText, ListsEachSection) {
  const std::string text = ReportText(TwoRegions());
  EXPECT_TRUE(absl::StrContains(text, "fiscal year 2026"));
  EXPECT_TRUE(absl::StrContains(text, "value  41.5%"));
  EXPECT_TRUE(absl::StrContains(text, "emea"));
  EXPECT_TRUE(absl::StrContains(text, "+75.0"));
  EXPECT_TRUE(absl::StrContains(text, "Abnormal churn: 1 customers, 1 without a churn reason"));
  EXPECT_TRUE(absl::StrContains(text, "Smith & <Sons>"));
}

}  // namespace
}  // namespace crm::crmctl
