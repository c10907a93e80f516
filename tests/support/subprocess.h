// A child process for tests that need a real process boundary: crash tests (SIGKILL), the
// dev broker, services under test. Its stdout is a pipe the test reads line by line; its
// stderr goes to the test's stderr.
//
//   auto child = Subprocess::Start({CRM_DEVBROKER_PATH, "--port=0"});
//   std::optional<std::string> line = child->ReadLine(absl::Seconds(10));
//   child->Signal(SIGKILL);
//
// Not thread-safe. The destructor kills (SIGKILL) and reaps a child still running.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace crm::testing {

class Subprocess {
 public:
  // Starts argv[0] with the given arguments and extra environment variables.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::pair<std::string, std::string>>& env = {});
  ~Subprocess();

  pid_t pid() const { return pid_; }
  // The next line of stdout without its newline; nullopt at end of file or after `timeout`.
  std::optional<std::string> ReadLine(absl::Duration timeout);
  void Signal(int signal);
  // Waits for the child to exit; returns its wait status (see waitpid).
  int Wait();
  // True while the child has not exited.
  bool Running();

 private:
  Subprocess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  bool reaped_ = false;
  int wait_status_ = 0;
  std::string buffer_;
};

}  // namespace crm::testing
