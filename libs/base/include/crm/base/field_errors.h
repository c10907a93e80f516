// Helpers every service's validation shares: a field's INVALID_ARGUMENT and text length in
// characters (UTF-8), since limits are stated in characters, not bytes.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace crm {

inline absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), " ", std::string(problem)));
}

// Code points in UTF-8 text (continuation bytes are not counted).
inline size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xc0) != 0x80;
  return count;
}

}  // namespace crm
