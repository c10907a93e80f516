// `crmctl demo` and `crmctl report` as a user runs them, against the four services: the
// demo loads through the public APIs, loading the same seed again adds nothing, and the
// report agrees with the services' own answers. Then the reference consumers under
// examples/ (Python and Node.js, nothing but the .proto files and a Kafka client) build
// NPS per tier from the topics and must find what the services answer.
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "crmctl_runs.h"
#include "gtest/gtest.h"
#include "report.h"
#include "service_clients.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "system.h"

namespace crm::e2e {
namespace {

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

// NPS per tier as the reference consumers print it, from the services' own answers (the
// report's figures: each customer's answers under its current tier).
std::string ExpectedNpsPerTier(System& system) {
  const crm::crmctl::ServiceClients clients(
      [&](const std::string& service) { return AddressOf(system, service); },
      grpc::InsecureChannelCredentials(), "u-test", "admin");
  auto report = crm::crmctl::GatherReport(
      clients, static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year()));
  EXPECT_TRUE(report.ok()) << report.status();
  std::string lines;
  for (const crm::crmctl::TierNps& tier : report->nps) {
    absl::StrAppend(&lines, crm::crmctl::TierLetter(tier.tier),
                    " responses=", tier.summary.responses(),
                    " promoters=", tier.summary.promoters(), " passives=", tier.summary.passives(),
                    " detractors=", tier.summary.detractors(), "\n");
  }
  return lines;
}

// The consumer's lines without their NPS column (computed from the counts).
std::string WithoutNps(const std::string& out) {
  std::string lines;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    absl::StrAppend(&lines, line.substr(0, line.find(" nps=")), "\n");
  }
  return lines;
}

TEST(ReferenceConsumers, BuildTheNpsPerTierTheServicesAnswer) {
  System system;
  ASSERT_TRUE(system.Serving());
  const CrmctlRun demo = Crmctl(system, {"demo", "--seed=11", "--customers=60", "--parallel=4"});
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  const std::string expected = ExpectedNpsPerTier(system);
  const std::string examples = CRM_EXAMPLES_DIR;
  const std::vector<std::string> arguments = {"--brokers=" + system.brokers(),
                                              "--prefix=" + system.topic_prefix()};
  for (std::vector<std::string> command :
       {std::vector<std::string>{"/usr/bin/python3",
                                 examples + "/python-nps-per-tier/nps_per_tier.py"},
        std::vector<std::string>{"/usr/bin/env", "node",
                                 examples + "/node-nps-per-tier/nps_per_tier.js"}}) {
    SCOPED_TRACE(command[0]);
    command.insert(command.end(), arguments.begin(), arguments.end());
    // The last events may still be on their way from the outboxes: read again until they
    // have all arrived.
    CrmctlRun run;
    EXPECT_TRUE(crm::testing::WaitFor(
        [&] {
          run = RunProgram(command);
          return run.exit_code == 0 && WithoutNps(run.out) == expected;
        },
        absl::Seconds(60)))
        << "expected:\n"
        << expected << "got (exit " << run.exit_code << "):\n"
        << run.out;
  }
}

}  // namespace
}  // namespace crm::e2e
