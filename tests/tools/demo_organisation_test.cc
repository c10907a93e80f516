// The demo organisation: the same seed gives the same organisation, and what it holds is
// something the services accept and the method can work with.
#include "demo_organisation.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace crm::crmctl {
namespace {

std::string Fingerprint(const DemoOrganisation& organisation) {
  std::string out;
  for (const DemoCustomer& customer : organisation.customers) {
    out += customer.legal_name + "|" + customer.region + "|" + customer.owner_id + "|" +
           std::to_string(customer.revenue_millions) + "|" +
           std::to_string(customer.touchpoints.size()) + "|" +
           std::to_string(customer.answers.size()) + "|" +
           std::to_string(static_cast<int>(customer.turn)) + "\n";
    for (const DemoPerson& person : customer.persons) out += person.name + ";";
    for (const DemoAnswer& answer : customer.answers) out += std::to_string(answer.score) + ";";
  }
  return out;
}

TEST(DemoOrganisation, IsTheSameForTheSameSeedAndOtherForAnother) {
  EXPECT_EQ(Fingerprint(GenerateDemoOrganisation(7, 300, 2026)),
            Fingerprint(GenerateDemoOrganisation(7, 300, 2026)));
  EXPECT_NE(Fingerprint(GenerateDemoOrganisation(7, 300, 2026)),
            Fingerprint(GenerateDemoOrganisation(8, 300, 2026)));
}

TEST(DemoOrganisation, HoldsWhatTheServicesAccept) {
  const DemoOrganisation organisation = GenerateDemoOrganisation(3, 2000, 2026);
  ASSERT_EQ(organisation.customers.size(), 2000u);
  EXPECT_EQ(organisation.regions.size(), 4u);
  std::set<std::string> names;
  const std::set<std::string> owners(organisation.account_managers.begin(),
                                     organisation.account_managers.end());
  for (const DemoCustomer& customer : organisation.customers) {
    SCOPED_TRACE(customer.legal_name);
    // Unique within its region, as the registry requires.
    EXPECT_TRUE(names.insert(customer.region + "/" + customer.legal_name).second);
    EXPECT_TRUE(owners.count(customer.owner_id));
    ASSERT_GE(customer.persons.size(), 3u);
    EXPECT_EQ(customer.persons[0].role, crm::v1::DECISION_ROLE_DECISION_MAKER);
    for (size_t p = 0; p < customer.persons.size(); ++p) {
      const DemoPerson& person = customer.persons[p];
      // Reports to someone added before (so the id exists) and never to itself.
      EXPECT_LT(person.reports_to, static_cast<int>(p));
      EXPECT_GE(person.influence, 1);
      EXPECT_LE(person.influence, 5);
    }
    ASSERT_FALSE(customer.touchpoints.empty());
    for (const DemoTouchpoint& touchpoint : customer.touchpoints) {
      EXPECT_GE(touchpoint.days_ago, 0);
      EXPECT_LE(touchpoint.days_ago, 364);
      for (int person : touchpoint.persons)
        EXPECT_LT(person, static_cast<int>(customer.persons.size()));
    }
    for (const DemoAnswer& answer : customer.answers) {
      EXPECT_GE(answer.score, 0);
      EXPECT_LE(answer.score, 10);
    }
    for (const DemoAssessment& assessment : customer.assessments) {
      for (int score : assessment.scores) {
        EXPECT_GE(score, 1);
        EXPECT_LE(score, 5);
      }
    }
    EXPECT_EQ(customer.inputs.size(), 10u);
  }
}

TEST(DemoOrganisation, HasAPyramidOfValueAndSomeCustomersLost) {
  const DemoOrganisation organisation = GenerateDemoOrganisation(3, 2000, 2026);
  std::vector<int64_t> revenues;
  int64_t total = 0;
  int lost = 0, collapsed = 0;
  for (const DemoCustomer& customer : organisation.customers) {
    revenues.push_back(customer.revenue_millions);
    total += customer.revenue_millions;
    if (customer.turn == DemoTurn::kChurns) ++lost;
    if (customer.turn == DemoTurn::kCollapses) ++collapsed;
  }
  // The largest fifth of the customers brings more than half of the revenue.
  std::sort(revenues.rbegin(), revenues.rend());
  const int64_t top = std::accumulate(revenues.begin(), revenues.begin() + 400, int64_t{0});
  EXPECT_GT(2 * top, total);
  EXPECT_GT(lost, 10);  // 1.5% of 2000, give or take
  EXPECT_LT(lost, 60);
  EXPECT_GT(collapsed, 10);
}

}  // namespace
}  // namespace crm::crmctl
