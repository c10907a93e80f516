// The echo service as a process on the runtime, for the shutdown test. Prints
// "listening <grpc port> <metrics port>" once it listens and "delayed" when a request with
// a delay arrives. Usage: runtime_echo_service [settings…] (see --help).
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "crm/kafka/cloud_events.h"
#include "crm/runtime/service_process.h"
#include "echo_service.h"

namespace {

void Say(const std::string& line) {
  const std::string text = line + "\n";
  if (write(STDOUT_FILENO, text.data(), text.size()) < 0) _exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  crm::runtime::ServiceProcess::BlockShutdownSignals();
  crm::runtime::ServiceSettings settings = crm::runtime::LoadSettingsOrExit("echo", argc, argv);
  crm::runtime::ServiceProcess process(settings);
  if (!process.OpenStore().ok()) return 1;
  crm::testing::EchoServiceImpl service(&process.store(),
                                        crm::kafka::EventTopic(settings.topic_prefix, "echo"),
                                        [] { Say("delayed"); });
  process.AddService(&service);
  if (absl::Status started = process.Start(); !started.ok()) {
    std::fprintf(stderr, "start failed: %s\n", started.ToString().c_str());
    return 1;
  }
  Say(absl::StrCat("listening ", process.grpc_port(), " ", process.metrics_port()));
  return process.Run();
}
