// Authenticated encryption of small records under a 256-bit key: XChaCha20-Poly1305
// (libsodium's IETF AEAD construction) with a random 192-bit nonce per record, so a key
// can seal any number of records without nonce bookkeeping. `context` is authenticated
// but not encrypted: it binds a record to where it belongs (for example its owner's id),
// so that a ciphertext moved elsewhere does not open.
//
//   Sealed sealed = Seal(profile.SerializeAsString(), key, "cus_1/kp_2");
//   ASSIGN_OR_RETURN(std::string plain, Open(sealed, key, "cus_1/kp_2"));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace crm::crypto {

inline constexpr size_t kKeyBytes = 32;

struct Sealed {
  std::string ciphertext;
  std::string nonce;
};

// A new random key of kKeyBytes.
std::string NewKey();

// `key` must hold kKeyBytes.
Sealed Seal(std::string_view plaintext, std::string_view key, std::string_view context);

// The plaintext; DATA_LOSS when the ciphertext, nonce or context does not match the key
// (a wrong key, a tampered record, or a record of another context).
absl::StatusOr<std::string> Open(const Sealed& sealed, std::string_view key,
                                 std::string_view context);

}  // namespace crm::crypto
