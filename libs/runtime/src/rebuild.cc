#include "crm/runtime/rebuild.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "batch_replay.h"
#include "crm/base/status_macros.h"
#include "crm/log/logger.h"

namespace crm::runtime {
namespace {

using eventstore::StoredEvent;
using eventstore::StreamHead;
using kafka::LogRecord;

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("rebuild");
  return log;
}

// Where a record came from, to know how far a partition is written.
struct Source {
  int32_t partition = 0;
  int64_t offset = 0;
};

// One command's events on one stream, gathered as they come in position order.
struct Unit {
  std::string stream_id;
  std::string request_id;
  RecordedEvents events;
};

class Rebuild {
 public:
  Rebuild(eventstore::EventStore& store, EventReplayer& replayer, const RebuildOptions& options)
      : store_(store),
        replayer_(replayer),
        options_(options),
        started_(absl::Now()),
        progress_(options.progress, options.progress_every) {}

  absl::StatusOr<RebuildSummary> Run() {
    bool resumed = false;
    auto start_of = [&](int32_t partition) -> absl::StatusOr<std::optional<int64_t>> {
      ASSIGN_OR_RETURN(std::optional<int64_t> stored,
                       store_.LoadConsumerOffset(kRebuildGroup, options_.topic.topic, partition));
      if (stored.has_value()) resumed = true;
      return stored;
    };
    ASSIGN_OR_RETURN(std::unique_ptr<kafka::TopicLogReader> reader,
                     kafka::TopicLogReader::Open(options_.topic, start_of));
    if (!resumed && store_.LastPosition() > 0) {
      return absl::FailedPreconditionError(
          "the data directory holds events that no rebuild put there: a rebuild fills an "
          "empty data directory (or finishes one it began)");
    }
    Log()->info("rebuild of {}: {} messages to read{}", options_.topic.topic,
                reader->messages_to_read(), resumed ? ", resuming" : "");
    messages_to_read_ = reader->messages_to_read();
    while (true) {
      ASSIGN_OR_RETURN(std::optional<LogRecord> record, reader->Next());
      if (!record.has_value()) break;
      ++summary_.messages_read;
      read_[record->partition] = record->offset + 1;
      RETURN_IF_ERROR(Take(*std::move(record)));
    }
    RETURN_IF_ERROR(CloseUnit());
    RETURN_IF_ERROR(Flush(nullptr));
    for (const auto& [stream_id, early] : waiting_) {
      ASSIGN_OR_RETURN(internal::StreamInBatch * stream, Touch(stream_id));
      summary_.gaps.push_back({.stream_id = stream_id,
                               .restored_to = stream->version,
                               .next_found = early.begin()->first});
    }
    summary_.elapsed = absl::Now() - started_;
    const std::string line = SummaryLine(summary_);
    Log()->info("{}", line);
    progress_.Print(line);
    return summary_;
  }

 private:
  // The stream's version counting the open unit's events.
  absl::StatusOr<uint64_t> VersionOf(const std::string& stream_id) {
    ASSIGN_OR_RETURN(internal::StreamInBatch * stream, Touch(stream_id));
    uint64_t version = stream->version;
    if (unit_.has_value() && unit_->stream_id == stream_id) version += unit_->events.size();
    return version;
  }

  absl::Status Take(LogRecord record) {
    const std::string& stream_id = record.metadata.stream_id();
    ASSIGN_OR_RETURN(const uint64_t version, VersionOf(stream_id));
    const uint64_t event_version = record.metadata.stream_version();
    if (event_version <= version) {
      ++summary_.duplicates;
      return absl::OkStatus();
    }
    if (event_version > version + 1) {
      // Published out of order (a resend after later events went through): held until the
      // versions before it come.
      waiting_[stream_id].emplace(event_version, std::move(record));
      return absl::OkStatus();
    }
    const bool extends = unit_.has_value() && unit_->stream_id == stream_id &&
                         !unit_->request_id.empty() &&
                         unit_->request_id == record.metadata.request_id();
    if (!extends) {
      RETURN_IF_ERROR(CloseUnit());
      if (batch_events_ >= options_.batch_events || batch_bytes_ >= options_.batch_bytes) {
        const Source pending{record.partition, record.offset};
        RETURN_IF_ERROR(Flush(&pending));
      }
      unit_.emplace();
      unit_->stream_id = stream_id;
      unit_->request_id = record.metadata.request_id();
    }
    unit_->events.push_back(
        {.metadata = std::move(record.metadata), .bytes = std::move(record.bytes)});
    // An event held for this one may follow now.
    auto held = waiting_.find(unit_->stream_id);
    if (held != waiting_.end() && held->second.begin()->first == event_version + 1) {
      LogRecord next = std::move(held->second.begin()->second);
      held->second.erase(held->second.begin());
      if (held->second.empty()) waiting_.erase(held);
      return Take(std::move(next));
    }
    return absl::OkStatus();
  }

  // The stream's entry in the batch, its head loaded from the store on first touch.
  absl::StatusOr<internal::StreamInBatch*> Touch(const std::string& stream_id) {
    auto it = streams_.find(stream_id);
    if (it == streams_.end()) {
      ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream_id));
      it = streams_.emplace(stream_id, internal::StreamInBatch{}).first;
      it->second.version = head.version;
      it->second.head = std::move(head);
    }
    return &it->second;
  }

  // Adds the open unit to the batch as a command of its stream.
  absl::Status CloseUnit() {
    if (!unit_.has_value()) return absl::OkStatus();
    Unit unit = *std::move(unit_);
    unit_.reset();
    ASSIGN_OR_RETURN(internal::StreamInBatch * stream, Touch(unit.stream_id));
    if (stream->version == 0) ++summary_.streams;
    if (!unit.request_id.empty()) ++summary_.requests;
    stream->version += unit.events.size();
    batch_events_ += unit.events.size();
    for (const eventstore::StoredEvent& event : unit.events) batch_bytes_ += event.bytes.size();
    summary_.events_restored += unit.events.size();
    stream->positions.push_back(batch_.commands.size());
    batch_.commands.push_back(
        {.stream_id = std::move(unit.stream_id), .request_id = std::move(unit.request_id)});
    stream->commands.push_back(std::move(unit.events));
    return absl::OkStatus();
  }

  // Replays each stream's commands once, and writes the batch with, for each partition, the
  // offset a resumed rebuild reads from: the oldest message read but not written (held out
  // of order, or `pending`), else the next.
  absl::Status Flush(const Source* pending) {
    // Nothing read (a finished rebuild run again): nothing to write.
    if (batch_.commands.empty() && pending == nullptr && read_.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(internal::BatchOutcome outcome,
                     internal::ReplayStreams(replayer_, streams_, batch_.commands.size()));
    batch_.states = std::move(outcome.states);
    for (auto& [stream_id, stream] : streams_) {
      for (size_t i = 0; i < stream.commands.size(); ++i) {
        eventstore::RecordedCommand& command = batch_.commands[stream.positions[i]];
        for (eventstore::StoredEvent& event : stream.commands[i]) {
          command.events.push_back(std::move(event.bytes));
        }
        command.response = std::move(outcome.commands[stream.positions[i]].reply);
      }
    }
    internal::MoveWrites(outcome.commands, batch_.rows, batch_.counters);
    std::map<int32_t, int64_t> resume = read_;
    auto hold = [&](const Source& source) {
      auto [it, added] = resume.emplace(source.partition, source.offset);
      if (!added) it->second = std::min(it->second, source.offset);
    };
    if (pending != nullptr) hold(*pending);
    for (const auto& [stream_id, early] : waiting_) {
      for (const auto& [version, record] : early) hold({record.partition, record.offset});
    }
    for (const auto& [partition, next] : resume) {
      batch_.progress.push_back({.group = kRebuildGroup,
                                 .topic = options_.topic.topic,
                                 .partition = partition,
                                 .next_offset = next});
    }
    RETURN_IF_ERROR(store_.Restore(std::move(batch_)));
    ++summary_.batches;
    batch_ = {};
    batch_events_ = 0;
    batch_bytes_ = 0;
    streams_.clear();
    progress_.Maybe([&] {
      return absl::StrCat(
          "rebuild: ", summary_.messages_read, " of ", messages_to_read_, " messages read, ",
          summary_.events_restored, " events restored, ",
          absl::FormatDuration(absl::Trunc(absl::Now() - started_, absl::Milliseconds(1))));
    });
    return absl::OkStatus();
  }

  eventstore::EventStore& store_;
  EventReplayer& replayer_;
  const RebuildOptions& options_;
  const absl::Time started_;
  RebuildSummary summary_;
  int64_t messages_to_read_ = 0;
  // Per partition: the offset after the last message read.
  std::map<int32_t, int64_t> read_;
  std::optional<Unit> unit_;
  // Events that came before an earlier version of their stream, by stream and version.
  std::map<std::string, std::map<uint64_t, LogRecord>> waiting_;
  // The batch: its commands in log order, and the streams they belong to.
  eventstore::RecordedBatch batch_;
  std::map<std::string, internal::StreamInBatch> streams_;
  size_t batch_events_ = 0;
  size_t batch_bytes_ = 0;
  internal::ProgressLines progress_;
};

}  // namespace

absl::StatusOr<RebuildSummary> RebuildOwnEvents(eventstore::EventStore& store,
                                                EventReplayer& replayer,
                                                const RebuildOptions& options) {
  Rebuild rebuild(store, replayer, options);
  return rebuild.Run();
}

absl::StatusOr<Replayed> ReplayEachCommand(
    std::span<const RecordedEvents> commands,
    absl::FunctionRef<absl::StatusOr<ReplayedCommand>(const RecordedEvents&)> replay) {
  Replayed replayed;
  replayed.commands.reserve(commands.size());
  for (const RecordedEvents& events : commands) {
    ASSIGN_OR_RETURN(ReplayedCommand outcome, replay(events));
    replayed.commands.push_back(std::move(outcome));
  }
  return replayed;
}

std::string SummaryLine(const RebuildSummary& summary) {
  const double seconds = absl::ToDoubleSeconds(summary.elapsed);
  std::string line = absl::StrCat(
      "rebuild done: ", summary.events_restored, " events restored on ", summary.streams,
      " new streams from ", summary.messages_read, " messages (", summary.duplicates,
      " already in the store), ", summary.requests, " request ids, ", summary.batches,
      summary.batches == 1 ? " batch" : " batches", ", in ",
      absl::FormatDuration(absl::Trunc(summary.elapsed, absl::Milliseconds(1))));
  if (seconds > 0) {
    absl::StrAppend(&line, " (", static_cast<int64_t>(summary.events_restored / seconds),
                    " events/s)");
  }
  if (summary.gaps.empty()) {
    absl::StrAppend(&line, "; every stream complete");
  } else {
    absl::StrAppend(&line, "; ", summary.gaps.size(), " streams stop short of the topic: ",
                    absl::StrJoin(summary.gaps, ", ", [](std::string* out, const StreamGap& gap) {
                      absl::StrAppend(out, gap.stream_id, " at version ", gap.restored_to,
                                      " (version ", gap.next_found, " found)");
                    }));
  }
  return line;
}

}  // namespace crm::runtime
