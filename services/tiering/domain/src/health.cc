#include "crm/tiering/health.h"

#include <algorithm>
#include <vector>

namespace crm::tiering {
namespace {

using crm::v1::HealthComponentKind;

double Clamp(double score) { return std::clamp(score, 0.0, 100.0); }

// A component before weights are shared: its measure and score when present.
struct Part {
  HealthComponentKind kind;
  double weight;
  std::optional<double> measure;
  double score = 0;
};

Part NpsPart(const HealthFacts& facts) {
  Part part{crm::v1::HEALTH_COMPONENT_KIND_NPS, 25, facts.nps};
  if (facts.nps) part.score = Clamp((*facts.nps + 100) / 2);
  return part;
}

Part RecencyPart(const HealthFacts& facts, absl::CivilDay today) {
  Part part{crm::v1::HEALTH_COMPONENT_KIND_RECENCY, 20, std::nullopt};
  if (!facts.last_touchpoint) return part;
  const double days = std::max<double>(0, today - *facts.last_touchpoint);
  const double cadence = std::max(1, facts.contact_every_days);
  part.measure = days;
  // Within the cadence is healthy; past it the score falls to 0 at three cadences.
  part.score = days <= cadence ? 100 : Clamp(100 * (3 * cadence - days) / (2 * cadence));
  return part;
}

Part CoveragePart(const HealthFacts& facts) {
  Part part{crm::v1::HEALTH_COMPONENT_KIND_COVERAGE, 15, facts.coverage};
  if (facts.coverage) part.score = Clamp(*facts.coverage);
  return part;
}

Part OpenIssuesPart(const HealthFacts& facts) {
  Part part{crm::v1::HEALTH_COMPONENT_KIND_OPEN_ISSUES, 15, facts.open_issues};
  part.score = Clamp(100 - 25.0 * facts.open_issues);
  return part;
}

Part PaymentPart(const HealthFacts& facts) {
  Part part{crm::v1::HEALTH_COMPONENT_KIND_PAYMENT, 15, facts.payment_record};
  if (facts.payment_record) part.score = Clamp((*facts.payment_record - 1) * 25);
  return part;
}

Part RevenueTrendPart(const HealthFacts& facts) {
  Part part{crm::v1::HEALTH_COMPONENT_KIND_REVENUE_TREND, 10, std::nullopt};
  // A change from nothing has no percentage.
  if (!facts.revenue || !facts.previous_revenue || !(*facts.previous_revenue > 0)) return part;
  const double change = 100 * (*facts.revenue - *facts.previous_revenue) / *facts.previous_revenue;
  part.measure = change;
  part.score = Clamp(50 + change);
  return part;
}

}  // namespace

crm::v1::CustomerHealth HealthOf(const HealthFacts& facts, absl::CivilDay today) {
  const std::vector<Part> parts = {NpsPart(facts),      RecencyPart(facts, today),
                                   CoveragePart(facts), OpenIssuesPart(facts),
                                   PaymentPart(facts),  RevenueTrendPart(facts)};
  double present_weight = 0;
  int present = 0;
  for (const Part& part : parts) {
    if (!part.measure) continue;
    present_weight += part.weight;
    present += part.kind != crm::v1::HEALTH_COMPONENT_KIND_OPEN_ISSUES;
  }
  crm::v1::CustomerHealth health;
  double score = 0;
  for (const Part& part : parts) {
    crm::v1::HealthComponent& component = *health.add_components();
    component.set_kind(part.kind);
    component.set_missing(!part.measure.has_value());
    if (!part.measure) continue;
    component.set_measure(*part.measure);
    component.set_score(part.score);
    component.set_weight(100 * part.weight / present_weight);
    score += part.score * part.weight / present_weight;
  }
  if (present > 0) health.set_score(score);
  return health;
}

}  // namespace crm::tiering
