#include "names.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace crm::eventstore::internal {
namespace {

constexpr size_t kMaxIdBytes = 512;

}  // namespace

absl::Status ValidateName(std::string_view what, std::string_view value, bool required) {
  if (value.empty()) {
    return required
               ? absl::InvalidArgumentError(absl::StrCat(std::string(what), " must not be empty"))
               : absl::OkStatus();
  }
  if (value.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), " is longer than ", kMaxIdBytes, " bytes"));
  }
  if (value.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), " must not contain a NUL byte"));
  }
  return absl::OkStatus();
}

}  // namespace crm::eventstore::internal
