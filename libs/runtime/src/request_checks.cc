#include "crm/runtime/request_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "crm/base/field_errors.h"
#include "crm/base/ids.h"

namespace crm::runtime {

absl::Status CheckRequestId(std::string_view request_id) {
  if (request_id.empty()) {
    return absl::InvalidArgumentError(
        "request_id is required: a client-chosen id that makes retries safe");
  }
  if (request_id.size() > 128) {
    return absl::InvalidArgumentError("request_id is longer than 128 bytes");
  }
  if (std::any_of(request_id.begin(), request_id.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return absl::InvalidArgumentError("request_id must not hold control characters");
  }
  return absl::OkStatus();
}

absl::Status CheckId(std::string_view field, std::string_view id) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), " is required"));
  if (!IsIdLike(id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field), " is not an id (letters, digits, '_' and '-', at most 64)"));
  }
  return absl::OkStatus();
}

std::string NewId(std::string_view prefix) {
  std::string hex = absl::StrReplaceAll(NewUuid(), {{"-", ""}});
  return absl::StrCat(std::string(prefix), "_", hex.substr(0, 20));
}

absl::StatusOr<size_t> PageSizeOf(const crm::v1::PageRequest& page) {
  if (page.page_size() < 0 || page.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page.page_size must be from 0 (the default, ",
                                                   kDefaultPageSize, ") to ", kMaxPageSize));
  }
  return page.page_size() == 0 ? kDefaultPageSize : page.page_size();
}

absl::Status BadPageToken() {
  return absl::InvalidArgumentError("page.page_token is not a token of this query");
}

}  // namespace crm::runtime
