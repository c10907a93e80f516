#include "crm/security/permissions.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "crm/v1/engagement.grpc.pb.h"
#include "crm/v1/registry.grpc.pb.h"
#include "crm/v1/satisfaction.grpc.pb.h"
#include "crm/v1/tiering.grpc.pb.h"
#include "gtest/gtest.h"

namespace crm::security {
namespace {

// Every RPC of the four services, as gRPC names it.
std::set<std::string> EveryMethod() {
  std::set<std::string> methods;
  for (const google::protobuf::FileDescriptor* file :
       {crm::v1::RegisterCustomerRequest::descriptor()->file(),
        crm::v1::LogTouchpointRequest::descriptor()->file(),
        crm::v1::RecordResponseRequest::descriptor()->file(),
        crm::v1::RecordInputsRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.insert("/" + service->full_name() + "/" + service->method(m)->name());
      }
    }
  }
  return methods;
}

TEST(Permissions, EveryRpcHasExactlyOneRowAndEveryRowAnRpc) {
  const std::set<std::string> methods = EveryMethod();
  ASSERT_EQ(methods.size(), 78u);
  std::set<std::string> rows;
  for (const Permission& permission : PermissionTable()) {
    EXPECT_TRUE(rows.insert(permission.method).second) << "twice: " << permission.method;
    EXPECT_FALSE(permission.roles.empty()) << permission.method;
    if (!permission.method.starts_with("/grpc.")) {
      EXPECT_TRUE(methods.contains(permission.method)) << "no such RPC: " << permission.method;
    }
  }
  for (const std::string& method : methods) {
    EXPECT_TRUE(rows.contains(method)) << "no row for " << method;
  }
}

TEST(Permissions, ConfigurationIsForAdminsAndTheServiceRoleOnlyResolvesCustomers) {
  for (const char* method :
       {"/crm.v1.TieringService/PublishModel", "/crm.v1.TieringService/RunEvaluation",
        "/crm.v1.EngagementService/SetCadenceRule",
        "/crm.v1.SatisfactionService/SetResponseCommitment"}) {
    EXPECT_TRUE(IsAllowed(method, crm::v1::ROLE_ADMIN)) << method;
    EXPECT_FALSE(IsAllowed(method, crm::v1::ROLE_EXECUTIVE)) << method;
    EXPECT_FALSE(IsAllowed(method, crm::v1::ROLE_ACCOUNT_MANAGER)) << method;
  }
  for (const Permission& permission : PermissionTable()) {
    const bool for_services = std::find(permission.roles.begin(), permission.roles.end(),
                                        crm::v1::ROLE_SERVICE) != permission.roles.end();
    const bool resolves = permission.method == "/crm.v1.RegistryService/GetCustomer" ||
                          permission.method == "/crm.v1.RegistryService/ListCustomers" ||
                          permission.method.starts_with("/grpc.reflection");
    EXPECT_EQ(for_services, resolves) << permission.method;
  }
}

TEST(Permissions, AssistantsNeitherReadProfilesNorProfitNorHistory) {
  for (const char* method :
       {"/crm.v1.RegistryService/GetPersonalProfile", "/crm.v1.RegistryService/GetHistory",
        "/crm.v1.TieringService/GetInputs", "/crm.v1.TieringService/PreviewEvaluation"}) {
    EXPECT_FALSE(IsAllowed(method, crm::v1::ROLE_ASSISTANT)) << method;
  }
  EXPECT_FALSE(IsAllowed("/crm.v1.RegistryService/GetPersonalProfile", crm::v1::ROLE_ADMIN));
}

TEST(Permissions, AnUnknownMethodOrRoleIsRefusedAndHealthIsOpen) {
  EXPECT_FALSE(IsAllowed("/crm.v1.RegistryService/DropEverything", crm::v1::ROLE_ADMIN));
  EXPECT_FALSE(IsAllowed("/crm.v1.RegistryService/GetCustomer", crm::v1::ROLE_UNSPECIFIED));
  EXPECT_TRUE(IsOpenMethod("/grpc.health.v1.Health/Check"));
  EXPECT_FALSE(IsOpenMethod("/crm.v1.RegistryService/GetCustomer"));
}

TEST(Permissions, DocsPermissionsMdIsTheTable) {
  const std::string path = std::string(CRM_SOURCE_DIR) + "/docs/PERMISSIONS.md";
  if (std::getenv("CRM_WRITE_PERMISSIONS") != nullptr) {
    std::ofstream(path) << PermissionsMarkdown();
  }
  std::ifstream in(path);
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_EQ(committed.str(), PermissionsMarkdown())
      << "docs/PERMISSIONS.md differs from the table; regenerate it with "
         "CRM_WRITE_PERMISSIONS=1 build/tests/libs/security/security_test";
}

}  // namespace
}  // namespace crm::security
