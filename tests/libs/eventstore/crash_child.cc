// Child process of the crash test: appends batches of three events from several threads,
// with the WAL synced, and prints one line per acknowledged append:
//   ack <stream> <last version> <last position>
// until it is killed. Usage: eventstore_crash_child <db path> <threads>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/eventstore/event_store.h"
#include "crm/testing/v1/testing.pb.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <db path> <threads>\n", argv[0]);
    return 2;
  }
  auto store = crm::eventstore::EventStore::Open({.path = argv[1], .sync = true});
  if (!store.ok()) {
    std::fprintf(stderr, "open failed: %s\n", store.status().ToString().c_str());
    return 1;
  }
  const int threads = std::stoi(argv[2]);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (uint64_t n = 0;; ++n) {
        const std::string stream = absl::StrCat("t", t, "-", n % 4);
        crm::eventstore::CommandContext context;
        context.request_id = absl::StrCat(getpid(), "-", t, "-", n);
        auto result = (*store)->Execute(
            stream, context,
            [&](const crm::eventstore::StreamHead&)
                -> absl::StatusOr<crm::eventstore::AppendRequest> {
              crm::eventstore::AppendRequest request;
              request.topic = "crash.events";
              for (int i = 0; i < 3; ++i) {
                crm::testing::v1::NoteRecorded note;
                note.set_text(std::string(100, 'x'));
                note.set_sequence(static_cast<int64_t>(n));
                request.events.push_back(crm::eventstore::NewEvent::From(note));
              }
              request.rows.push_back({.table = "last", .key = stream, .value = context.request_id});
              return request;
            });
        if (!result.ok()) {
          std::fprintf(stderr, "append failed: %s\n", result.status().ToString().c_str());
          _exit(1);
        }
        // One write() per line: lines of different threads never interleave in the pipe.
        const std::string line = absl::StrCat("ack ", stream, " ", result->last_version, " ",
                                              result->last_position, "\n");
        if (write(STDOUT_FILENO, line.data(), line.size()) < 0) _exit(1);
      }
    });
  }
  for (auto& worker : workers) worker.join();
}
