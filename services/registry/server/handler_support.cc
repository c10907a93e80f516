#include "handler_support.h"

#include "absl/strings/str_cat.h"

namespace crm::registry {

std::string StreamOf(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

std::string ProfileSubject(std::string_view customer_id, std::string_view person_id) {
  return absl::StrCat(std::string(customer_id), "/", std::string(person_id));
}

}  // namespace crm::registry
