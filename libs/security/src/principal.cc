#include "crm/security/principal.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace crm::security {

bool Principal::HasAllRegions() const {
  return std::find(regions.begin(), regions.end(), kAllRegions) != regions.end();
}

bool Principal::MayActIn(std::string_view region) const {
  return HasAllRegions() || std::find(regions.begin(), regions.end(), region) != regions.end();
}

absl::Status RequireRegion(const Principal& caller, std::string_view region) {
  if (caller.MayActIn(region)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("the caller may not act in region ",
                                                  std::string(region), " (its token's regions)"));
}

absl::Status RequireEveryRegion(const Principal& caller, std::string_view what) {
  if (caller.HasAllRegions()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      std::string(what), " spans every region: a caller limited to some regions asks per region"));
}

Principal ServiceItself(std::string_view service) {
  return Principal{.subject = std::string(service),
                   .role = crm::v1::ROLE_SERVICE,
                   .regions = {std::string(kAllRegions)}};
}

crm::v1::Role RoleFromName(std::string_view name) {
  const std::string upper = absl::AsciiStrToUpper(absl::string_view(name.data(), name.size()));
  crm::v1::Role role = crm::v1::ROLE_UNSPECIFIED;
  if (upper.empty() || !crm::v1::Role_Parse(absl::StrCat("ROLE_", upper), &role)) {
    return crm::v1::ROLE_UNSPECIFIED;
  }
  return role;
}

std::string RoleName(crm::v1::Role role) {
  return absl::AsciiStrToLower(absl::StripPrefix(crm::v1::Role_Name(role), "ROLE_"));
}

}  // namespace crm::security
