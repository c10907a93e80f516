// A service binary run as a process for tests: its data directory and broker settings
// given, restartable on the same directory and gRPC address after a SIGTERM or a SIGKILL.
//
// The gRPC port is reserved for the object's life (support/reserved_port.h), because
// stubs and the other services of a system are told it once and must reach the service
// again after a restart. Every other port the process binds itself (port 0) and reports in
// its listening file (crm/runtime/listening_file.h), which metrics_port() reads, so no
// number is ever chosen that another process could take first.
//
//   ServiceUnderTest tiering(CRM_TIERING_PATH, dir.Sub("tiering"),
//                            {{"CRM_KAFKA_BROKERS", brokers}, {"CRM_TOPIC_PREFIX", prefix}});
//   ASSERT_TRUE(tiering.Start().ok());
//   auto stub = crm::v1::TieringService::NewStub(tiering.Channel());
//   tiering.Kill();
//
// Not thread-safe.
#pragma once

#include <signal.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "support/reserved_port.h"
#include "support/subprocess.h"

namespace crm::testing {

class ServiceUnderTest {
 public:
  using Environment = std::vector<std::pair<std::string, std::string>>;

  ServiceUnderTest(std::string binary, std::string data_dir, Environment environment);

  absl::Status Start();
  // SIGKILL: a crash.
  void Kill() { Stop(SIGKILL); }
  // SIGTERM: a clean shutdown (the process drains its calls and its outbox).
  void Terminate() { Stop(SIGTERM); }
  // Stopped with `signal` and started again on the same data directory and gRPC port.
  absl::Status Restart(int signal) {
    Stop(signal);
    return Start();
  }

  std::string address() const;
  // The metrics port of the running process, once it has bound every port (within 30 s);
  // 0 when it has not by then or is not running.
  int metrics_port() const;
  // Reconnects within a second of a restart (gRPC's default backoff grows to minutes), as
  // the services' own channels to each other do (crm/runtime/peer_channel.h).
  std::shared_ptr<grpc::Channel> Channel() const;
  // The same over `credentials` (TLS towards a service that requires it).
  std::shared_ptr<grpc::Channel> Channel(
      std::shared_ptr<grpc::ChannelCredentials> credentials) const;

 private:
  void Stop(int signal);

  std::string binary_;
  std::string data_dir_;
  Environment environment_;
  ReservedPort port_;
  std::unique_ptr<Subprocess> child_;
};

}  // namespace crm::testing
