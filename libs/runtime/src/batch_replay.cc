#include "batch_replay.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"

namespace crm::runtime::internal {

absl::StatusOr<BatchOutcome> ReplayStreams(EventReplayer& replayer,
                                           const std::map<std::string, StreamInBatch>& streams,
                                           size_t commands) {
  BatchOutcome outcome;
  outcome.commands.resize(commands);
  for (const auto& [stream_id, stream] : streams) {
    if (stream.commands.empty()) continue;
    ASSIGN_OR_RETURN(Replayed replayed, replayer.Replay(stream.head, stream.commands));
    if (replayed.commands.size() != stream.commands.size()) {
      return absl::InternalError(absl::StrCat("the replay of stream ", stream_id, " gave ",
                                              replayed.commands.size(), " outcomes for ",
                                              stream.commands.size(), " commands"));
    }
    if (replayed.state.has_value()) {
      outcome.states.emplace_back(stream_id, *std::move(replayed.state));
    }
    for (size_t i = 0; i < stream.positions.size(); ++i) {
      outcome.commands[stream.positions[i]] = std::move(replayed.commands[i]);
    }
  }
  return outcome;
}

void MoveWrites(std::vector<ReplayedCommand>& outcomes, std::vector<eventstore::RowWrite>& rows,
                std::vector<eventstore::CounterAdd>& counters) {
  for (ReplayedCommand& outcome : outcomes) {
    for (eventstore::RowWrite& row : outcome.rows) rows.push_back(std::move(row));
    for (eventstore::CounterAdd& add : outcome.counters) counters.push_back(std::move(add));
  }
}

void ProgressLines::Print(const std::string& line) {
  if (out_ == nullptr) return;
  std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
}

}  // namespace crm::runtime::internal
