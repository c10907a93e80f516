#include "crm/registry/access_rules.h"

#include "absl/strings/str_cat.h"

namespace crm::registry {
namespace {

bool SeesProfit(crm::v1::Role role) {
  return role == crm::v1::ROLE_ACCOUNT_MANAGER || role == crm::v1::ROLE_EXECUTIVE ||
         role == crm::v1::ROLE_ADMIN || role == crm::v1::ROLE_SERVICE;
}

bool SeesNetProfitAndServiceCost(crm::v1::Role role) { return role == crm::v1::ROLE_EXECUTIVE; }

}  // namespace

std::vector<std::string> HiddenFinanceFields(crm::v1::Role role) {
  std::vector<std::string> hidden;
  if (!SeesProfit(role)) hidden.emplace_back("finances.profit");
  if (!SeesNetProfitAndServiceCost(role)) {
    hidden.emplace_back("finances.net_profit");
    hidden.emplace_back("finances.service_cost");
  }
  return hidden;
}

void RedactFinanceYear(crm::v1::Role role, crm::v1::FinanceYear& year) {
  if (!SeesProfit(role)) year.clear_profit();
  if (!SeesNetProfitAndServiceCost(role)) {
    year.clear_net_profit();
    year.clear_service_cost();
  }
}

std::vector<std::string> RedactFinances(
    crm::v1::Role role, google::protobuf::RepeatedPtrField<crm::v1::FinanceYear>& years) {
  for (crm::v1::FinanceYear& year : years) RedactFinanceYear(role, year);
  return HiddenFinanceFields(role);
}

absl::StatusOr<crm::v1::FinanceYear> FinanceUpdateBy(crm::v1::Role role,
                                                     const crm::v1::FinanceYear& requested,
                                                     const crm::v1::FinanceYear* stored) {
  if (SeesNetProfitAndServiceCost(role)) return requested;
  // A caller who cannot see these figures cannot set them, and its update, made without
  // them, must not wipe them either.
  if (requested.has_net_profit()) {
    return absl::PermissionDeniedError("finance.net_profit is for executives to set");
  }
  if (requested.has_service_cost()) {
    return absl::PermissionDeniedError("finance.service_cost is for executives to set");
  }
  crm::v1::FinanceYear year = requested;
  if (stored != nullptr) {
    if (stored->has_net_profit()) *year.mutable_net_profit() = stored->net_profit();
    if (stored->has_service_cost()) *year.mutable_service_cost() = stored->service_cost();
  }
  return year;
}

bool IsOnAccountTeam(const crm::v1::CustomerArchive& archive, std::string_view subject) {
  if (subject.empty()) return false;
  if (archive.summary().owner_id() == subject) return true;
  for (const crm::v1::KeyPerson& person : archive.key_persons()) {
    if (person.relationship_owner_id() == subject) return true;
  }
  return false;
}

absl::Status CheckMayHandlePersonalProfile(const crm::v1::CustomerArchive& archive,
                                           crm::v1::Role role, std::string_view subject) {
  if (role == crm::v1::ROLE_EXECUTIVE) return absl::OkStatus();
  if (role == crm::v1::ROLE_ACCOUNT_MANAGER && IsOnAccountTeam(archive, subject)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "restricted personal profiles of customer ", archive.customer_id(),
      " are for executives and its account team (its owner and the key persons' relationship "
      "owners); ",
      subject.empty() ? std::string("the caller") : std::string(subject), " is neither"));
}

absl::Status CheckMayErasePersonalProfile(const crm::v1::CustomerArchive& archive,
                                          crm::v1::Role role, std::string_view subject) {
  if (role == crm::v1::ROLE_ADMIN) return absl::OkStatus();
  return CheckMayHandlePersonalProfile(archive, role, subject);
}

}  // namespace crm::registry
