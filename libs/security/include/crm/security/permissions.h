// Which roles may call which RPC: the one permission table of the backend. A method that
// is not in it is refused to everybody, so a new RPC is closed until it is given a row.
// `PermissionsMarkdown()` renders the table for docs/PERMISSIONS.md (a test keeps the two
// equal).
//
// What the table does not decide, the handlers do with the caller's principal: region
// scoping (a caller acts only on customers of its regions), field redaction (profit figures
// for assistants, net profit and service cost for executives only) and the restricted
// personal profile (executives and the customer's own account team).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crm/v1/common.pb.h"

namespace crm::security {

struct Permission {
  // "/crm.v1.RegistryService/GetCustomer", as gRPC names the call.
  std::string method;
  std::vector<crm::v1::Role> roles;
  // Why these roles, for the documentation.
  std::string_view why;
};

const std::vector<Permission>& PermissionTable();

// Whether `role` may call `method` (a path as above). Methods anybody may call without a
// token (health checks) are not in the table: see IsOpenMethod.
bool IsAllowed(std::string_view method, crm::v1::Role role);

// Health checks, which Kubernetes and load balancers call without a token.
bool IsOpenMethod(std::string_view method);

std::string PermissionsMarkdown();

}  // namespace crm::security
