#include "support/rebuilt_stores.h"

#include "crm/runtime/recompute.h"
#include "crm/v1/common.pb.h"
#include "gtest/gtest.h"

namespace crm::testing {

StoreContents ContentsOf(const eventstore::EventStore& store,
                         std::span<const std::string_view> tables) {
  StoreContents contents;
  std::map<std::string, bool> streams;
  std::vector<std::string> request_ids;
  EXPECT_TRUE(store
                  .ScanLog(1,
                           [&](uint64_t, std::string_view bytes) {
                             contents.log.emplace_back(bytes);
                             crm::v1::EventEnvelope envelope;
                             EXPECT_TRUE(envelope.ParseFromArray(bytes.data(), bytes.size()));
                             streams[envelope.metadata().stream_id()] = true;
                             if (request_ids.empty() ||
                                 request_ids.back() != envelope.metadata().request_id()) {
                               request_ids.push_back(envelope.metadata().request_id());
                             }
                             return true;
                           })
                  .ok());
  for (const auto& [stream, _] : streams) {
    auto head = store.LoadHead(stream);
    EXPECT_TRUE(head.ok()) << head.status();
    if (head.ok()) contents.heads[stream] = {head->version, head->state};
  }
  for (std::string_view table : tables) {
    auto& rows = contents.tables[std::string(table)];
    EXPECT_TRUE(store
                    .VisitRows(table, "", "",
                               [&](std::string_view key, std::string_view value) {
                                 rows.emplace(key, value);
                                 return true;
                               })
                    .ok());
  }
  for (const std::string& request_id : request_ids) {
    if (request_id.empty()) continue;
    auto found = store.FindRequest(request_id);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok() && found->has_value()) contents.replies[request_id] = (*found)->response;
  }
  return contents;
}

void ExpectSameContents(const StoreContents& rebuilt, const StoreContents& original) {
  EXPECT_EQ(rebuilt.log.size(), original.log.size());
  EXPECT_TRUE(rebuilt.log == original.log) << "the logs differ";
  EXPECT_EQ(rebuilt.heads.size(), original.heads.size());
  for (const auto& [stream, head] : original.heads) {
    auto found = rebuilt.heads.find(stream);
    EXPECT_TRUE(found != rebuilt.heads.end() && found->second == head)
        << "the head of " << stream << " differs";
  }
  for (const auto& [table, rows] : original.tables) {
    auto found = rebuilt.tables.find(table);
    ASSERT_TRUE(found != rebuilt.tables.end()) << table;
    EXPECT_EQ(found->second.size(), rows.size()) << "rows in table " << table;
    EXPECT_TRUE(found->second == rows) << "table " << table << " differs";
  }
  EXPECT_EQ(rebuilt.replies.size(), original.replies.size()) << "request ids kept";
  for (const auto& [request_id, reply] : original.replies) {
    auto found = rebuilt.replies.find(request_id);
    EXPECT_TRUE(found != rebuilt.replies.end() && found->second == reply)
        << "the reply to " << request_id << " differs";
  }
}

void PutStrayRows(eventstore::EventStore& store, std::span<const std::string_view> tables) {
  eventstore::ConsumedBatch stray;
  for (std::string_view table : tables) {
    stray.rows.push_back({.table = std::string(table), .key = "stray", .value = "stale"});
  }
  ASSERT_TRUE(store.CommitConsumed(stray).ok());
}

void Spoil(eventstore::EventStore& store, std::span<const std::string_view> tables) {
  PutStrayRows(store, tables);
  for (uint64_t position = 1; position <= store.LastPosition(); ++position) {
    auto event = store.ReadLog(position, 1);
    ASSERT_TRUE(event.ok() && event->size() == 1);
    const std::string& stream = event->front().metadata.stream_id();
    auto head = store.LoadHead(stream);
    ASSERT_TRUE(head.ok());
    if (head->state.empty()) continue;
    // Written as a recompute writes a state; the progress of a group of its own, removed.
    ASSERT_TRUE(store
                    .WriteRecomputed({.states = {{stream, "stale"}},
                                      .progress = {.group = "spoiled", .topic = "log"},
                                      .finished = true})
                    .ok());
    return;
  }
  ADD_FAILURE() << "no stream keeps a state";
}

void RecomputeInterrupted(eventstore::EventStore& store, runtime::EventReplayer& replayer,
                          int fail_at) {
  // Batches of a few events, so that the commands fall in several of them.
  const runtime::RecomputeOptions options{.batch_events = 3, .progress = nullptr};
  InterruptedReplayer interrupted(replayer, fail_at);
  EXPECT_EQ(runtime::RecomputeReadModels(store, interrupted, options).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(runtime::RecomputeUnderWay(store).value_or(false), true) << "stopped midway";
  auto finished = runtime::RecomputeReadModels(store, replayer, options);
  ASSERT_TRUE(finished.ok()) << finished.status();
  EXPECT_TRUE(finished->resumed);
  EXPECT_GT(finished->events, 0u);
  EXPECT_LT(finished->events, store.LastPosition()) << "the first run wrote some batches";
  EXPECT_EQ(runtime::RecomputeUnderWay(store).value_or(true), false);
}

}  // namespace crm::testing
