// The registry's events replayed by a rebuild from its topic (crm/runtime/rebuild.h): each
// command's events folded into the customer's archive with Evolve (the archive decoded and
// encoded once for a run of commands), the read-model and profile rows the command path
// writes for them, and its reply. An erased profile's key is
// destroyed again, so that a vault restored from a backup older than the erasure does not
// bring the profile back.
//
//   RegistryReplayer replayer(vault);
//   process.SetReplayer(&replayer);
#pragma once

#include "crm/crypto/key_vault.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/rebuild.h"

namespace crm::registry {

class RegistryReplayer final : public runtime::EventReplayer {
 public:
  explicit RegistryReplayer(crypto::KeyVault& vault) : vault_(vault) {}

  absl::StatusOr<runtime::Replayed> Replay(
      const eventstore::StreamHead& head,
      std::span<const runtime::RecordedEvents> commands) override;

  std::vector<std::string_view> Tables() const override {
    return {kReadModelTables.begin(), kReadModelTables.end()};
  }

 private:
  crypto::KeyVault& vault_;
};

}  // namespace crm::registry
