// Who a verified bearer token says the caller is: the subject, the role it acts in and the
// regions it may act in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "crm/v1/common.pb.h"

namespace crm::security {

// The `regions` claim's value that grants every region (executives, admins, services).
inline constexpr std::string_view kAllRegions = "*";

struct Principal {
  std::string subject;
  crm::v1::Role role = crm::v1::ROLE_UNSPECIFIED;
  // The regions the caller may read and change customers of; "*" stands for all.
  std::vector<std::string> regions;

  bool MayActIn(std::string_view region) const;
  bool HasAllRegions() const;
};

// PERMISSION_DENIED naming the region unless `caller` may act in `region`: the one wording
// of a region refusal, wherever it is checked.
absl::Status RequireRegion(const Principal& caller, std::string_view region);

// PERMISSION_DENIED unless `caller` may act in every region: `what` (figures that add up
// every region's customers) would tell a caller limited to some of the others'.
absl::Status RequireEveryRegion(const Principal& caller, std::string_view what);

// The service itself acting on its own behalf (a state publisher, a projection): the
// service role in every region.
Principal ServiceItself(std::string_view service);

// The role named by `name` ("account_manager", case-insensitive); ROLE_UNSPECIFIED for a
// name that is no role.
crm::v1::Role RoleFromName(std::string_view name);
// "account_manager" for ROLE_ACCOUNT_MANAGER.
std::string RoleName(crm::v1::Role role);

}  // namespace crm::security
