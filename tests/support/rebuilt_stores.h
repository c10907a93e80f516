// For tests of a store rebuilt from its topic (crm/runtime/rebuild.h): what a store holds,
// read whole for comparing a service's store with its rebuild (the log, the head of every
// stream the log names, the rows of the given tables, counter tables included, and the
// replies kept for the request ids the log names), and a replayer that stops midway.
//
//   ExpectSameContents(ContentsOf(rebuilt, tables), ContentsOf(original, tables));
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crm/eventstore/event_store.h"
#include "crm/runtime/rebuild.h"

namespace crm::testing {

struct StoreContents {
  std::vector<std::string> log;
  // Stream → version and state.
  std::map<std::string, std::pair<uint64_t, std::string>> heads;
  // Table → key → value.
  std::map<std::string, std::map<std::string, std::string>> tables;
  // Stored request id → the reply kept for it.
  std::map<std::string, std::string> replies;

  bool operator==(const StoreContents&) const = default;
};

StoreContents ContentsOf(const eventstore::EventStore& store,
                         std::span<const std::string_view> tables);

// Adds a failure per part that differs (the log, each head, each table, each reply), so
// that a mismatch says where it is.
void ExpectSameContents(const StoreContents& rebuilt, const StoreContents& original);

// Puts a row no event gives ("stray") into each of `tables`, as a release that changed how a
// read model is made leaves rows the new code would not make.
void PutStrayRows(eventstore::EventStore& store, std::span<const std::string_view> tables);

// The stray rows, and a state no event gives ("stale") for the first stream of the log
// that keeps one: what a recompute of the read models must put right.
void Spoil(eventstore::EventStore& store, std::span<const std::string_view> tables);

// Recomputes `store`'s read models from its log in batches of a few events, twice over: a
// first run stopped at its `fail_at`-th replay, then a run that finishes it. Expects the
// first to stop midway and the second to resume and finish.
void RecomputeInterrupted(eventstore::EventStore& store, runtime::EventReplayer& replayer,
                          int fail_at);

// Fails from its `fail_at`-th replay on: a rebuild (or a recompute) that stops midway.
class InterruptedReplayer final : public runtime::EventReplayer {
 public:
  InterruptedReplayer(runtime::EventReplayer& replayer, int fail_at)
      : replayer_(replayer), left_(fail_at) {}
  absl::StatusOr<runtime::Replayed> Replay(
      const eventstore::StreamHead& head,
      std::span<const runtime::RecordedEvents> commands) override {
    if (--left_ <= 0) return absl::UnavailableError("the rebuild was stopped");
    return replayer_.Replay(head, commands);
  }
  std::vector<std::string_view> Tables() const override { return replayer_.Tables(); }

 private:
  runtime::EventReplayer& replayer_;
  int left_;
};

}  // namespace crm::testing
