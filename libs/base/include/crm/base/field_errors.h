// Helpers every service's validation shares: a field's INVALID_ARGUMENT, text length in
// characters (UTF-8), since limits are stated in characters, not bytes, and the shape of
// ids and role words.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
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

// Whether `text` has the shape of our ids and role words: 1 to 64 letters, digits, '_'
// and '-'.
inline bool IsIdLike(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '-';
  });
}

}  // namespace crm
