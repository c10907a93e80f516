#include "crm/runtime/recompute.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "batch_replay.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/event_codec.h"
#include "crm/log/logger.h"

namespace crm::runtime {
namespace {

// The progress mark: the position of the store's own log the next batch starts at, kept
// as a consumer offset of a group of its own.
constexpr char kRecomputeGroup[] = "crm-recompute";
constexpr char kOwnLog[] = "log";

eventstore::ConsumerOffset MarkAt(uint64_t next_position) {
  return {.group = kRecomputeGroup,
          .topic = kOwnLog,
          .partition = 0,
          .next_offset = static_cast<int64_t>(next_position)};
}

const std::shared_ptr<spdlog::logger>& Log() {
  static const auto log = crm::log::Get("recompute");
  return log;
}

// One command's events: consecutive events of one stream with the same request id (each
// event its own command when it names none).
struct Unit {
  std::string stream_id;
  RecordedEvents events;
};

// Whether `next` belongs to the same command as `previous`: consecutive events of one
// stream with the same request id (each event is a command of its own when it names none).
bool SameCommand(const crm::v1::EventMetadata& previous, const crm::v1::EventMetadata& next) {
  return previous.stream_id() == next.stream_id() && !next.request_id().empty() &&
         previous.request_id() == next.request_id();
}

// Cuts `events` (consecutive positions of the log) into commands.
std::vector<Unit> UnitsOf(std::vector<eventstore::StoredEvent> events) {
  std::vector<Unit> units;
  for (eventstore::StoredEvent& event : events) {
    if (units.empty() || !SameCommand(units.back().events.back().metadata, event.metadata)) {
      units.push_back({.stream_id = event.metadata.stream_id(), .events = {}});
    }
    units.back().events.push_back(std::move(event));
  }
  return units;
}

class Recompute {
 public:
  Recompute(eventstore::EventStore& store, EventReplayer& replayer, const RecomputeOptions& options)
      : store_(store),
        replayer_(replayer),
        options_(options),
        started_(absl::Now()),
        progress_(options.progress, options.progress_every) {}

  absl::StatusOr<RecomputeSummary> Run() {
    ASSIGN_OR_RETURN(std::optional<int64_t> mark,
                     store_.LoadConsumerOffset(kRecomputeGroup, kOwnLog, 0));
    uint64_t next = 1;
    if (mark.has_value()) {
      next = static_cast<uint64_t>(*mark);
      summary_.resumed = true;
    } else {
      const std::vector<std::string_view> tables = replayer_.Tables();
      RETURN_IF_ERROR(store_.ClearTables(tables, MarkAt(next)));
    }
    const uint64_t last = store_.LastPosition();
    Log()->info("recompute of the read models: events {} to {}{}", next, last,
                summary_.resumed ? ", resuming" : "");
    while (true) {
      ASSIGN_OR_RETURN(Batch batch, ReadBatch(next, last));
      RETURN_IF_ERROR(Write(batch, last));
      if (batch.next > last) break;
      next = batch.next;
    }
    summary_.elapsed = absl::Now() - started_;
    const std::string line = RecomputeSummaryLine(summary_);
    Log()->info("{}", line);
    progress_.Print(line);
    return summary_;
  }

 private:
  struct Batch {
    std::vector<Unit> units;
    // The position the next batch starts at.
    uint64_t next = 0;
  };

  // The whole commands from position `from` on, up to `last`: until the batch holds
  // batch_events events or batch_bytes bytes of them, and then to the end of the command
  // under way.
  absl::StatusOr<Batch> ReadBatch(uint64_t from, uint64_t last) {
    std::vector<eventstore::StoredEvent> events;
    size_t bytes = 0;
    bool full = false;
    uint64_t next = from;
    absl::Status unreadable;
    RETURN_IF_ERROR(store_.ScanLog(from, [&](uint64_t position, std::string_view data) {
      if (position > last) return false;
      eventstore::StoredEvent event;
      if (!eventstore::ParseEventMetadata(data, event.metadata)) {
        unreadable = absl::DataLossError(
            absl::StrCat("the event at position ", position, " of the log does not parse"));
        return false;
      }
      if (full && !SameCommand(events.back().metadata, event.metadata)) return false;
      event.bytes.assign(data);
      bytes += data.size();
      events.push_back(std::move(event));
      next = position + 1;
      full = events.size() >= options_.batch_events || bytes >= options_.batch_bytes;
      return true;
    }));
    RETURN_IF_ERROR(unreadable);
    // Nothing left to read (the log ends before `last`, which no store does): done.
    if (events.empty()) next = last + 1;
    return Batch{.units = UnitsOf(std::move(events)), .next = next};
  }

  absl::Status Write(Batch& batch, uint64_t last) {
    std::map<std::string, internal::StreamInBatch> streams;
    for (size_t i = 0; i < batch.units.size(); ++i) {
      Unit& unit = batch.units[i];
      auto [it, added] = streams.try_emplace(unit.stream_id);
      internal::StreamInBatch& stream = it->second;
      if (added) {
        const uint64_t first_version = unit.events.front().metadata.stream_version();
        // The stream's state as the events before this one leave it: none for its first
        // event, else what an earlier batch wrote.
        if (first_version > 1) {
          ASSIGN_OR_RETURN(stream.head, store_.LoadHead(unit.stream_id));
        } else {
          ++summary_.streams;
        }
        stream.head.version = first_version - 1;
      }
      summary_.events += unit.events.size();
      ++summary_.commands;
      stream.positions.push_back(i);
      stream.commands.push_back(std::move(unit.events));
    }
    eventstore::RecomputedBatch write{.progress = MarkAt(batch.next),
                                      .finished = batch.next > last};
    ASSIGN_OR_RETURN(internal::BatchOutcome outcome,
                     internal::ReplayStreams(replayer_, streams, batch.units.size()));
    write.states = std::move(outcome.states);
    internal::MoveWrites(outcome.commands, write.rows, write.counters);
    RETURN_IF_ERROR(store_.WriteRecomputed(std::move(write)));
    ++summary_.batches;
    progress_.Maybe([&] {
      return absl::StrCat(
          "recompute: ", batch.next - 1, " of ", last, " events, ",
          absl::FormatDuration(absl::Trunc(absl::Now() - started_, absl::Milliseconds(1))));
    });
    return absl::OkStatus();
  }

  eventstore::EventStore& store_;
  EventReplayer& replayer_;
  const RecomputeOptions& options_;
  const absl::Time started_;
  RecomputeSummary summary_;
  internal::ProgressLines progress_;
};

}  // namespace

absl::StatusOr<RecomputeSummary> RecomputeReadModels(eventstore::EventStore& store,
                                                     EventReplayer& replayer,
                                                     const RecomputeOptions& options) {
  Recompute recompute(store, replayer, options);
  return recompute.Run();
}

absl::StatusOr<bool> RecomputeUnderWay(const eventstore::EventStore& store) {
  ASSIGN_OR_RETURN(std::optional<int64_t> mark,
                   store.LoadConsumerOffset(kRecomputeGroup, kOwnLog, 0));
  return mark.has_value();
}

std::string RecomputeSummaryLine(const RecomputeSummary& summary) {
  const double seconds = absl::ToDoubleSeconds(summary.elapsed);
  std::string line =
      absl::StrCat("recompute done: ", summary.events, " events of ", summary.commands, " commands",
                   summary.resumed ? " (resumed)" : "", " replayed into the read models, ",
                   summary.streams, " streams from their first event, ", summary.batches,
                   summary.batches == 1 ? " batch" : " batches", ", in ",
                   absl::FormatDuration(absl::Trunc(summary.elapsed, absl::Milliseconds(1))));
  if (seconds > 0) {
    absl::StrAppend(&line, " (", static_cast<int64_t>(summary.events / seconds), " events/s)");
  }
  return line;
}

}  // namespace crm::runtime
