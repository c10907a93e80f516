#include "crm/base/key_encoding.h"

namespace crm {

void AppendUint64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::string EncodeUint64(uint64_t value) {
  std::string out;
  out.reserve(8);
  AppendUint64(out, value);
  return out;
}

std::optional<uint64_t> DecodeUint64(std::string_view bytes) {
  if (bytes.size() < 8) return std::nullopt;
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return value;
}

std::string JoinKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    key.append(part);
    key.push_back('\0');
  }
  return key;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string next(prefix);
  while (!next.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(next.back());
    if (last != 0xff) {
      ++last;
      return next;
    }
    next.pop_back();
  }
  return next;
}

}  // namespace crm
