// Serves a metrics Registry as Prometheus text on http://<address>/metrics.
//
//   MetricsHttpServer server(registry);
//   RETURN_IF_ERROR(server.Start("127.0.0.1:51051"));
//   int port = server.port();  // the bound port (useful with port 0)
//   server.Stop();
//
// Start and Stop from one thread; scrapes are served on the server's own threads.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "crm/metrics/registry.h"

namespace httplib {
class Server;
}

namespace crm::runtime {

class MetricsHttpServer {
 public:
  explicit MetricsHttpServer(const metrics::Registry& registry);
  ~MetricsHttpServer();

  // Binds host:port (port 0: any free port) and starts serving. UNAVAILABLE when the
  // address cannot be bound.
  absl::Status Start(const std::string& address);
  int port() const { return port_; }
  void Stop();

 private:
  const metrics::Registry& registry_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace crm::runtime
