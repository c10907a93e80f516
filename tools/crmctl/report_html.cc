// The report as one self-contained HTML page: inline CSS and SVG, no script, nothing
// loaded from elsewhere, so that it can be mailed or archived as it is.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "report.h"

namespace crm::crmctl {
namespace {

constexpr const char* kTierColours[] = {"#7b2cbf", "#2a6fdb", "#2aa876", "#9aa5b1"};

std::string Escaped(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

// A pyramid: S on top, each tier a centred bar as wide as its share of the largest tier.
std::string PyramidSvg(const crm::v1::TierDistribution& distribution, const std::string& title) {
  constexpr int kWidth = 320, kRow = 34;
  int64_t largest = 1;
  for (crm::v1::Tier tier : kTiers) largest = std::max(largest, TierCount(distribution, tier));
  std::string svg = absl::StrFormat(
      "<figure><svg role=\"img\" aria-label=\"tier pyramid of %s\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\">",
      Escaped(title), kWidth, kRow * 4 + 10, kWidth, kRow * 4 + 10);
  for (int row = 0; row < 4; ++row) {
    const int64_t count = TierCount(distribution, kTiers[row]);
    const double width = std::max(2.0, 200.0 * static_cast<double>(count) / largest);
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                          "<text x=\"4\" y=\"%d\">%s</text>"
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d · %.0f%%</text>",
                          20 + (200 - width) / 2, row * kRow + 5, width, kRow - 8,
                          kTierColours[row], row * kRow + 24, TierLetter(kTiers[row]), kWidth - 4,
                          row * kRow + 24, count, TierValueShare(distribution, kTiers[row]));
  }
  absl::StrAppendFormat(&svg, "</svg><figcaption>%s</figcaption></figure>", Escaped(title));
  return svg;
}

// NPS per tier on an axis from -100 to +100.
std::string NpsSvg(const std::vector<TierNps>& nps) {
  constexpr int kRow = 30, kAxis = 200;
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" aria-label=\"NPS per tier\" width=\"560\" height=\"%d\">"
      "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>",
      kRow * 4 + 10, kAxis + 30, kAxis + 30, kRow * 4 + 10);
  for (size_t row = 0; row < nps.size(); ++row) {
    const int y = static_cast<int>(row) * kRow + 5;
    absl::StrAppendFormat(&svg, "<text x=\"4\" y=\"%d\">%s</text>", y + 16,
                          TierLetter(nps[row].tier));
    if (!nps[row].known) {
      absl::StrAppendFormat(&svg, "<text x=\"%d\" y=\"%d\">no answers</text>", kAxis + 36, y + 16);
      continue;
    }
    const double value = nps[row].summary.nps();
    const double length = std::abs(value) * kAxis / 100.0;
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%+.0f (%d)</text>",
                          value >= 0 ? kAxis + 30.0 : kAxis + 30.0 - length, y,
                          std::max(1.0, length), kRow - 8, value >= 0 ? "#2aa876" : "#d64545", 556,
                          y + 16, value, nps[row].summary.responses());
  }
  return svg + "</svg>";
}

// Of the customers of a tier, the share owed a contact.
std::string OverdueSvg(const std::vector<OverdueCoverage>& overdue) {
  constexpr int kRow = 30, kBar = 300;
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" aria-label=\"overdue coverage\" width=\"460\" height=\"%d\">",
      kRow * static_cast<int>(overdue.size()) + 10);
  for (size_t row = 0; row < overdue.size(); ++row) {
    const int y = static_cast<int>(row) * kRow + 5;
    const int64_t total = std::max<int64_t>(overdue[row].customers, 1);
    const double late = static_cast<double>(overdue[row].contact_overdue) * kBar / total;
    absl::StrAppendFormat(
        &svg,
        "<text x=\"4\" y=\"%d\">%s</text><rect x=\"30\" y=\"%d\" width=\"%d\" height=\"%d\" "
        "fill=\"#e3e7ec\"/><rect x=\"30\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#e08a1e\"/>"
        "<text x=\"456\" y=\"%d\" text-anchor=\"end\">%d of %d</text>",
        y + 16, TierLetter(overdue[row].tier), y, kBar, kRow - 8, y, std::min<double>(late, kBar),
        kRow - 8, y + 16, overdue[row].contact_overdue, overdue[row].customers);
  }
  return svg + "</svg>";
}

}  // namespace

std::string ReportHtml(const Report& report) {
  std::string html = absl::StrFormat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Customer relationships, fiscal year %d</title><style>"
      "body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733;max-width:70rem}"
      "svg text{font-size:13px;fill:#1d2733}figure{display:inline-block;margin:0 1.5rem 1rem 0}"
      "figcaption{text-align:center;font-weight:600}table{border-collapse:collapse}"
      "td,th{padding:.25rem .75rem;border-bottom:1px solid #d8dee4;text-align:left}"
      ".missing{color:#d64545;font-weight:600}</style></head><body>\n"
      "<h1>Customer relationships, fiscal year %d</h1>\n<p>Generated %s from the services' own "
      "answers.</p>\n",
      report.fiscal_year, report.fiscal_year,
      absl::FormatTime("%Y-%m-%d %H:%M UTC", report.generated_at, absl::UTCTimeZone()));

  absl::StrAppend(&html,
                  "<h2>Tier pyramid</h2>\n<p>Customers per tier and each tier's share of "
                  "last year's revenue, from the latest evaluation.</p>\n");
  absl::StrAppend(&html, PyramidSvg(report.all_regions, "all regions"), "\n");
  for (const auto& region : report.regions) {
    absl::StrAppend(&html, PyramidSvg(region, region.region()), "\n");
  }

  absl::StrAppend(&html, "<h2>NPS per tier</h2>\n", NpsSvg(report.nps), "\n");

  absl::StrAppend(&html,
                  "<h2>Overdue coverage of S and A customers</h2>\n<p>Customers not contacted "
                  "within their tier's cadence.</p>\n",
                  OverdueSvg(report.overdue),
                  "\n<table><tr><th>Tier</th><th>Customers</th>"
                  "<th>Contact overdue</th><th>A decision maker not met in time</th></tr>");
  for (const OverdueCoverage& coverage : report.overdue) {
    absl::StrAppendFormat(&html, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td></tr>",
                          TierLetter(coverage.tier), coverage.customers, coverage.contact_overdue,
                          coverage.decision_makers_overdue);
  }
  absl::StrAppend(&html, "</table>\n");

  absl::StrAppend(&html,
                  "<h2>Abnormal churn</h2>\n<p>S or A customers lost, and customers that "
                  "dropped two tiers: each calls for a retrospective.</p>\n");
  if (report.abnormal_churn.empty()) {
    absl::StrAppend(&html, "<p>None this year.</p>\n");
  } else {
    absl::StrAppend(&html,
                    "<table><tr><th>Customer</th><th>Region</th><th>From</th><th>To</th>"
                    "<th>Lost</th><th>Churn reason</th></tr>");
    for (const AbnormalChurnLine& line : report.abnormal_churn) {
      absl::StrAppendFormat(
          &html, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td%s>%s</td></tr>",
          Escaped(line.legal_name), Escaped(line.entry.region()),
          TierLetter(line.entry.previous_tier()), TierLetter(line.entry.tier()),
          line.entry.lost() ? "yes" : "no",
          line.entry.churn_reason_recorded() ? "" : " class=\"missing\"",
          line.entry.churn_reason_recorded() ? "recorded" : "missing");
    }
    absl::StrAppend(&html, "</table>\n");
  }
  absl::StrAppend(&html, "</body></html>\n");
  return html;
}

}  // namespace crm::crmctl
