// `crmctl demo` and `crmctl report` as a user runs them, against the four services: the
// demo loads through the public APIs, loading the same seed again adds nothing, and the
// report agrees with the services' own answers.
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "system.h"

namespace crm::e2e {
namespace {

struct CrmctlRun {
  int exit_code = -1;
  std::string out;
};

CrmctlRun Crmctl(System& system, const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {CRMCTL_PATH};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  auto child =
      crm::testing::Subprocess::Start(argv, {{"CRM_REGISTRY_ADDR", system.process(0).address()},
                                             {"CRM_ENGAGEMENT_ADDR", system.process(1).address()},
                                             {"CRM_SATISFACTION_ADDR", system.process(2).address()},
                                             {"CRM_TIERING_ADDR", system.process(3).address()},
                                             {"CRM_PRINCIPAL", "u-demo"},
                                             {"CRM_ROLE", "admin"}});
  EXPECT_TRUE(child.ok()) << child.status();
  CrmctlRun run;
  if (!child.ok()) return run;
  while (auto line = (*child)->ReadLine(absl::Seconds(120))) run.out += *line + "\n";
  const int status = (*child)->Wait();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

int64_t RegisteredCustomers(System& system) {
  crm::v1::ListCustomersRequest list;
  list.mutable_page()->set_page_size(1000);
  return Call(*system.registry, &RegistryStub::ListCustomers, list).second.customers_size();
}

TEST(Demo, LoadsAnOrganisationOnceAndReportsWhatTheServicesSay) {
  System system;
  ASSERT_TRUE(system.Serving());
  const std::vector<std::string> demo = {"demo", "--seed=5", "--customers=40", "--parallel=4"};
  const CrmctlRun loaded = Crmctl(system, demo);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out;
  EXPECT_TRUE(absl::StrContains(loaded.out, "Loaded 40 customers")) << loaded.out;
  EXPECT_EQ(RegisteredCustomers(system), 40);

  // Every request id comes from the seed: loading it again repeats nothing.
  const CrmctlRun again = Crmctl(system, demo);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(RegisteredCustomers(system), 40);

  crm::testing::TempDir dir;
  const std::string html = dir.Sub("report.html");
  const CrmctlRun report = Crmctl(system, {"report", "--html=" + html});
  ASSERT_EQ(report.exit_code, 0) << report.out;
  crm::v1::GetTierDistributionRequest all;
  all.set_fiscal_year(static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year()));
  const crm::v1::TierDistribution tiers =
      Call(*system.tiering, &TieringStub::GetTierDistribution, all).second.distribution();
  EXPECT_EQ(tiers.tier_s() + tiers.tier_a() + tiers.tier_b() + tiers.tier_c(),
            40 - tiers.lost_customers());
  for (const auto& [letter, count] :
       std::vector<std::pair<const char*, int64_t>>{{"S", tiers.tier_s()},
                                                    {"A", tiers.tier_a()},
                                                    {"B", tiers.tier_b()},
                                                    {"C", tiers.tier_c()}}) {
    EXPECT_TRUE(absl::StrContains(report.out, absl::StrFormat("  %s %7d  ", letter, count)))
        << letter << " " << count << "\n"
        << report.out;
  }
  std::ifstream file(html);
  std::stringstream page;
  page << file.rdbuf();
  EXPECT_TRUE(absl::StartsWith(page.str(), "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::StrContains(page.str(), "<svg"));
}

TEST(Report, ExitsWithTheStatusOfAServiceThatIsAway) {
  System system;
  ASSERT_TRUE(system.Serving());
  system.process(3).Terminate();  // tiering
  const CrmctlRun run = Crmctl(system, {"report"});
  EXPECT_EQ(run.exit_code, 14);  // UNAVAILABLE
}

}  // namespace
}  // namespace crm::e2e
