// What a rebuild from the topics (rebuild.cc) and a recompute from the own log
// (recompute.cc) share: a batch's commands grouped by stream, replayed a stream at a time
// with the service's EventReplayer, their rows and counters put back in the order of the
// commands, and the progress lines they print.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/eventstore/types.h"
#include "crm/runtime/rebuild.h"

namespace crm::runtime::internal {

// A stream's commands in a batch.
struct StreamInBatch {
  // The head the stream's commands start from, and the version after them.
  eventstore::StreamHead head;
  uint64_t version = 0;
  // Where each command stands among the batch's, and its events.
  std::vector<size_t> positions;
  std::vector<RecordedEvents> commands;
};

// What a batch's streams give.
struct BatchOutcome {
  // Stream → its state after the batch, for the streams that keep one.
  std::vector<std::pair<std::string, std::string>> states;
  // Each command's outcome, at its position in the batch.
  std::vector<ReplayedCommand> commands;
};

// Replays each stream's commands of a batch of `commands` commands with `replayer`.
absl::StatusOr<BatchOutcome> ReplayStreams(EventReplayer& replayer,
                                           const std::map<std::string, StreamInBatch>& streams,
                                           size_t commands);

// Moves the outcomes' rows and counters to `rows` and `counters`, in the order of the
// commands that wrote them: the last write of a row wins, as it did when they ran.
void MoveWrites(std::vector<ReplayedCommand>& outcomes, std::vector<eventstore::RowWrite>& rows,
                std::vector<eventstore::CounterAdd>& counters);

// Progress lines to a file (none when it is null): the first when asked, then at most one
// per `every`.
class ProgressLines {
 public:
  ProgressLines(std::FILE* out, absl::Duration every) : out_(out), every_(every) {}
  // Prints `line` now.
  void Print(const std::string& line);
  // Prints the line `make` gives, unless one was printed less than `every` ago.
  template <class MakeLine>
  void Maybe(MakeLine make) {
    const absl::Time now = absl::Now();
    if (printed_ && now - last_ < every_) return;
    Print(make());
    printed_ = true;
    last_ = now;
  }

 private:
  std::FILE* out_;
  absl::Duration every_;
  bool printed_ = false;
  absl::Time last_;
};

}  // namespace crm::runtime::internal
