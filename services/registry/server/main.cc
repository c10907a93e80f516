// crm-registry: the customer archive service. Settings: see --help (and docs/ARCHITECTURE.md).
#include <cstdio>

#include "crm/crypto/key_vault.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/service_process.h"
#include "registry_replayer.h"
#include "registry_service.h"

int main(int argc, char** argv) {
  crm::runtime::ServiceProcess::BlockShutdownSignals();
  const crm::runtime::ServiceSettings settings =
      crm::runtime::LoadSettingsOrExit("registry", argc, argv);
  crm::runtime::ServiceProcess process(settings);
  if (absl::Status opened = process.OpenStore(); !opened.ok()) {
    std::fprintf(stderr, "crm-registry: %s\n", opened.ToString().c_str());
    return 1;
  }
  auto vault = crm::crypto::KeyVault::Open(
      {.path = settings.data_dir + "/keys", .sync = settings.sync_writes});
  if (!vault.ok()) {
    std::fprintf(stderr, "crm-registry: %s\n", vault.status().ToString().c_str());
    return 1;
  }
  crm::registry::RegistryService service(
      process.store(), **vault,
      {.topic = crm::kafka::EventTopic(settings.topic_prefix, "registry")});
  process.AddService(&service);
  crm::registry::RegistryReplayer replayer(**vault);
  process.SetReplayer(&replayer);
  process.AddStateTopic("crm.v1.CustomerArchive", [&service](std::string_view customer_id) {
    return service.PublishedState(customer_id);
  });
  if (absl::Status started = process.Start(); !started.ok()) {
    std::fprintf(stderr, "crm-registry: %s\n", started.ToString().c_str());
    return 1;
  }
  return process.Run();
}
