#include "handler_support.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"

namespace crm::registry {

std::string StreamOf(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

std::string ProfileSubject(std::string_view customer_id, std::string_view person_id) {
  return absl::StrCat(std::string(customer_id), "/", std::string(person_id));
}

absl::Status DestroyErasedKeys(crypto::KeyVault& vault, const CustomerEvents& events) {
  for (const CustomerEvent& event : events) {
    if (const auto* erased = std::get_if<crm::v1::PersonalProfileErased>(&event)) {
      RETURN_IF_ERROR(vault.DestroyKey(ProfileSubject(erased->customer_id(), erased->person_id())));
    }
  }
  return absl::OkStatus();
}

}  // namespace crm::registry
