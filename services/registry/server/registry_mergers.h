// How the registry's lists across customers are merged from every partition's page
// (crm/runtime/partition_router.h, crm/runtime/page_merge.h).
#pragma once

#include <map>
#include <string>

#include "crm/runtime/partition_router.h"

namespace crm::registry {

// ListCustomers: items in list-key order (region, normalised name, id), one page token
// for every partition.
absl::StatusOr<std::string> MergeCustomerLists(std::string_view request,
                                               const std::vector<std::string>& replies);

}  // namespace crm::registry
