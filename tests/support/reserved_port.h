// A loopback port held for one owner until it lets go, for a process that must be told its
// address up front and keep it across restarts (a service whose peers and stubs already
// point at it).
//
// Ports come from below the kernel's ephemeral range (net.ipv4.ip_local_port_range), which
// neither port-0 binds nor outgoing connections ever take, so nothing but another holder
// of the same pool competes for them; among holders, an exclusive lock on a file per port
// (${TMPDIR:-/tmp}/crm-test-ports/N.lock) hands each out once. The lock lives as long as
// the object, or the process, so a port stays reserved while its service restarts.
//
//   ReservedPort port;   // aborts the test binary when the pool is exhausted
//   env.emplace_back("CRM_LISTEN", absl::StrCat("127.0.0.1:", port.number()));
//
// Where a process can bind port 0 itself and say which port it got, prefer that (see
// crm/runtime/listening_file.h): this pool is for the addresses that must outlive one run.
#pragma once

namespace crm::testing {

class ReservedPort {
 public:
  ReservedPort();
  ~ReservedPort();
  ReservedPort(const ReservedPort&) = delete;
  ReservedPort& operator=(const ReservedPort&) = delete;

  int number() const { return number_; }

 private:
  int number_ = 0;
  int lock_fd_ = -1;
};

}  // namespace crm::testing
