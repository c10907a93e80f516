#include "registry_mergers.h"

#include "absl/strings/escaping.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/page_merge.h"
#include "crm/runtime/request_checks.h"
#include "crm/v1/registry.pb.h"

namespace crm::registry {

absl::StatusOr<std::string> MergeCustomerLists(std::string_view request,
                                               const std::vector<std::string>& replies) {
  crm::v1::ListCustomersRequest asked;
  if (!asked.ParseFromString(std::string(request))) {
    return absl::InvalidArgumentError("the request is not a ListCustomersRequest");
  }
  absl::StatusOr<size_t> page_size = runtime::PageSizeOf(asked.page());
  if (!page_size.ok()) return page_size.status();
  std::vector<runtime::PartitionPage<crm::v1::CustomerListItem>> pages;
  for (const std::string& reply : replies) {
    crm::v1::ListCustomersResponse page;
    if (!page.ParseFromString(reply)) return absl::InternalError("a partition's page is corrupt");
    runtime::PartitionPage<crm::v1::CustomerListItem>& merged_in = pages.emplace_back();
    for (crm::v1::CustomerListItem& item : *page.mutable_customers()) {
      std::string key = ListKeyOf(item);
      merged_in.items.emplace_back(std::move(key), std::move(item));
    }
    // The tasks' tokens are the row key they resume after (EventStore::VisitRows).
    if (!page.page().next_page_token().empty()) {
      std::string after;
      if (!absl::WebSafeBase64Unescape(page.page().next_page_token(), &after)) {
        return absl::InternalError("a partition's page token is not a row key");
      }
      merged_in.resume_after = std::move(after);
    }
  }
  runtime::MergedPage<crm::v1::CustomerListItem> merged =
      runtime::MergePages(std::move(pages), *page_size);
  crm::v1::ListCustomersResponse response;
  for (crm::v1::CustomerListItem& item : merged.items) *response.add_customers() = std::move(item);
  if (merged.resume_after.has_value()) {
    response.mutable_page()->set_next_page_token(absl::WebSafeBase64Escape(*merged.resume_after));
  }
  return response.SerializeAsString();
}

}  // namespace crm::registry
