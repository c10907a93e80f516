// A service binary run as a process for tests: its gRPC and metrics ports chosen up front,
// its data directory and broker settings given, restartable on the same directory after a
// SIGTERM or a SIGKILL.
//
//   ServiceUnderTest tiering(CRM_TIERING_PATH, dir.Sub("tiering"),
//                            {{"CRM_KAFKA_BROKERS", brokers}, {"CRM_TOPIC_PREFIX", prefix}});
//   ASSERT_TRUE(tiering.Start().ok());
//   auto stub = crm::v1::TieringService::NewStub(tiering.Channel());
//   tiering.Kill();
#pragma once

#include <signal.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "support/free_port.h"
#include "support/subprocess.h"

namespace crm::testing {

class ServiceUnderTest {
 public:
  using Environment = std::vector<std::pair<std::string, std::string>>;

  ServiceUnderTest(std::string binary, std::string data_dir, Environment environment)
      : binary_(std::move(binary)),
        environment_(std::move(environment)),
        port_(FreePort()),
        metrics_port_(FreePort()) {
    // Authentication is off unless the test's own environment turns it on (a later entry
    // wins).
    environment_.insert(environment_.begin(), {"CRM_AUTH", "off"});
    environment_.emplace_back("CRM_LISTEN", address());
    environment_.emplace_back("CRM_METRICS_LISTEN", absl::StrCat("127.0.0.1:", metrics_port_));
    environment_.emplace_back("CRM_DATA_DIR", std::move(data_dir));
  }

  absl::Status Start() {
    auto child = Subprocess::Start({binary_}, environment_);
    if (!child.ok()) return child.status();
    child_ = *std::move(child);
    return absl::OkStatus();
  }
  // SIGKILL: a crash.
  void Kill() { Stop(SIGKILL); }
  // SIGTERM: a clean shutdown (the process drains its calls and its outbox).
  void Terminate() { Stop(SIGTERM); }
  // Stopped with `signal` and started again on the same data directory and ports.
  absl::Status Restart(int signal) {
    Stop(signal);
    return Start();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  int metrics_port() const { return metrics_port_; }
  // Reconnects within a second of a restart (gRPC's default backoff grows to minutes), as
  // the services' own channels to each other do (crm/runtime/peer_channel.h).
  std::shared_ptr<grpc::Channel> Channel() const {
    return Channel(grpc::InsecureChannelCredentials());
  }
  // The same over `credentials` (TLS towards a service that requires it).
  std::shared_ptr<grpc::Channel> Channel(
      std::shared_ptr<grpc::ChannelCredentials> credentials) const {
    grpc::ChannelArguments arguments;
    // The same backoff as crm/runtime/peer_channel.h, for the reasons given there.
    arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 1000);
    arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    return grpc::CreateCustomChannel(address(), std::move(credentials), arguments);
  }

 private:
  void Stop(int signal) {
    if (child_ == nullptr) return;
    child_->Signal(signal);
    child_->Wait();
    child_.reset();
  }

  std::string binary_;
  Environment environment_;
  int port_;
  int metrics_port_;
  std::unique_ptr<Subprocess> child_;
};

}  // namespace crm::testing
