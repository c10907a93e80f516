// crmctl and other programs run to their end against a System, as a user runs them.
#pragma once

#include <sys/wait.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "support/subprocess.h"
#include "system.h"

namespace crm::e2e {

struct CrmctlRun {
  int exit_code = -1;
  std::string out;
};

// Runs a program to its end, with its stdout.
inline CrmctlRun RunProgram(const std::vector<std::string>& argv,
                            const crm::testing::ServiceUnderTest::Environment& environment = {}) {
  auto child = crm::testing::Subprocess::Start(argv, environment);
  EXPECT_TRUE(child.ok()) << child.status();
  CrmctlRun run;
  if (!child.ok()) return run;
  while (auto line = (*child)->ReadLine(absl::Seconds(120))) run.out += *line + "\n";
  const int status = (*child)->Wait();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

inline std::string AddressOf(System& system, const std::string& service) {
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    if (service == System::kServices[i]) return system.process(i).address();
  }
  return "";
}

inline CrmctlRun Crmctl(System& system, const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {CRMCTL_PATH};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  crm::testing::ServiceUnderTest::Environment environment = {{"CRM_PRINCIPAL", "u-demo"},
                                                             {"CRM_ROLE", "admin"}};
  for (const char* service : System::kServices) {
    environment.emplace_back(absl::AsciiStrToUpper(absl::StrCat("CRM_", service, "_ADDR")),
                             AddressOf(system, service));
  }
  return RunProgram(argv, environment);
}

}  // namespace crm::e2e
