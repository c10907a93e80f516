#include "support/service_under_test.h"

#include <signal.h>

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "crm/runtime/listening_file.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "support/wait.h"

namespace crm::testing {

ServiceUnderTest::ServiceUnderTest(std::string binary, std::string data_dir,
                                   Environment environment)
    : binary_(std::move(binary)),
      data_dir_(std::move(data_dir)),
      environment_(std::move(environment)) {
  // Authentication is off unless the test's own environment turns it on (a later entry
  // wins).
  environment_.insert(environment_.begin(), {"CRM_AUTH", "off"});
  environment_.emplace_back("CRM_LISTEN", address());
  environment_.emplace_back("CRM_METRICS_LISTEN", "127.0.0.1:0");
  environment_.emplace_back("CRM_DATA_DIR", data_dir_);
}

absl::Status ServiceUnderTest::Start() {
  // A file left by a killed predecessor names its pid, not the new one; gone is clearer.
  std::remove(runtime::ListeningFilePath(data_dir_).c_str());
  auto child = Subprocess::Start({binary_}, environment_);
  if (!child.ok()) return child.status();
  child_ = *std::move(child);
  return absl::OkStatus();
}

std::string ServiceUnderTest::address() const { return absl::StrCat("127.0.0.1:", port_.number()); }

int ServiceUnderTest::metrics_port() const {
  if (child_ == nullptr) return 0;
  const int pid = child_->pid();
  int port = 0;
  WaitFor([&] {
    auto listening = runtime::ReadListeningFile(runtime::ListeningFilePath(data_dir_));
    if (!listening.ok() || listening->pid != pid) return false;
    const std::string& metrics = listening->metrics;
    return absl::SimpleAtoi(metrics.substr(metrics.rfind(':') + 1), &port);
  });
  return port;
}

std::shared_ptr<grpc::Channel> ServiceUnderTest::Channel() const {
  return Channel(grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> ServiceUnderTest::Channel(
    std::shared_ptr<grpc::ChannelCredentials> credentials) const {
  grpc::ChannelArguments arguments;
  // The same backoff as crm/runtime/peer_channel.h, for the reasons given there.
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 1000);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(address(), std::move(credentials), arguments);
}

void ServiceUnderTest::Stop(int signal) {
  if (child_ == nullptr) return;
  child_->Signal(signal);
  child_->Wait();
  child_.reset();
}

}  // namespace crm::testing
