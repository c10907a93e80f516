#include "crm/runtime/metrics_http.h"

#include <sys/socket.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "httplib.h"

namespace crm::runtime {

MetricsHttpServer::MetricsHttpServer(const metrics::Registry& registry) : registry_(registry) {}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

absl::Status MetricsHttpServer::Start(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address ", address, " is not host:port"));
  }
  const std::string host = address.substr(0, colon);
  server_ = std::make_unique<httplib::Server>();
  // cpp-httplib sets SO_REUSEPORT alone on Linux: a second process on the same address
  // would share its scrapes silently, and a client connection in TIME_WAIT on the port
  // would refuse the bind. SO_REUSEADDR alone refuses the first and allows the second.
  server_->set_socket_options([](int socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else if (server_->bind_to_port(host, port)) {
    port_ = port;
  } else {
    port_ = -1;
  }
  if (port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // Until its thread runs, stop() would find nothing to stop and the thread would then
  // listen for good: a process that fails to start right after this one would never exit.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!server_->is_running() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(1));
  return absl::OkStatus();
}

void MetricsHttpServer::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace crm::runtime
