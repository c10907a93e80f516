#include "support/dev_broker.h"

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace crm::testing {

DevBroker* DevBroker::Shared() {
  static DevBroker* broker = [] {
    auto* b = new DevBroker();
    auto process = Subprocess::Start({CRM_DEVBROKER_PATH, "--partitions=4"});
    if (!process.ok()) {
      std::fprintf(stderr, "cannot start crm-devbroker: %s\n", process.status().ToString().c_str());
      std::abort();
    }
    b->process_ = *std::move(process);
    std::optional<std::string> line = b->process_->ReadLine(absl::Seconds(30));
    if (!line.has_value()) {
      std::fprintf(stderr, "crm-devbroker printed no bootstrap address\n");
      std::abort();
    }
    b->bootstrap_ = *line;
    return b;
  }();
  return broker;
}

void DevBroker::Down() { process_->Signal(SIGUSR1); }
void DevBroker::Up() { process_->Signal(SIGUSR2); }

std::string UniqueTopic(const std::string& base) {
  static std::atomic<int> counter{0};
  return absl::StrCat(base, ".", getpid(), ".", counter.fetch_add(1));
}

}  // namespace crm::testing
