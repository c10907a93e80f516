#include "report.h"

#include <map>
#include <set>

#include "absl/time/clock.h"
#include "crm/base/status_macros.h"
#include "crm/nps/nps.h"

namespace crm::crmctl {
namespace {

constexpr int kPageSize = 1000;

// Every page of a list: `page(request)` answers one page and its next page token.
template <class Request, class Fetch>
absl::Status EveryPage(Request request, const Fetch& page) {
  request.mutable_page()->set_page_size(kPageSize);
  do {
    ASSIGN_OR_RETURN(std::string next, page(request));
    request.mutable_page()->set_page_token(next);
  } while (!request.page().page_token().empty());
  return absl::OkStatus();
}

}  // namespace

std::string TierLetter(crm::v1::Tier tier) {
  switch (tier) {
    case crm::v1::TIER_S:
      return "S";
    case crm::v1::TIER_A:
      return "A";
    case crm::v1::TIER_B:
      return "B";
    case crm::v1::TIER_C:
      return "C";
    default:
      return "-";
  }
}

int64_t TierCount(const crm::v1::TierDistribution& distribution, crm::v1::Tier tier) {
  switch (tier) {
    case crm::v1::TIER_S:
      return distribution.tier_s();
    case crm::v1::TIER_A:
      return distribution.tier_a();
    case crm::v1::TIER_B:
      return distribution.tier_b();
    case crm::v1::TIER_C:
      return distribution.tier_c();
    default:
      return 0;
  }
}

double TierValueShare(const crm::v1::TierDistribution& distribution, crm::v1::Tier tier) {
  switch (tier) {
    case crm::v1::TIER_S:
      return distribution.value_share_s();
    case crm::v1::TIER_A:
      return distribution.value_share_a();
    case crm::v1::TIER_B:
      return distribution.value_share_b();
    case crm::v1::TIER_C:
      return distribution.value_share_c();
    default:
      return 0;
  }
}

absl::StatusOr<Report> GatherReport(const ServiceClients& clients, int fiscal_year) {
  Report report;
  report.fiscal_year = fiscal_year;
  report.generated_at = absl::Now();

  // The registry: the regions there are, and the names of the customers.
  std::set<std::string> regions;
  std::map<std::string, std::string> names;
  RETURN_IF_ERROR(EveryPage(
      crm::v1::ListCustomersRequest(),
      [&](const crm::v1::ListCustomersRequest& request) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(auto page,
                         clients.Call(*clients.registry, &RegistryStub::ListCustomers, request));
        for (const auto& customer : page.customers()) {
          regions.insert(customer.region());
          names[customer.customer_id()] = customer.legal_name();
        }
        return page.page().next_page_token();
      }));

  // Tiering: the pyramid of the latest run, over all regions and per region.
  crm::v1::GetTierDistributionRequest distribution;
  distribution.set_fiscal_year(fiscal_year);
  ASSIGN_OR_RETURN(auto all,
                   clients.Call(*clients.tiering, &TieringStub::GetTierDistribution, distribution));
  report.all_regions = all.distribution();
  for (const std::string& region : regions) {
    distribution.set_region(region);
    ASSIGN_OR_RETURN(auto of_region, clients.Call(*clients.tiering,
                                                  &TieringStub::GetTierDistribution, distribution));
    report.regions.push_back(of_region.distribution());
    report.regions.back().set_region(region);
  }

  // NPS per tier: each customer's answers under its tier from the latest evaluation
  // (satisfaction's own tier scope counts an answer under the tier of its day instead).
  std::map<crm::v1::Tier, crm::v1::NpsSummary> per_tier;
  for (const auto& [customer_id, name] : names) {
    crm::v1::GetCustomerTierRequest tier_request;
    tier_request.set_customer_id(customer_id);
    auto tier = clients.Call(*clients.tiering, &TieringStub::GetCustomerTier, tier_request);
    if (absl::IsNotFound(tier.status())) continue;  // not tiered, or lost
    RETURN_IF_ERROR(tier.status());
    crm::v1::GetNpsRequest nps;
    nps.mutable_scope()->set_customer_id(customer_id);
    ASSIGN_OR_RETURN(auto answers,
                     clients.Call(*clients.satisfaction, &SatisfactionStub::GetNps, nps));
    crm::v1::NpsSummary& sum = per_tier[tier->tier().tier()];
    sum.set_promoters(sum.promoters() + answers.summary().promoters());
    sum.set_passives(sum.passives() + answers.summary().passives());
    sum.set_detractors(sum.detractors() + answers.summary().detractors());
    sum.set_responses(sum.responses() + answers.summary().responses());
  }
  for (crm::v1::Tier tier : kTiers) {
    const crm::v1::NpsSummary& counted = per_tier[tier];
    const std::optional<crm::v1::NpsSummary> summary =
        nps::Summarise({counted.promoters(), counted.passives(), counted.detractors()});
    report.nps.push_back({.tier = tier,
                          .known = summary.has_value(),
                          .summary = summary.value_or(crm::v1::NpsSummary())});
  }

  // Engagement: who among the S and A customers is owed a contact.
  for (crm::v1::Tier tier : {crm::v1::TIER_S, crm::v1::TIER_A}) {
    OverdueCoverage coverage{.tier = tier, .customers = TierCount(report.all_regions, tier)};
    crm::v1::ListOverdueContactsRequest overdue;
    overdue.set_tier(tier);
    RETURN_IF_ERROR(EveryPage(
        overdue,
        [&](const crm::v1::ListOverdueContactsRequest& request) -> absl::StatusOr<std::string> {
          ASSIGN_OR_RETURN(auto page, clients.Call(*clients.engagement,
                                                   &EngagementStub::ListOverdueContacts, request));
          for (const auto& customer : page.customers()) {
            if (customer.contact_overdue()) ++coverage.contact_overdue;
            if (customer.decision_makers_size() > 0) ++coverage.decision_makers_overdue;
          }
          return page.page().next_page_token();
        }));
    report.overdue.push_back(coverage);
  }

  // Tiering: abnormal churn of the year, for retrospectives.
  crm::v1::ListAbnormalChurnRequest churn;
  churn.set_fiscal_year(fiscal_year);
  RETURN_IF_ERROR(EveryPage(
      churn, [&](const crm::v1::ListAbnormalChurnRequest& request) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(auto page,
                         clients.Call(*clients.tiering, &TieringStub::ListAbnormalChurn, request));
        for (const auto& entry : page.entries()) {
          report.abnormal_churn.push_back(
              {.entry = entry, .legal_name = names[entry.customer_id()]});
        }
        return page.page().next_page_token();
      }));
  return report;
}

}  // namespace crm::crmctl
