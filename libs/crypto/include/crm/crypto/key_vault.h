// Keys of their own for data subjects (for example a key person), kept apart from the data
// they protect, so that destroying a subject's key erases every copy of that data at once:
// in events, on Kafka, in projections and in backups (crypto-shredding).
//
//   ASSIGN_OR_RETURN(auto vault, KeyVault::Open({.path = data_dir + "/keys"}));
//   ASSIGN_OR_RETURN(std::string key, vault->GetOrCreateKey("cus_1/kp_2"));
//   RETURN_IF_ERROR(vault->DestroyKey("cus_1/kp_2"));  // gone from every file of the vault
//
// The vault is a RocksDB database of its own, uncompressed and written with a synced WAL.
// DestroyKey does not stop at a tombstone: it flushes and compacts the key's range, so
// that no live file of the vault (WAL, SST) holds the key afterwards. Blocks the file
// system has freed are out of its reach; put the data directory on an encrypted volume to
// cover those too.
//
// Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace rocksdb {
class DB;
}

namespace crm::crypto {

struct KeyVaultOptions {
  // Directory of the vault's database; created when missing.
  std::string path;
  // Sync the WAL on every write (a key acknowledged must survive a crash).
  bool sync = true;
};

class KeyVault {
 public:
  static absl::StatusOr<std::unique_ptr<KeyVault>> Open(const KeyVaultOptions& options);
  ~KeyVault();
  KeyVault(const KeyVault&) = delete;
  KeyVault& operator=(const KeyVault&) = delete;

  // The subject's key, created (randomly, durably) when it has none.
  absl::StatusOr<std::string> GetOrCreateKey(std::string_view subject);
  // The subject's key; nullopt when it has none or it was destroyed.
  absl::StatusOr<std::optional<std::string>> GetKey(std::string_view subject) const;
  // Destroys the subject's key, purging it from the vault's files. Idempotent.
  absl::Status DestroyKey(std::string_view subject);

 private:
  KeyVault(KeyVaultOptions options, std::unique_ptr<rocksdb::DB> db);

  KeyVaultOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  // Serialises creation and destruction, so a key is created once and a purge sees it.
  absl::Mutex write_mutex_;
};

}  // namespace crm::crypto
