#include "tcp_forwarder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "absl/strings/str_cat.h"

namespace crm::devbroker {
namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Copies what is readable on `from` to `to`; false when either side is closed.
bool Relay(int from, int to) {
  char buffer[16384];
  ssize_t n = read(from, buffer, sizeof(buffer));
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    ssize_t w = write(to, buffer + sent, static_cast<size_t>(n - sent));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    sent += w;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TcpForwarder>> TcpForwarder::Start(uint16_t listen_port,
                                                                  uint16_t target_port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address = Loopback(listen_port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, 64) != 0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on 127.0.0.1:", listen_port));
  }
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  std::unique_ptr<TcpForwarder> forwarder(
      new TcpForwarder(fd, ntohs(address.sin_port), target_port));
  forwarder->acceptor_ = std::thread([f = forwarder.get()] { f->AcceptLoop(); });
  return forwarder;
}

TcpForwarder::~TcpForwarder() { Stop(); }

void TcpForwarder::Stop() {
  if (stopping_.exchange(true)) return;
  shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  close(listen_fd_);
}

void TcpForwarder::AcceptLoop() {
  while (!stopping_) {
    int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR) continue;
      return;  // the listening socket was shut down
    }
    // Connections live as long as their peers; the process exits without joining them.
    std::thread([this, client] { Pipe(client); }).detach();
  }
}

void TcpForwarder::Pipe(int client_fd) {
  int target = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = Loopback(target_port_);
  if (target < 0 || connect(target, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    if (target >= 0) close(target);
    close(client_fd);
    return;
  }
  pollfd fds[2] = {{client_fd, POLLIN, 0}, {target, POLLIN, 0}};
  while (!stopping_) {
    int ready = poll(fds, 2, 500);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !Relay(client_fd, target)) break;
    if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !Relay(target, client_fd)) break;
  }
  close(target);
  close(client_fd);
}

}  // namespace crm::devbroker
