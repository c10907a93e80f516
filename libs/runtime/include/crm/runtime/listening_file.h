// Where a service process listens, written as a file under its data directory once every
// listener is bound: the way for a supervisor (a test harness, a local launcher) to start a
// service on port 0 and learn the port the kernel gave it, instead of choosing a number
// that may be taken before the service binds it.
//
//   <data_dir>/listening, written whole (a temporary file renamed) and removed when the
//   process shuts down in order; after a crash it stays, naming the dead process's pid:
//     pid=4242
//     grpc=127.0.0.1:41234
//     metrics=127.0.0.1:41235
//     health=            (empty without --health_listen)
//
//   auto addresses = ReadListeningFile(ListeningFilePath(data_dir));
//   if (addresses.ok() && addresses->pid == child_pid) Connect(addresses->grpc);
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace crm::runtime {

struct ListeningAddresses {
  int pid = 0;
  std::string grpc;
  std::string metrics;
  std::string health;  // empty when the process has no health port
};

std::string ListeningFilePath(const std::string& data_dir);

// `listen` ("host:port", the port possibly 0) with `port`, the port actually bound.
std::string BoundAddress(const std::string& listen, int port);

// Replaces the file at `path` in one rename, so that a reader never sees half of it.
absl::Status WriteListeningFile(const std::string& path, const ListeningAddresses& addresses);

// NOT_FOUND while there is no file; INVALID_ARGUMENT for a file not written as above.
absl::StatusOr<ListeningAddresses> ReadListeningFile(const std::string& path);

}  // namespace crm::runtime
