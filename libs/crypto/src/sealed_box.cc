#include "crm/crypto/sealed_box.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace crm::crypto {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// libsodium must be initialised once before use; it is idempotent and thread-safe.
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fprintf(stderr, "libsodium failed to initialise\n");
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace

std::string NewKey() {
  EnsureSodium();
  std::string key(kKeyBytes, '\0');
  crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.data()));
  return key;
}

Sealed Seal(std::string_view plaintext, std::string_view key, std::string_view context) {
  EnsureSodium();
  if (key.size() != kKeyBytes) {
    std::fprintf(stderr, "Seal called with a key of %zu bytes\n", key.size());
    std::abort();
  }
  Sealed sealed;
  sealed.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  randombytes_buf(sealed.nonce.data(), sealed.nonce.size());
  sealed.ciphertext.resize(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(sealed.ciphertext.data()), &written, Bytes(plaintext),
      plaintext.size(), Bytes(context), context.size(), nullptr, Bytes(sealed.nonce), Bytes(key));
  sealed.ciphertext.resize(written);
  return sealed;
}

absl::StatusOr<std::string> Open(const Sealed& sealed, std::string_view key,
                                 std::string_view context) {
  EnsureSodium();
  if (key.size() != kKeyBytes ||
      sealed.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      sealed.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return absl::DataLossError("sealed record is malformed");
  }
  std::string plaintext(sealed.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &written, nullptr,
          Bytes(sealed.ciphertext), sealed.ciphertext.size(), Bytes(context), context.size(),
          Bytes(sealed.nonce), Bytes(key)) != 0) {
    return absl::DataLossError("sealed record does not open with this key and context");
  }
  plaintext.resize(written);
  return plaintext;
}

}  // namespace crm::crypto
