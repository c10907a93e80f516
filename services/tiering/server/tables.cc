#include "tables.h"

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"

namespace crm::tiering {

std::string InputsKey(int fiscal_year, std::string_view customer_id) {
  return JoinKey({absl::StrCat(fiscal_year), customer_id});
}

std::string CustomerStream(std::string_view customer_id) {
  return absl::StrCat("customer-", std::string(customer_id));
}

}  // namespace crm::tiering
