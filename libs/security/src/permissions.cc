#include "crm/security/permissions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crm/security/principal.h"

namespace crm::security {
namespace {

using crm::v1::Role;
constexpr Role kAssistant = crm::v1::ROLE_ASSISTANT;
constexpr Role kManager = crm::v1::ROLE_ACCOUNT_MANAGER;
constexpr Role kExecutive = crm::v1::ROLE_EXECUTIVE;
constexpr Role kAdmin = crm::v1::ROLE_ADMIN;
constexpr Role kService = crm::v1::ROLE_SERVICE;

// The role sets the table is made of.
const std::vector<Role> kEveryPerson = {kAssistant, kManager, kExecutive, kAdmin};
const std::vector<Role> kEveryCaller = {kAssistant, kManager, kExecutive, kAdmin, kService};
const std::vector<Role> kAccountWork = {kManager, kExecutive, kAdmin};
const std::vector<Role> kProfileKeepers = {kManager, kExecutive};
const std::vector<Role> kAdminOnly = {kAdmin};

constexpr std::string_view kRead = "every person reads it; restricted fields are redacted by role";
constexpr std::string_view kResolve =
    "every person reads it; services resolve customers they have not seen yet";
constexpr std::string_view kArchiveWork = "account teams keep the archive; admins load it";
constexpr std::string_view kAssisted = "assistants record it on behalf of the account team";
constexpr std::string_view kProfile =
    "executives and the customer's own account team only (the handler checks the team)";
constexpr std::string_view kErase = "also admins, who carry out erasure requests";
constexpr std::string_view kHistory =
    "the history holds every past figure, profit included: not for assistants";
constexpr std::string_view kWork = "account work";
constexpr std::string_view kMoney =
    "holds profit or relationship spending, which assistants do not see";
constexpr std::string_view kConfigure = "configures the whole organisation's rules";

std::vector<Permission> Build() {
  const auto row = [](std::string_view service, std::string_view method,
                      const std::vector<Role>& roles, std::string_view why) {
    return Permission{absl::StrCat("/crm.v1.", std::string(service), "/", std::string(method)),
                      roles, why};
  };
  return {
      row("RegistryService", "RegisterCustomer", kAccountWork, kArchiveWork),
      row("RegistryService", "GetCustomer", kEveryCaller, kResolve),
      row("RegistryService", "ListCustomers", kEveryCaller, kResolve),
      row("RegistryService", "UpdateSummary", kAccountWork, kArchiveWork),
      row("RegistryService", "UpdateSection", kAccountWork, kArchiveWork),
      row("RegistryService", "ChangeLifecycle", kAccountWork, kArchiveWork),
      row("RegistryService", "AddKeyPerson", kAccountWork, kArchiveWork),
      row("RegistryService", "UpdateKeyPerson", kAccountWork, kArchiveWork),
      row("RegistryService", "AddCareerEntry", kAccountWork, kArchiveWork),
      row("RegistryService", "RemoveKeyPerson", kAccountWork, kArchiveWork),
      row("RegistryService", "RecordPersonalProfile", kProfileKeepers, kProfile),
      row("RegistryService", "GetPersonalProfile", kProfileKeepers, kProfile),
      row("RegistryService", "ErasePersonalProfile", kAccountWork, kErase),
      row("RegistryService", "AddKeyDate", kEveryPerson, kAssisted),
      row("RegistryService", "RemoveKeyDate", kEveryPerson, kAssisted),
      row("RegistryService", "ListUpcomingKeyDates", kEveryPerson, kRead),
      row("RegistryService", "GetOrgChart", kEveryPerson, kRead),
      row("RegistryService", "GetDecisionChain", kEveryPerson, kRead),
      row("RegistryService", "GetHistory", kAccountWork, kHistory),

      row("EngagementService", "LogTouchpoint", kEveryPerson, kAssisted),
      row("EngagementService", "CorrectTouchpoint", kEveryPerson, kAssisted),
      row("EngagementService", "CancelTouchpoint", kEveryPerson, kAssisted),
      row("EngagementService", "GetTouchpoint", kEveryPerson, kRead),
      row("EngagementService", "ListTouchpoints", kEveryPerson, kRead),
      row("EngagementService", "CreateRelationshipPlan", kAccountWork, kWork),
      row("EngagementService", "AddPlanAction", kAccountWork, kWork),
      row("EngagementService", "CompletePlanAction", kAccountWork, kWork),
      row("EngagementService", "GetRelationshipPlan", kAccountWork, kMoney),
      row("EngagementService", "ListRelationshipPlans", kAccountWork, kMoney),
      row("EngagementService", "ListOverdueActions", kEveryPerson, kRead),
      row("EngagementService", "RecordAssessment", kAccountWork, kWork),
      row("EngagementService", "ListAssessments", kEveryPerson, kRead),
      row("EngagementService", "GetRelationshipRollup", kEveryPerson, kRead),
      row("EngagementService", "GetCoverage", kEveryPerson, kRead),
      row("EngagementService", "GetCadenceRules", kEveryPerson, kRead),
      row("EngagementService", "SetCadenceRule", kAdminOnly, kConfigure),
      row("EngagementService", "ListOverdueContacts", kEveryPerson, kRead),
      row("EngagementService", "SetTouchpointQuota", kAdminOnly, kConfigure),
      row("EngagementService", "ListTouchpointQuotas", kEveryPerson, kRead),
      row("EngagementService", "GetQuotaReport", kAccountWork, kWork),

      row("SatisfactionService", "CreateSurvey", kAccountWork, kWork),
      row("SatisfactionService", "CloseSurvey", kAccountWork, kWork),
      row("SatisfactionService", "GetSurvey", kEveryPerson, kRead),
      row("SatisfactionService", "ListSurveys", kEveryPerson, kRead),
      row("SatisfactionService", "RecordResponse", kEveryPerson, kAssisted),
      row("SatisfactionService", "ListResponses", kEveryPerson, kRead),
      row("SatisfactionService", "GetNps", kEveryPerson, kRead),
      row("SatisfactionService", "GetNpsTrend", kEveryPerson, kRead),
      row("SatisfactionService", "RaiseIssue", kEveryPerson, kAssisted),
      row("SatisfactionService", "AcknowledgeIssue", kAccountWork, kWork),
      row("SatisfactionService", "ResolveIssue", kAccountWork, kWork),
      row("SatisfactionService", "ConfirmIssueClosed", kAccountWork, kWork),
      row("SatisfactionService", "ReopenIssue", kAccountWork, kWork),
      row("SatisfactionService", "GetIssue", kEveryPerson, kRead),
      row("SatisfactionService", "ListIssues", kEveryPerson, kRead),
      row("SatisfactionService", "ListOverdueIssues", kEveryPerson, kRead),
      row("SatisfactionService", "GetIssueTimes", kEveryPerson, kRead),
      row("SatisfactionService", "GetResponseCommitments", kEveryPerson, kRead),
      row("SatisfactionService", "SetResponseCommitment", kAdminOnly, kConfigure),
      row("SatisfactionService", "RecordChurnReason", kAccountWork, kWork),
      row("SatisfactionService", "ListChurnReasons", kAccountWork, kWork),
      row("SatisfactionService", "GetChurnReport", kAccountWork, kWork),

      row("TieringService", "PublishModel", kAdminOnly, kConfigure),
      row("TieringService", "SetCurrentModel", kAdminOnly, kConfigure),
      row("TieringService", "GetModel", kEveryPerson, kRead),
      row("TieringService", "ListModels", kEveryPerson, kRead),
      row("TieringService", "RecordInputs", kAccountWork, kMoney),
      row("TieringService", "GetInputs", kAccountWork, kMoney),
      row("TieringService", "PreviewEvaluation", kAccountWork, kMoney),
      row("TieringService", "RunEvaluation", kAdminOnly, kConfigure),
      row("TieringService", "GetCustomerTier", kEveryPerson, kRead),
      row("TieringService", "ListTierHistory", kEveryPerson, kRead),
      row("TieringService", "GetTierDistribution", kEveryPerson, kRead),
      row("TieringService", "ListAbnormalChurn", kAccountWork, kWork),
      row("TieringService", "PublishTierPolicies", kAdminOnly, kConfigure),
      row("TieringService", "GetTierPolicies", kEveryPerson, kRead),
      row("TieringService", "ListTierPolicies", kEveryPerson, kRead),
      row("TieringService", "GetCustomerHealth", kEveryPerson, kRead),

      Permission{"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", kEveryCaller,
                 "the schema, for grpcurl-style tools; no data"},
  };
}

}  // namespace

const std::vector<Permission>& PermissionTable() {
  static const std::vector<Permission> table = Build();
  return table;
}

bool IsOpenMethod(std::string_view method) {
  return method == "/grpc.health.v1.Health/Check" || method == "/grpc.health.v1.Health/Watch";
}

bool IsAllowed(std::string_view method, crm::v1::Role role) {
  for (const Permission& permission : PermissionTable()) {
    if (permission.method != method) continue;
    return std::find(permission.roles.begin(), permission.roles.end(), role) !=
           permission.roles.end();
  }
  return false;
}

std::string PermissionsMarkdown() {
  std::string out =
      "# Who may call what\n\n"
      "Generated from `libs/security/src/permissions.cc` (the one permission table); "
      "`security_test` fails when\nthis file and the table differ. Regenerate with\n"
      "`CRM_WRITE_PERMISSIONS=1 build/tests/libs/security/security_test`.\n\n"
      "A call without a valid bearer token is UNAUTHENTICATED; a role not listed for a "
      "method is\nPERMISSION_DENIED. Health checks need no token. Beyond this table, "
      "handlers scope every\ncustomer to the caller's regions and redact fields by role "
      "(see `docs/SECURITY.md`).\n\n"
      "| method | roles | why |\n|---|---|---|\n";
  for (const Permission& permission : PermissionTable()) {
    std::vector<std::string> roles;
    for (crm::v1::Role role : permission.roles) roles.push_back(RoleName(role));
    absl::StrAppend(&out, "| `", permission.method, "` | ", absl::StrJoin(roles, ", "), " | ",
                    std::string(permission.why), " |\n");
  }
  return out;
}

}  // namespace crm::security
