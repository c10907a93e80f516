#include "support/reserved_port.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace crm::testing {
namespace {

// The pool's bounds: the ports below the ephemeral range, down to at most 10,000 of them.
struct Pool {
  int first;
  int last;
};

Pool PoolBelowEphemeralRange() {
  int low = 32768, high = 60999;  // Linux's defaults
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> low >> high;
  const int last = low - 1;
  const int first = std::max(1024, last - 9999);
  if (last - first < 100) {
    std::fprintf(stderr, "reserved ports: the ephemeral range starts at %d, too low\n", low);
    std::abort();
  }
  return {first, last};
}

std::string LockDirectory() {
  const char* tmp = std::getenv("TMPDIR");
  std::string directory = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
  directory += "/crm-test-ports";
  // Shared by every test process, whoever made it first; may exist already.
  mkdir(directory.c_str(), 01777);
  chmod(directory.c_str(), 01777);
  return directory;
}

// True when nothing listens on 127.0.0.1:port (a program outside the pool might).
bool Bindable(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int yes = 1;
  // As the services bind: connections in TIME_WAIT on the port do not stand in the way.
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return bound;
}

}  // namespace

ReservedPort::ReservedPort() {
  static const Pool pool = PoolBelowEphemeralRange();
  static const std::string directory = LockDirectory();
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(pool.first, pool.last);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = pick(random);
    const std::string path = directory + "/" + std::to_string(port) + ".lock";
    // Close-on-exec: a child started later must not hold the lock after this object lets go.
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || !Bindable(port)) {
      close(fd);
      continue;
    }
    number_ = port;
    lock_fd_ = fd;
    return;
  }
  std::fprintf(stderr, "reserved ports: no free port in %d-%d after 1000 tries\n", pool.first,
               pool.last);
  std::abort();
}

ReservedPort::~ReservedPort() {
  if (lock_fd_ >= 0) close(lock_fd_);
}

}  // namespace crm::testing
