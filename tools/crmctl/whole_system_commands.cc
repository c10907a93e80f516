#include "whole_system_commands.h"

#include <cstdio>
#include <fstream>

#include "absl/time/clock.h"
#include "demo_loader.h"
#include "report.h"

namespace crm::crmctl {
namespace {

int FiscalYear(const WholeSystemOptions& options) {
  if (options.fiscal_year != 0) return options.fiscal_year;
  return static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year());
}

int Failed(const absl::Status& status) {
  std::fprintf(stderr, "crmctl: %s\n", status.ToString().c_str());
  return static_cast<int>(status.code());
}

}  // namespace

int RunDemo(const WholeSystemOptions& options) {
  const DemoOrganisation organisation =
      GenerateDemoOrganisation(options.seed, options.customers, FiscalYear(options));
  std::fprintf(stderr, "Loading the demo organisation of seed %llu: %zu customers in %zu regions\n",
               static_cast<unsigned long long>(options.seed), organisation.customers.size(),
               organisation.regions.size());
  const ServiceClients clients(options.address_of, options.credentials, options.principal,
                               options.role);
  auto loaded = LoadDemoOrganisation(organisation, clients, options.parallel_calls);
  if (!loaded.ok()) return Failed(loaded.status());
  std::printf(
      "Loaded %lld customers, %lld key persons, %lld touchpoints, %lld assessments, "
      "%lld survey answers and %lld issues.\n"
      "Evaluation %s: S %lld, A %lld, B %lld, C %lld.\n"
      "Evaluation %s: %lld tiers changed, %lld customers lost.\n"
      "Next: crmctl report --html=report.html\n",
      static_cast<long long>(loaded->customers), static_cast<long long>(loaded->persons),
      static_cast<long long>(loaded->touchpoints), static_cast<long long>(loaded->assessments),
      static_cast<long long>(loaded->answers), static_cast<long long>(loaded->issues),
      loaded->first_run.run_id().c_str(), static_cast<long long>(loaded->first_run.tier_s()),
      static_cast<long long>(loaded->first_run.tier_a()),
      static_cast<long long>(loaded->first_run.tier_b()),
      static_cast<long long>(loaded->first_run.tier_c()), loaded->second_run.run_id().c_str(),
      static_cast<long long>(loaded->second_run.changed()),
      static_cast<long long>(loaded->second_run.lost()));
  return 0;
}

int RunReport(const WholeSystemOptions& options) {
  const ServiceClients clients(options.address_of, options.credentials, options.principal,
                               options.role);
  auto report = GatherReport(clients, FiscalYear(options));
  if (!report.ok()) return Failed(report.status());
  std::fputs(ReportText(*report).c_str(), stdout);
  if (options.html_path.empty()) return 0;
  std::ofstream file(options.html_path, std::ios::binary | std::ios::trunc);
  file << ReportHtml(*report);
  file.close();
  if (!file) {
    std::fprintf(stderr, "crmctl: cannot write %s\n", options.html_path.c_str());
    return 73;  // sysexits' EX_CANTCREAT
  }
  std::printf("\nWrote %s\n", options.html_path.c_str());
  return 0;
}

}  // namespace crm::crmctl
