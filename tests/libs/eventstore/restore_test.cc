// Restore: events another copy of the store recorded put back with what they give. The
// events keep their bytes (their position changed only where this log numbers them
// otherwise), heads, rows (a row written twice ends with its last value), counters and
// request replies are written with them and with the progress, nothing goes to the
// outbox, and an event that is not its stream's next version is refused with nothing
// written.
#include <vector>

#include "crm/eventstore/counters.h"
#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "event_store_fixture.h"
#include "gtest/gtest.h"

namespace crm::eventstore {
namespace {

class RestoreTest : public EventStoreTest {
 protected:
  // The original: two notes on cus_1 (one request), one on cus_2, as published.
  void SetUp() override {
    EventStoreTest::SetUp();
    AppendRequest first = Notes("customer-cus_1", {"a", "b"}, kNoStream, "Add:r1");
    first.topic = "crm.registry.events.v1";
    first.customer_id = "cus_1";
    ASSERT_TRUE(store_->Append(first).ok());
    AppendRequest second = Notes("customer-cus_2", {"c"}, kNoStream, "Add:r2");
    second.topic = "crm.registry.events.v1";
    second.customer_id = "cus_2";
    ASSERT_TRUE(store_->Append(second).ok());
    auto log = store_->ReadLog(1, 10);
    ASSERT_TRUE(log.ok());
    log_ = *std::move(log);
    auto copy = EventStore::Open({.path = dir_.Sub("copy"), .service = "registry"});
    ASSERT_TRUE(copy.ok()) << copy.status();
    copy_ = *std::move(copy);
  }

  RecordedCommand Recorded(const std::string& stream, std::vector<size_t> positions,
                           const std::string& request_id, const std::string& response = "") {
    RecordedCommand command{.stream_id = stream, .request_id = request_id, .response = response};
    for (size_t position : positions) command.events.push_back(log_[position - 1].bytes);
    return command;
  }

  std::vector<StoredEvent> log_;
  std::unique_ptr<EventStore> copy_;
};

TEST_F(RestoreTest, PutsEventsBackWithWhatTheyGiveAndTheProgress) {
  RecordedBatch batch;
  batch.commands = {Recorded("customer-cus_1", {1, 2}, "Add:r1", "reply r1"),
                    Recorded("customer-cus_2", {3}, "Add:r2", "reply r2")};
  batch.states = {{"customer-cus_1", "cus_1 after a and b"}, {"customer-cus_2", "cus_2 after c"}};
  // The first command's rows, then the second's: "b" rewritten, "gone" put then deleted.
  batch.rows = {{"names", "a", "cus_1"},
                {"names", "b", "cus_1"},
                {"names", "gone", "cus_1"},
                {"names", "b", "cus_2"},
                {"names", "gone", std::nullopt}};
  batch.counters = {{"notes", "all", {2}}, {"notes", "all", {1}}};
  batch.progress = {{.group = "crm-rebuild",
                     .topic = "crm.registry.events.v1",
                     .partition = 3,
                     .next_offset = 17}};
  ASSERT_TRUE(copy_->Restore(std::move(batch)).ok());

  auto log = copy_->ReadLog(1, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*log)[i].bytes, log_[i].bytes) << "position " << i + 1;
  EXPECT_EQ(copy_->OutboxDepth(), 0);
  auto head = copy_->LoadHead("customer-cus_1");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 2u);
  EXPECT_EQ(head->state, "cus_1 after a and b");
  EXPECT_EQ(copy_->GetRow("names", "a").value(), "cus_1");
  EXPECT_EQ(copy_->GetRow("names", "b").value(), "cus_2");
  EXPECT_FALSE(copy_->GetRow("names", "gone")->has_value());
  auto counters = copy_->GetRow("notes", "all");
  ASSERT_TRUE(counters.ok() && counters->has_value());
  EXPECT_EQ(DecodeCounters(**counters), std::vector<int64_t>{3});
  EXPECT_EQ(copy_->LoadConsumerOffset("crm-rebuild", "crm.registry.events.v1", 3).value(), 17);

  // A retry of a restored request gets its reply and records nothing.
  auto retry = copy_->Append(Notes("customer-cus_1", {"a", "b"}, 0, "Add:r1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->deduplicated);
  EXPECT_EQ(retry->response, "reply r1");
  EXPECT_EQ(retry->last_version, 2u);
  EXPECT_EQ(copy_->LastPosition(), 3u);
  // The next command continues the streams and the log.
  auto next = copy_->Append(Notes("customer-cus_2", {"d"}, 1, "Add:r3"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->first_version, 2u);
  EXPECT_EQ(next->first_position, 4u);
}

TEST_F(RestoreTest, NumbersEventsByItsOwnLogWhereTheOriginalsDiffer) {
  // cus_2's event alone: position 3 in the original, the first here.
  RecordedBatch batch;
  batch.commands = {Recorded("customer-cus_2", {3}, "")};
  ASSERT_TRUE(copy_->Restore(std::move(batch)).ok());
  auto log = copy_->ReadLog(1, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].metadata.global_position(), 1u);
  EXPECT_EQ((*log)[0].metadata.event_id(), log_[2].metadata.event_id());
  EXPECT_EQ(EventPayload((*log)[0].bytes), EventPayload(log_[2].bytes));
  // A stream without a new state keeps none; its version still moves.
  EXPECT_EQ(copy_->LoadHead("customer-cus_2")->version, 1u);
}

TEST_F(RestoreTest, RefusesAnEventThatIsNotItsStreamsNextVersion) {
  // Version 2 of cus_1 without version 1; and an event filed under another stream.
  RecordedCommand skipping = Recorded("customer-cus_1", {2}, "");
  RecordedCommand misfiled = Recorded("customer-cus_9", {3}, "");
  for (const RecordedCommand& wrong : {skipping, misfiled}) {
    RecordedBatch batch;
    batch.commands = {Recorded("customer-cus_2", {3}, "Add:r2"), wrong};
    const absl::Status refused = copy_->Restore(std::move(batch));
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
    EXPECT_EQ(copy_->LastPosition(), 0u) << "nothing of the batch is written";
    EXPECT_FALSE(copy_->FindRequest("Add:r2")->has_value());
  }
}

// The recompute of read models from the store's own log (the original's, here).
TEST_F(RestoreTest, ClearsOnlyTheNamedTablesAndMarksTheRecomputeInOneWrite) {
  ASSERT_TRUE(store_
                  ->CommitConsumed({.rows = {{"names", "a", "cus_1"},
                                             {"names_extra", "x", "kept"},
                                             {"projection", "p", "kept"}},
                                    .counters = {{"notes", "all", {5}}}})
                  .ok());
  const std::vector<std::string_view> tables = {"names", "notes"};
  ASSERT_TRUE(
      store_
          ->ClearTables(
              tables, {.group = "crm-recompute", .topic = "log", .partition = 0, .next_offset = 1})
          .ok());
  EXPECT_FALSE(store_->GetRow("names", "a")->has_value());
  EXPECT_FALSE(store_->GetRow("notes", "all")->has_value());
  // A table whose name only starts like a cleared one, and any other table, keep their rows.
  EXPECT_EQ(store_->GetRow("names_extra", "x").value(), "kept");
  EXPECT_EQ(store_->GetRow("projection", "p").value(), "kept");
  EXPECT_EQ(store_->LoadConsumerOffset("crm-recompute", "log", 0).value(), 1);
  // The events and their heads stay.
  EXPECT_EQ(store_->LastPosition(), 3u);
  EXPECT_EQ(store_->LoadHead("customer-cus_1")->version, 2u);
}

TEST_F(RestoreTest, WritesRecomputedStatesRowsAndCountersKeepingTheEvents) {
  RecomputedBatch batch{
      .states = {{"customer-cus_1", "cus_1 recomputed"}},
      .rows = {{"names", "a", "first"}, {"names", "a", "last"}},
      .counters = {{"notes", "all", {2}}, {"notes", "all", {1}}},
      .progress = {.group = "crm-recompute", .topic = "log", .partition = 0, .next_offset = 3}};
  ASSERT_TRUE(store_->WriteRecomputed(batch).ok());
  auto head = store_->LoadHead("customer-cus_1");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 2u) << "the stream keeps its version";
  EXPECT_EQ(head->state, "cus_1 recomputed");
  EXPECT_EQ(store_->GetRow("names", "a").value(), "last");
  EXPECT_EQ(DecodeCounters(**store_->GetRow("notes", "all")), std::vector<int64_t>{3});
  EXPECT_EQ(store_->LoadConsumerOffset("crm-recompute", "log", 0).value(), 3);
  EXPECT_EQ(store_->LastPosition(), 3u);
  EXPECT_EQ(store_->FindRequest("Add:r1")->value().last_version, 2u) << "replies stay";

  // The last batch removes the mark.
  ASSERT_TRUE(store_
                  ->WriteRecomputed({.progress = {.group = "crm-recompute",
                                                  .topic = "log",
                                                  .partition = 0,
                                                  .next_offset = 4},
                                     .finished = true})
                  .ok());
  EXPECT_FALSE(store_->LoadConsumerOffset("crm-recompute", "log", 0)->has_value());

  // A state for a stream that has no event is refused, and nothing of its batch written.
  const absl::Status refused = store_->WriteRecomputed(
      {.states = {{"customer-cus_9", "made up"}},
       .rows = {{"names", "z", "z"}},
       .progress = {.group = "crm-recompute", .topic = "log", .partition = 0, .next_offset = 4}});
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_FALSE(store_->GetRow("names", "z")->has_value());
  EXPECT_EQ(store_->LoadHead("customer-cus_9")->version, 0u);
}

}  // namespace
}  // namespace crm::eventstore
