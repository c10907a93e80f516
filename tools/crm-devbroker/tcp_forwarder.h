// Accepts TCP connections on a local port and pipes each one to a target port on
// 127.0.0.1. crm-devbroker uses it to offer a fixed bootstrap port: librdkafka's mock
// cluster listens on ports of its own choosing, and clients learn those from the metadata
// they fetch through the bootstrap address.
//
// Thread-safe to Stop() from any thread; one thread per connection (a development tool,
// not a proxy for load).
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace crm::devbroker {

class TcpForwarder {
 public:
  // Listens on 127.0.0.1:`listen_port` (0: any free port).
  static absl::StatusOr<std::unique_ptr<TcpForwarder>> Start(uint16_t listen_port,
                                                             uint16_t target_port);
  ~TcpForwarder();

  uint16_t port() const { return port_; }
  void Stop();

 private:
  TcpForwarder(int listen_fd, uint16_t port, uint16_t target_port)
      : listen_fd_(listen_fd), port_(port), target_port_(target_port) {}
  void AcceptLoop();
  void Pipe(int client_fd);

  int listen_fd_;
  uint16_t port_;
  uint16_t target_port_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
};

}  // namespace crm::devbroker
